import SettlementCore
import Testing

/// Integers must be JSON integers that fit in 64 bits: at 2^31 and 2^63−1 a line is a request, at
/// 2^63 it is MALFORMED naming the key — for every integer field.
@Suite("64-bit integers in request lines")
struct WideIntegerTests {
    static let line = """
        {"request_id":"DF1","revision":REVISION,"order_no":"CXQ1","voucher_year":YEAR,\
        "submitted_at":"2024-08-20T10:00:00+08:00","enterprise_uscc":"91320214MA90NMYF83","shop_id":"S1",\
        "order":{"created_at":"2024-08-10T09:00:00+08:00","status":"in_service","quoted_amount":"1.00",\
        "planned_voucher_amount":"1.00","items":[{"service_id":"L1","name":"n","category":"c","shop_id":"S1",\
        "quantity":QUANTITY,"unit_price":"1.00"}]},"contracts":[],"requested_voucher_amount":"1.00",\
        "invoices":[],"bank_receipts":[],"service_reports":[],"rnd_proofs":[{"file":{"name":"a.pdf","type":"pdf",\
        "size":SIZE,"sha256":"00"}}],"other_materials":[]}
        """

    static let fields = ["REVISION", "YEAR", "QUANTITY", "SIZE"]
    static let keyPaths = [
        "REVISION": "revision", "YEAR": "voucher_year", "QUANTITY": "order.items[0].quantity",
        "SIZE": "rnd_proofs[0].file.size",
    ]

    func read(_ field: String, _ value: String) -> LineOutcome {
        var text = WideIntegerTests.line
        for other in WideIntegerTests.fields {
            text = text.split(separator: other, omittingEmptySubsequences: false).joined(
                separator: other == field ? value : "1")
        }
        guard let month = BatchMonth("2024-08") else { return .malformed(detail: "no month", requestID: nil) }
        return LineReader.read(Array(text.utf8), month: month)
    }

    @Test("2^31 and 2^63−1 are integers", arguments: fields)
    func fits(_ field: String) {
        for value in ["2147483648", "9223372036854775807"] {
            guard case .wellFormed(let request) = read(field, value) else {
                Issue.record("\(field) = \(value) was not read")
                continue
            }
            if field == "REVISION" { #expect(String(request.revision) == value) }
            if field == "YEAR" { #expect(String(request.voucherYear) == value) }
            if field == "QUANTITY" { #expect(String(request.order.items[0].quantity) == value) }
            if field == "SIZE" { #expect(String(request.rndProofs[0].size) == value) }
        }
    }

    @Test("2^63 and beyond are MALFORMED, naming the key", arguments: fields)
    func beyond(_ field: String) {
        for value in ["9223372036854775808", "100000000000000000000000000000"] {
            guard case .malformed(let detail, _) = read(field, value) else {
                Issue.record("\(field) = \(value) was read")
                continue
            }
            #expect(detail.contains(WideIntegerTests.keyPaths[field] ?? "?"), "\(detail)")
        }
    }

    @Test("a voucher year of −2^63 is an integer; −2^63−1 is not")
    func negative() {
        guard case .wellFormed(let request) = read("YEAR", "-9223372036854775808") else {
            Issue.record("−2^63 was not read")
            return
        }
        #expect(request.voucherYear == Int.min)
        guard case .malformed = read("YEAR", "-9223372036854775809") else {
            Issue.record("−2^63−1 was read")
            return
        }
    }

    @Test("a voucher year beyond the calendar expires at its range's end, never crashes")
    func farYears() {
        #expect(Policy(year: Int.max).redemptionDeadline == CivilDate(iso: "9999-12-31"))
        #expect(Policy(year: Int.min).redemptionDeadline == CivilDate(iso: "0001-12-31"))
    }
}
