import SettlementCore
import Testing

/// The record ingest stores beside a line must give back exactly the request it decoded (less the
/// attachments' SHA-256 and path, which no rule reads), and a record that is cut, edited or of
/// another form must read as nothing — never as another request and never as a crash.
@Suite("Review records")
struct ReviewRecordTests {
    @Test("a request reads back equal, texts with separators, digits, emoji and empty strings included")
    func roundTrip() throws {
        var request = RequestFixture.request()
        request.orderNumber = "12:34~5"
        request.invoices[0].code = "3200"
        request.invoices.append(
            Invoice(
                code: "", number: "", amount: Fen(-1), issuedOn: RequestFixture.date("1969-12-31"),
                sellerUSCC: "~", buyerUSCC: "9:", file: RequestFixture.file("发票 🧾.pdf")))
        request.rndProofs[0].path = "attachments/R/研发.pdf"
        request.otherMaterials = [RequestFixture.file("", type: "", size: Int64.max)]
        request.submittedAt = Instant(seconds: -5, nanoseconds: 999_999_999)
        let record = try #require(ReviewRecord.encode(request))
        #expect(ReviewRecord.decode(String(decoding: record, as: UTF8.self)) == request.withoutAttachmentIdentity)
    }

    @Test("the extremes of 64-bit numbers read back equal")
    func extremes() throws {
        for value in [Int64.min, Int64.min + 1, -1, 0, Int64(Int32.max) + 1, Int64.max] {
            var request = RequestFixture.request()
            request.revision = Int(value)
            request.order.items[0].quantity = Int(value)
            request.requestedVoucherAmount = Fen(value)
            request.contracts[0].file.size = value
            request.submittedAt = Instant(seconds: value, nanoseconds: 0)
            let record = try #require(ReviewRecord.encode(request))
            #expect(ReviewRecord.decode(String(decoding: record, as: UTF8.self)) == request.withoutAttachmentIdentity)
        }
        // One past either end is not a number of the form.
        let text = String(decoding: try #require(ReviewRecord.encode(RequestFixture.request())), as: UTF8.self)
        for outside in ["-9223372036854775809", "9223372036854775808"] {
            let edited = text.replacingFirst("1:1", with: "\(outside.utf8.count):\(outside)")
            #expect(edited != text)
            #expect(ReviewRecord.decode(edited) == nil)
        }
    }

    @Test("random requests read back equal")
    func randomRoundTrips() throws {
        var random = SplitMix64(seed: 12)
        for _ in 0..<500 {
            let request = RandomRequest.make(&random)
            let record = try #require(ReviewRecord.encode(request))
            let decoded = try #require(ReviewRecord.decode(String(decoding: record, as: UTF8.self)))
            #expect(decoded == request.withoutAttachmentIdentity)
            // Byte for byte: `==` on texts is canonical equivalence, the record keeps the bytes.
            #expect(ReviewRecord.encode(decoded) == record)
        }
    }

    @Test("a text holding NUL has no record (the JSON is read instead)")
    func nulHasNoRecord() {
        var request = RequestFixture.request()
        request.order.items[0].name = "a\u{0}b"
        #expect(ReviewRecord.encode(request) == nil)
    }

    @Test("every cut, a changed version, trailing bytes and broken numbers read as nothing")
    func brokenRecords() throws {
        let record = try #require(ReviewRecord.encode(RequestFixture.request()))
        for length in 0..<record.count {
            #expect(ReviewRecord.decode(String(decoding: record[..<length], as: UTF8.self)) == nil)
        }
        let text = String(decoding: record, as: UTF8.self)
        #expect(ReviewRecord.decode(text + "0:") == nil)
        #expect(ReviewRecord.decode("3:RV2" + text.dropFirst(5)) == nil)
        #expect(ReviewRecord.decode("99999999999999999999:") == nil)
        #expect(ReviewRecord.decode("3:RV1~") == nil)
        #expect(ReviewRecord.decode("2:R1" + text.dropFirst(5)) == nil)
    }

    @Test("a field edited byte by byte never crashes the reader")
    func editedRecords() throws {
        let record = try #require(ReviewRecord.encode(RequestFixture.request()))
        var random = SplitMix64(seed: 3)
        let alphabet = Array("0123456789:~-R".utf8)
        for _ in 0..<3_000 {
            var edited = record
            let index = Int(random.next() % UInt64(edited.count))
            edited[index] = alphabet[Int(random.next() % UInt64(alphabet.count))]
            _ = ReviewRecord.decode(String(decoding: edited, as: UTF8.self))
        }
        // A date far outside any calendar, written where the contract's date stands.
        let huge = ReviewRecord.decode(
            String(decoding: record, as: UTF8.self).replacingFirst("5:19947", with: "19:9223372036854775807"))
        #expect(huge == nil)
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}

/// Requests of random shape and content for round trips.
enum RandomRequest {
    static func make(_ random: inout SplitMix64) -> RedemptionRequest {
        func number(_ bound: UInt64) -> Int { Int(random.next() % bound) }
        func text() -> String {
            let pieces = ["", "a", ":", "~", "12", "发票", "🧾", "\t", "\n", "\\", "\u{1F}", "é", "e\u{301}"]
            return (0..<Int(random.next() % 5)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                .joined()
        }
        func signed() -> Int64 { Int64(bitPattern: random.next()) }
        func date() -> CivilDate { CivilDate(daysSinceEpoch: Int64(random.next() % 200_000) - 100_000) }
        func file() -> FileDescriptor {
            FileDescriptor(
                name: text(), type: text(), size: signed(), sha256: text(), path: random.next() % 2 == 0 ? nil : text())
        }
        func list<Element>(_ make: () -> Element) -> [Element] { (0..<number(4)).map { _ in make() } }
        return RedemptionRequest(
            requestID: text(), revision: Int(signed()), orderNumber: text(), voucherYear: number(3_000),
            submittedAt: Instant(seconds: signed(), nanoseconds: Int32(number(1_000_000_000))),
            enterpriseUSCC: text(), shopID: text(),
            order: Order(
                createdAt: Instant(seconds: signed(), nanoseconds: 0), status: text(), quotedAmount: Fen(signed()),
                plannedVoucherAmount: Fen(signed()),
                items: list {
                    OrderItem(
                        serviceID: text(), name: text(), category: text(), shopID: text(), quantity: Int(signed()),
                        unitPrice: Fen(signed()))
                }),
            contracts: list { Contract(contractNumber: text(), amount: Fen(signed()), signedOn: date(), file: file()) },
            requestedVoucherAmount: Fen(signed()),
            invoices: list {
                Invoice(
                    code: random.next() % 2 == 0 ? nil : text(), number: text(), amount: Fen(signed()),
                    issuedOn: date(), sellerUSCC: text(), buyerUSCC: text(), file: file())
            },
            bankReceipts: list { BankReceipt(amount: Fen(signed()), paidOn: date(), file: file()) },
            serviceReports: list { ServiceReport(serviceID: text(), file: file()) },
            rndProofs: list(file), otherMaterials: list(file))
    }
}
