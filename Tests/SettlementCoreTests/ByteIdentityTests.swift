import Foundation
import SettlementCore
import Testing

/// Identifiers are bytes: canonically equivalent but different texts are different identifiers.
@Suite("Identifiers compared by their bytes")
struct ByteIdentityTests {
    /// Pairs that Swift's `==` calls equal and that differ in their bytes.
    static let equivalentPairs: [(String, String)] = [
        ("DF2024\u{E9}01", "DF2024e\u{301}01"),  // é precomposed / decomposed
        ("\u{FA1D}", "\u{7CBE}"),  // CJK compatibility ideograph 精 / unified 精
        ("S\u{212A}01", "SK01"),  // KELVIN SIGN / K
    ]

    @Test("the pairs are canonically equal Swift strings and different ByteStrings")
    func pairs() {
        for (a, b) in ByteIdentityTests.equivalentPairs {
            #expect(a == b)
            #expect(!a.sameBytes(as: b))
            #expect(ByteString(a) != ByteString(b))
            #expect(Set([ByteString(a), ByteString(b)]).count == 2)
        }
    }

    /// Texts built from pieces that look alike in their bytes: the spaces trimmed and U+3001 (which
    /// shares U+3000's first two bytes), the full-width parentheses and U+FF10 and U+FF48 (which
    /// share their first two bytes or their last), canonically equivalent pairs.
    static func lookalikes(count: Int, seed: UInt64) -> [String] {
        let pieces = [
            " ", "\t", "\u{3000}", "\u{3001}", "\u{FF08}", "\u{FF09}", "\u{FF10}", "\u{FF48}", "(", ")", "a", "精",
            "\u{FA1D}", "\u{E9}", "e\u{301}", "\u{212A}", "K", "公司",
        ]
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            (0..<Int.random(in: 0...7, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }
                .joined()
        }
    }

    @Test("byte equality and byte order are those of the UTF-8 byte arrays")
    func byteComparisons() {
        let texts = ByteIdentityTests.lookalikes(count: 300, seed: 7)
        for a in texts {
            for b in texts.prefix(60) {
                #expect(
                    a.sameBytes(as: b) == (Array(a.utf8) == Array(b.utf8)),
                    "\(a.debugDescription) \(b.debugDescription)")
                #expect(a.bytesPrecede(b) == Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)))
            }
        }
    }

    @Test("texts of the same length that differ in one byte, anywhere, are different bytes")
    func oneByteApart() {
        for length in 1...40 {
            let text = String(repeating: "a", count: length)
            #expect(text.sameBytes(as: String(repeating: "a", count: length)))
            for position in 0..<length {
                var bytes = Array(text.utf8)
                bytes[position] = UInt8(ascii: "b")
                let other = String(decoding: bytes, as: UTF8.self)
                #expect(!text.sameBytes(as: other) && !other.sameBytes(as: text), "\(length) \(position)")
            }
        }
    }

    @Test("names are normalized as the rule states: spaces trimmed at both ends, full-width parentheses made ASCII")
    func nameNormalization() {
        // The rule as written, scalar by scalar.
        func model(_ name: String) -> [UInt8] {
            var scalars = Array(name.unicodeScalars)
            let trimmable: Set<Unicode.Scalar> = [" ", "\t", "\u{3000}"]
            while let first = scalars.first, trimmable.contains(first) { scalars.removeFirst() }
            while let last = scalars.last, trimmable.contains(last) { scalars.removeLast() }
            var result = String.UnicodeScalarView()
            for scalar in scalars {
                result.append(scalar == "\u{FF08}" ? "(" : scalar == "\u{FF09}" ? ")" : scalar)
            }
            return Array(String(result).utf8)
        }
        for name in ByteIdentityTests.lookalikes(count: 5_000, seed: 11) {
            #expect(Array(NameComparison.normalized(name).utf8) == model(name), "\(name.debugDescription)")
        }
        #expect(NameComparison.normalized("\u{3000} 江苏（南京）有限公司\t\u{3000}") == "江苏(南京)有限公司")
        #expect(NameComparison.normalized("\u{3000}\t ").isEmpty)
    }

    @Test("claim keys and account keys of canonically equivalent texts are different keys")
    func keys() {
        for (a, b) in ByteIdentityTests.equivalentPairs {
            for kind in ClaimKey.Kind.allCases {
                #expect(ClaimKey(kind: kind, value: a) != ClaimKey(kind: kind, value: b))
                #expect(Set([ClaimKey(kind: kind, value: a), ClaimKey(kind: kind, value: b)]).count == 2)
            }
            #expect(AccountKey(uscc: a, year: 2024) != AccountKey(uscc: b, year: 2024))
            var registry = ClaimRegistry()
            registry.claim([ClaimKey(kind: .order, value: "CXQ1")], owner: a)
            #expect(registry.conflicts([ClaimKey(kind: .order, value: "CXQ1")], for: b).count == 1)
            #expect(registry.conflicts([ClaimKey(kind: .order, value: "CXQ1")], for: a).isEmpty)
            registry.drop(owner: b)
            #expect(registry.owner(of: ClaimKey(kind: .order, value: "CXQ1")) == a)
        }
    }

    /// The rules never compare identifier strings with `==`/`!=`, nor key collections by `String`.
    @Test("no String == on identifiers in the rules, settlement and intake")
    func noStringEquality() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/SettlementCore")
        let identifiers = [
            "requestID", "orderNumber", "contractNumber", "serviceID", "shopID", "uscc", "USCC", "accountName",
            "enterpriseName", "claimKey", "owner", "sellerUSCC", "buyerUSCC", "category", "status", "value",
        ]
        var violations: [String] = []
        for folder in ["Review", "Settlement", "Intake", "Roster", "Policy"] {
            let directory = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path)
            where name.hasSuffix(".swift") {
                let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                    let stringSet = identifiers.contains { code.contains("Set(") && code.contains("(\\." + $0 + ")") }
                    if code.contains("[String:") || code.contains("Set<String>") || stringSet {
                        if !code.contains("allowed") && !code.contains("pdfOnly") && !code.contains("documentOrImage")
                            && !code.contains("used")
                        {
                            violations.append("\(folder)/\(name):\(number + 1): \(line)")
                        }
                    }
                    guard code.contains(" == ") || code.contains(" != ") else { continue }
                    let mentionsIdentifier = identifiers.contains { code.contains("." + $0 + " ") }
                    let typedComparison =
                        code.contains(".kind") || code.contains(".status != .") || code.contains(".status == .")
                        || code.contains("nil")
                    if mentionsIdentifier && !typedComparison {
                        violations.append("\(folder)/\(name):\(number + 1): \(line)")
                    }
                }
            }
        }
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }
}

/// Each identifier kind through the rules: a canonically equivalent but different text is another
/// identifier, never the same one.
@Suite("Rules compare identifiers by their bytes")
struct ByteIdentityRuleTests {
    static let composed = "\u{E9}"  // é
    static let decomposed = "e\u{301}"  // e + combining acute

    func reviewTwo(_ first: RedemptionRequest, _ second: RedemptionRequest) -> [Decision] {
        var reviewer = BatchReviewer(policies: [2024: Policy(year: 2024)])
        return [
            reviewer.review(RequestFixture.input(first)),
            reviewer.review(RequestFixture.input(second)),
        ]
    }

    @Test("request ids: two requests, each claiming its own keys; the same keys conflict")
    func requestIDs() {
        let a = RequestFixture.request(id: "DF" + Self.composed, order: "CXQ1", invoice: "24322000000012345678")
        let b = RequestFixture.request(id: "DF" + Self.decomposed, order: "CXQ1", invoice: "24322000000012345678")
        let decisions = reviewTwo(a, b)
        #expect(decisions[0].status == .accepted)
        #expect(decisions[1].codes.contains("DUPLICATE_ORDER"))
        #expect(decisions[1].codes.contains("INVOICE_REUSED"))
    }

    @Test("order, contract and invoice numbers: canonically equivalent numbers are different keys")
    func claimKeys() {
        let a = RequestFixture.request(id: "DF1", order: "CXQ" + Self.composed, invoice: "24322000000012345678")
        var b = RequestFixture.request(id: "DF2", order: "CXQ" + Self.decomposed, invoice: "24322000000012345679")
        b.invoices[0].code = nil
        let decisions = reviewTwo(a, b)
        #expect(decisions.map(\.codes) == ["", ""])
        // Invoice code: the same number under canonically equivalent codes is two invoices.
        var c = RequestFixture.request(id: "DF3", order: "CXQ3", invoice: "12345678")
        c.invoices[0].code = "1234567890"
        c.invoices.append(c.invoices[0])
        c.invoices[1].code = "1234567890"
        #expect(RequestFixture.review(RequestFixture.input(c)).codes.contains("INVOICE_REUSED"))
        var d = c
        d.invoices[1].number = "1234567\u{212A}"
        #expect(!RequestFixture.review(RequestFixture.input(d)).codes.contains("INVOICE_REUSED"))
    }

    @Test("service ids: a report for a canonically equivalent service id is not the item's report")
    func serviceIDs() {
        var request = RequestFixture.request()
        request.order.items[0].serviceID = "LCFW" + Self.composed
        request.serviceReports[0] = ServiceReport(
            serviceID: "LCFW" + Self.decomposed, file: request.serviceReports[0].file)
        #expect(RequestFixture.review(RequestFixture.input(request)).codes.contains("REPORT_MISSING"))
    }

    @Test("shop ids: an item of a canonically equivalent shop is another shop")
    func shopIDs() {
        var request = RequestFixture.request()
        request.shopID = "S\u{212A}1"
        request.order.items[0].shopID = "SK1"
        var provider = RequestFixture.provider()
        provider = Provider(
            shopID: "S\u{212A}1", uscc: provider.uscc, name: provider.name, status: "active", cityCode: "320104")
        let decision = RequestFixture.review(RequestFixture.input(request, provider: provider))
        #expect(decision.codes.contains("MIXED_PROVIDERS"))
    }

    @Test("USCCs: a buyer USCC that differs only canonically from the enterprise's is another party")
    func usccs() {
        var request = RequestFixture.request()
        request.invoices[0].buyerUSCC = "91320214MA90NMYF8\u{212A}"
        let account = RequestFixture.account(uscc: "91320214MA90NMYF8K")
        request.enterpriseUSCC = "91320214MA90NMYF8K"
        let decision = RequestFixture.review(RequestFixture.input(request, account: account))
        #expect(decision.codes.contains("INVOICE_PARTY"))
    }

    @Test("service categories: canonically equivalent categories are two, in byte order")
    func categories() {
        var request = RequestFixture.request()
        request.order.items.append(request.order.items[0])
        request.order.items[0].category = "检测" + Self.composed
        request.order.items[1].category = "检测" + Self.decomposed
        let decision = RequestFixture.review(RequestFixture.input(request))
        #expect(
            decision.categories.map { Array($0.utf8) }
                == [("检测" + Self.decomposed), ("检测" + Self.composed)].map { Array($0.utf8) })
    }

    @Test("account names: a compatibility ideograph is not the registered name (BANK_ACCOUNT)")
    func accountNames() {
        var account = RequestFixture.account()
        account = VoucherAccount(
            year: 2024, uscc: account.uscc, enterpriseName: "江苏精研科技有限公司", enterpriseType: "tech_sme",
            cityCode: account.cityCode, qualificationNumber: account.qualificationNumber,
            qualifiedOn: account.qualifiedOn,
            priorYearRevenue: account.priorYearRevenue, status: "approved", grantedOn: account.grantedOn,
            quota: account.quota, usedBefore: .zero, bankName: account.bankName, bankCode: account.bankCode,
            accountName: "江苏\u{FA1D}研科技有限公司", accountNumber: account.accountNumber)
        #expect("江苏精研科技有限公司" == "江苏\u{FA1D}研科技有限公司")
        let decision = RequestFixture.review(RequestFixture.input(account: account))
        #expect(decision.codes.contains("BANK_ACCOUNT"))
    }
}

/// Every code has its Chinese label and explanation, and docs/rules/codes.md lists them.
@Suite("Chinese labels")
struct LabelTests {
    @Test("every finding code and quarantine reason has a distinct Chinese label and an explanation")
    func labels() throws {
        let labels = FindingCode.allCases.map(\.label)
        #expect(Set(labels).count == labels.count)
        for code in FindingCode.allCases {
            #expect(code.label.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "\(code)")
            #expect(code.explanation.hasSuffix("。"), "\(code)")
        }
        for reason in QuarantineReason.allCases { #expect(!reason.label.isEmpty && !reason.explanation.isEmpty) }
        #expect(FindingCode.labels(ofCodes: "BALANCE_SHORT;REQUEST_CAPPED") == "按剩余额度兑付；按核定金额兑付")
        #expect(FindingCode.labels(ofCodes: "") == "")
    }

    @Test("docs/rules/codes.md lists every code with its label")
    func documented() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/rules/codes.md"), encoding: .utf8)
        for code in FindingCode.allCases {
            #expect(text.contains("| `\(code.rawValue)` | \(code.label) |"), "\(code.rawValue)")
        }
        for reason in QuarantineReason.allCases {
            #expect(text.contains("| `\(reason.rawValue)` | \(reason.label) |"), "\(reason.rawValue)")
        }
    }
}
