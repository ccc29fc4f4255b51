import SettlementCore
import SettlementFormats
import Testing

/// The decoder looks each key up from just after the one found before (the platform's order), so
/// the order of a line's keys must not change what it reads.
@Suite("Request decoding whatever the order of the keys")
struct RequestDecoderTests {
    static let line = """
        {"request_id":"DF202408000001","revision":2,"order_no":"CXQ202408000001","voucher_year":2024,\
        "submitted_at":"2024-08-20T10:00:00+08:00","enterprise_uscc":"91320214MA90NMYF83","shop_id":"S000359",\
        "order":{"created_at":"2024-08-10T09:00:00+08:00","status":"completed","quoted_amount":"15000.00",\
        "planned_voucher_amount":"5250.00","items":[{"service_id":"L1","name":"生物相容性试验","category":"检测",\
        "shop_id":"S000359","quantity":1,"unit_price":"15000.00"}]},\
        "contracts":[{"contract_no":"S000359-2024-1","amount":"15000.00","signed_on":"2024-08-11",\
        "file":{"name":"合同.pdf","type":"pdf","size":1024,"sha256":"ab","path":"a/b.pdf"}}],\
        "requested_voucher_amount":"5250.00",\
        "invoices":[{"code":null,"number":"24322000000012345678","amount":"15000.00","issued_on":"2024-08-15",\
        "seller_uscc":"12320104858079426D","buyer_uscc":"91320214MA90NMYF83",\
        "file":{"name":"发票.pdf","type":"pdf","size":2048,"sha256":"cd","path":null}},\
        {"code":"032001900111","number":"00012345","amount":"0.00","issued_on":"2024-08-16",\
        "seller_uscc":"12320104858079426D","buyer_uscc":"91320214MA90NMYF83",\
        "file":{"name":"发票2.pdf","type":"pdf","size":10,"sha256":"ef"}}],\
        "bank_receipts":[{"amount":"15000.00","paid_on":"2024-08-16",\
        "file":{"name":"回单.pdf","type":"pdf","size":512,"sha256":"01","path":null}}],\
        "service_reports":[{"service_id":"L1","file":{"name":"报告.pdf","type":"pdf","size":4096,"sha256":"02"}}],\
        "rnd_proofs":[{"file":{"name":"研发.pdf","type":"pdf","size":8,"sha256":"03"}}],"other_materials":[]}
        """

    /// The JSON text of `value` with the members of every object in the order `arrange` gives.
    static func text(_ value: JSONValue, _ arrange: ([String]) -> [String]) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let literal): return literal
        case .string(let string): return JSONText.string(string)
        case .array(let elements): return "[" + elements.map { text($0, arrange) }.joined(separator: ",") + "]"
        case .object(let object):
            let members = zip(object.keys, object.values).map { JSONText.string($0) + ":" + text($1, arrange) }
            return "{" + arrange(members).joined(separator: ",") + "}"
        }
    }

    static func decode(_ text: String) throws -> (RedemptionRequest?, [String]) {
        var decoder = RequestDecoder()
        let request = decoder.decode(try JSONParser.parse(Array(text.utf8)))
        return (request, decoder.problems)
    }

    @Test("members reversed or shuffled decode to the same request")
    func anyOrder() throws {
        let parsed = try JSONParser.parse(Array(RequestDecoderTests.line.utf8))
        let (request, problems) = try RequestDecoderTests.decode(RequestDecoderTests.line)
        #expect(problems == [])
        let expected = try #require(request)
        #expect(expected.invoices.count == 2 && expected.invoices[1].file.path == nil)
        #expect(try RequestDecoderTests.decode(RequestDecoderTests.text(parsed) { $0.reversed() }).0 == expected)
        var random = SplitMix64(seed: 3)
        for _ in 0..<30 {
            let shuffled = RequestDecoderTests.text(parsed) { $0.shuffled(using: &random) }
            #expect(try RequestDecoderTests.decode(shuffled).0 == expected, "\(shuffled)")
        }
    }

    @Test("a missing or mistyped key is reported the same in any order")
    func problemsInAnyOrder() throws {
        let broken = RequestDecoderTests.line
            .replacing("\"order_no\":\"CXQ202408000001\",", with: "", maxReplacements: 1)
            .replacing(
                "\"amount\":\"15000.00\",\"signed_on\"", with: "\"amount\":15000,\"signed_on\"", maxReplacements: 1)
        let parsed = try JSONParser.parse(Array(broken.utf8))
        let (request, problems) = try RequestDecoderTests.decode(broken)
        #expect(request == nil)
        #expect(problems.contains("order_no: missing"))
        #expect(problems.contains { $0.hasPrefix("contracts[0].amount:") }, "\(problems)")
        #expect(try RequestDecoderTests.decode(RequestDecoderTests.text(parsed) { $0.reversed() }).1 == problems)
    }
}
