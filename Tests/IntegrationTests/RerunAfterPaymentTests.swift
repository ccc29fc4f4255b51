import Foundation
import SettlementCore
import SettlementJobs
import SettlementStore
import Testing

/// A rerun after the payment file was written: paid items are frozen; a higher amount becomes a
/// supplementary payment, a lower one an overpayment for finance to recover; nothing is paid twice.
@Suite("Reruns after disbursement")
struct RerunAfterPaymentTests {
    func setRequested(_ builder: BundleBuilder, _ requestID: String, from old: String, to new: String) throws {
        var lines = try builder.requestLines()
        let index = try #require(lines.firstIndex { $0.contains("\"\(requestID)\"") })
        let before = lines[index]
        lines[index] = before.replacingOccurrences(
            of: "\"requested_voucher_amount\":\"\(old)\"", with: "\"requested_voucher_amount\":\"\(new)\"")
        #expect(lines[index] != before, "\(requestID) has no requested amount \(old)")
        try builder.write("redemptions.jsonl", lines.joined(separator: "\n") + "\n")
    }

    @Test("higher → supplement in the next payment file; lower → overpayment recorded; never a second payment")
    func frozenItems() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try withHarness { harness in
            _ = try harness.ingest(builder.directory)
            _ = try harness.review("2024-07")
            let first = try harness.disburse("2024-07", asOf: "2024-08-08")
            // DF2024070034 asked 92.75 of an entitlement of 175.00; DF2024070009 was paid 3000.00.
            try setRequested(builder, "DF2024070034", from: "92.75", to: "175.00")
            try setRequested(builder, "DF2024070009", from: "3000.00", to: "2500.00")
            let rerun = try harness.rerun(
                "2024-07", asOf: "2024-08-12", reason: "amounts corrected", bundle: builder.directory)
            #expect(rerun.changes == 2)
            let rerunReport = try String(contentsOfFile: rerun.outputDirectory + "/report.html", encoding: .utf8)
            #expect(rerunReport.contains("多付，需追回"))
            #expect(rerunReport.contains("DF2024070009"))

            let ledger = { (request: String) throws -> [String] in
                try harness.connection.query(
                    "SELECT kind || ' ' || amount FROM ledger_entries WHERE request_id = $1 ORDER BY id", [request]
                ).rows.map { $0.string(0) }
            }
            #expect(try ledger("DF2024070034") == ["reservation 9275", "payment 9275", "reservation 8225"])
            #expect(try ledger("DF2024070009") == ["reservation 300000", "payment 300000", "overpayment 50000"])

            // The new publicity window must close before the supplement is paid.
            let early = #expect(throws: SettleError.self) { try harness.disburse("2024-07", asOf: "2024-08-16") }
            #expect(early?.exitCode == 5)
            let second = try harness.disburse("2024-07", asOf: "2024-08-20")
            #expect(second.payments == 1)
            #expect(second.total == Fen(8_225))
            #expect(try ledger("DF2024070034").last == "supplement 8225")
            let payments = try harness.connection.query(
                "SELECT count(*) FROM ledger_entries WHERE kind = 'payment' GROUP BY request_id HAVING count(*) > 1")
            #expect(payments.rows.isEmpty)
            let paid = try harness.connection.query(
                "SELECT sum(amount) FROM ledger_entries WHERE kind IN ('payment', 'supplement')"
            ).first?.int64(0)
            #expect(paid == first.total.value + 8_225)
            let report = try String(contentsOfFile: second.outputDirectory + "/report.html", encoding: .utf8)
            #expect(report.contains("一致"))
        }
    }
}
