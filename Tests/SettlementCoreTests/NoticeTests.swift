import SettlementCore
import Testing

/// The SMS texts: short enough for three segments whatever the names and reasons, no account
/// number, stable ids.
@Suite("Notices")
struct NoticeTests {
    static let longestName = String(repeating: "江苏省某某某高新技术产业开发区智能制造研究院", count: 3) + "有限公司"

    @Test(
        "every kind stays within 201 characters for the longest names and every reason", arguments: NoticeKind.allCases)
    func length(_ kind: NoticeKind) {
        let templates = NoticeTemplates()
        var random = SplitMix64(seed: UInt64(kind.rawValue.utf8.count))
        for _ in 0..<500 {
            let codes = FindingCode.allCases.shuffled(using: &random).prefix(Int(random.next() % 38))
            let event = NoticeEvent(
                kind: kind, requestID: "DF" + String(random.next() % 1_000_000), revision: 1,
                enterpriseName: NoticeTests.longestName,
                orderNumber: String(repeating: "CXQ2024", count: Int(random.next() % 12) + 1),
                amount: Fen(Int64(random.next() % 99_999_999_999)), date: CivilDate(iso: "2024-12-31"),
                reasons: codes.map(\.label), accountTail: "9876")
            let text = templates.text(event)
            #expect(text.unicodeScalars.count <= NoticeTemplates.maximumCharacters, "\(text.count): \(text)")
            #expect(text.hasPrefix("【江苏省科技创新券】"))
        }
    }

    @Test(
        "a text is measured as the database measures it: an order number of one letter and hundreds of combining marks is cut",
        arguments: NoticeKind.allCases)
    func combiningMarks(_ kind: NoticeKind) {
        let order = "C" + String(repeating: "\u{301}", count: 400)
        #expect(order.count == 1)
        let event = NoticeEvent(
            kind: kind, requestID: "DF1", revision: 1, paymentID: "CXQ202407P01-0000001", enterpriseName: "某公司",
            orderNumber: order, amount: Fen(44_538), date: CivilDate(iso: "2024-12-31"), reasons: ["户名与账号不符"],
            accountTail: "9876")
        let text = NoticeTemplates().text(event)
        // notices_text_check: char_length(text) <= 201, in code points.
        #expect(text.unicodeScalars.count <= NoticeTemplates.maximumCharacters, "\(text.unicodeScalars.count)")
        #expect(text.hasPrefix("【江苏省科技创新券】"))
    }

    @Test("a reasons list that does not fit is cut with 等N项; an account appears only as its last four digits")
    func cutAndMasked() {
        let templates = NoticeTemplates()
        let event = NoticeEvent(
            kind: .needsCorrection, requestID: "DF1", revision: 1, enterpriseName: "某公司", orderNumber: "CXQ1",
            date: CivilDate(iso: "2024-12-31"), reasons: FindingCode.allCases.map(\.label))
        let text = templates.text(event)
        #expect(text.contains("等\(FindingCode.allCases.count)项"))
        #expect(text.contains("2024年12月31日"))
        let returned = NoticeEvent(
            kind: .returned, requestID: "DF1", revision: 1, paymentID: "CXQ202407P01-0000001", enterpriseName: "某公司",
            orderNumber: "CXQ1", amount: Fen(44_538), reasons: ["户名与账号不符"],
            accountTail: MobileNumber.tail("6222000011112222333"))
        #expect(templates.text(returned).contains("尾号2333"))
        #expect(!templates.text(returned).contains("6222000011112222333"))
    }

    @Test("identities are stable for a (request, revision, event) and differ across them, by bytes")
    func ids() {
        let a = NoticeEvent(kind: .accepted, requestID: "DF1", revision: 1, enterpriseName: "x", orderNumber: "o")
        var b = a
        b.enterpriseName = "y"
        #expect(Array(a.identity.utf8) == Array(b.identity.utf8))
        var c = a
        c.revision = 2
        var d = a
        d.kind = .rejected
        var e = a
        e.requestID = "DF\u{E9}"
        var f = a
        f.requestID = "DFe\u{301}"
        // Compared as bytes: é and e + U+0301 are different identifiers.
        #expect(Set([a, c, d, e, f].map { Array($0.identity.utf8) }).count == 5)
    }

    @Test("mobile numbers: 11 digits starting with 1")
    func mobiles() {
        #expect(MobileNumber.problem("13812345678") == nil)
        for bad in ["", "1381234567", "23812345678", "1381234567８", "+8613812345678", "138 1234 5678"] {
            #expect(MobileNumber.problem(bad) != nil, "\(bad)")
        }
    }

    @Test("placeholders are filled once, left to right: a value holding a placeholder is not filled again")
    func placeholdersOnce() {
        let templates = NoticeTemplates()
        let event = NoticeEvent(
            kind: .accepted, requestID: "DF1", revision: 1, enterpriseName: "x", orderNumber: "CXQ{date}{amount}")
        let text = templates.text(event)
        #expect(text.contains("CXQ{date}{amount}"))
        #expect(NoticeTemplates.substitute("{a}{b}{c}{", ["a": "{b}", "b": "2"]) == "{b}2{c}{")
        // A brace that opens no known name is a character; the scan goes on after it.
        #expect(NoticeTemplates.substitute("{{a}}{a{a}}{ a}", ["a": "1"]) == "{1}{a1}{ a}")
        #expect(NoticeTemplates.substitute("{a", ["a": "1"]) == "{a")
    }

    @Test("templates read once fill in as substitute fills them in, for any template of placeholders and braces")
    func compiledAsSubstitute() {
        let parts = [
            "{signature}", "{order}", "{amount}", "{date}", "{reasons}", "{account}", "{", "}", "{x}", "{{order}",
            "{order", "文字", "，", "{}", "{ order}", "{Order}",
        ]
        var random = SplitMix64(seed: 17)
        for _ in 0..<400 {
            let template = (0..<Int(random.next() % 12)).map { _ in parts[Int(random.next() % UInt64(parts.count))] }
                .joined()
            var templates = NoticeTemplates()
            templates.signature = ["【签名】", "", "{order}"][Int(random.next() % 3)]
            let kind = NoticeKind.allCases[Int(random.next() % UInt64(NoticeKind.allCases.count))]
            templates.texts[kind] = template
            let reasons = ["发票金额不符", "合同缺失", "{date}"].prefix(Int(random.next() % 4))
            let event = NoticeEvent(
                kind: kind, requestID: "DF1", revision: 1, enterpriseName: "x",
                orderNumber: ["CXQ1", "CXQ{amount}", ""][Int(random.next() % 3)],
                amount: random.next() % 2 == 0 ? nil : Fen(Int64(random.next() % 1_000_000)),
                date: random.next() % 2 == 0 ? nil : CivilDate(iso: "2024-09-06"), reasons: Array(reasons),
                accountTail: random.next() % 2 == 0 ? nil : "2333")
            let expected = NoticeTemplates.substitute(
                template,
                [
                    "signature": templates.signature, "order": event.orderNumber,
                    "amount": event.amount?.yuanText ?? "",
                    "date": event.date.map { "\($0.year)年\($0.month)月\($0.day)日" } ?? "",
                    "reasons": reasons.joined(separator: "、"), "account": event.accountTail ?? "",
                ])
            #expect(templates.text(event) == expected, "\(template)")
            #expect(templates.compiled().text(event) == expected, "\(template)")
        }
    }
}
