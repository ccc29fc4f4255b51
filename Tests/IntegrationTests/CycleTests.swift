import Foundation
import SettlementCore
import SettlementJobs
import SettlementSample
import SettlementStore
import Testing

/// The monthly cron runs over the sample inbox, the bank's answer in between.
@Suite("The monthly cycle")
struct CycleTests {
    static var sampleInbox: String { StageHarness.repositoryRoot + "/SampleData/inbox" }

    func arrive(_ month: String, into inbox: String) throws {
        try FileManager.default.copyItem(atPath: CycleTests.sampleInbox + "/" + month, toPath: inbox + "/" + month)
    }

    @Test("four monthly runs ingest, review, disburse; a second run does nothing; a returned payment is paid again")
    func monthlyRuns() throws {
        let inbox = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: inbox) }
        try withHarness { harness in
            try arrive("2024-07", into: inbox)
            let august = try harness.cycle(asOf: "2024-08-02", inbox: inbox, verify: true)
            #expect(august.exitCode == 0, "\(august.problems)")
            #expect(august.actions.count == 2)
            #expect(august.actions[0].hasPrefix("ingested 2024-07"))
            #expect(august.actions[1].hasPrefix("review 1 of batch 2024-07"))

            try arrive("2024-08", into: inbox)
            let september = try harness.cycle(asOf: "2024-09-02", inbox: inbox, verify: true)
            #expect(september.exitCode == 0, "\(september.problems)")
            #expect(september.actions.contains { $0.hasPrefix("disbursement 1 of batch 2024-07") })
            let again = try harness.cycle(asOf: "2024-09-02", inbox: inbox, verify: true)
            #expect(again.actions.isEmpty && again.exitCode == 0, "\(again.text)")

            // The bank returns DF202407000003's payment (its enterprise's account is corrected in September).
            let returned = try #require(
                try harness.connection.query(
                    "SELECT end_to_end_id, request_id, amount FROM payment_lines WHERE request_id = 'DF202407000003'"
                ).first)
            let results = inbox + "/results.csv"
            try Data("企业流水号,状态,说明\n\(returned.string(0)),退回,户名与账号不符\n".utf8).write(to: URL(fileURLWithPath: results))
            let reconciled = try harness.reconcile(results)
            #expect(reconciled.returned == 1)
            #expect(try harness.reconcile(results).alreadyApplied)

            // Until the roster corrects the account, the returned item is not paid again.
            let blocked = try harness.cycle(asOf: "2024-09-10", inbox: inbox)
            #expect(!blocked.actions.contains { $0.contains("batch 2024-07") }, "\(blocked.text)")
            #expect(blocked.actions.contains { $0.hasPrefix("disbursement 1 of batch 2024-08") })
            let account = try #require(
                try harness.connection.query(
                    "SELECT account_number FROM payment_lines WHERE end_to_end_id = $1", [returned.string(0)]
                ).first?.string(0))
            // The September export carries the corrected account (only DF202407000003's enterprise changes).
            try arrive("2024-09", into: inbox)
            let october = try harness.cycle(asOf: "2024-10-08", inbox: inbox)
            #expect(october.exitCode == 0, "\(october.problems)")
            let repaid = try harness.connection.query(
                """
                SELECT p.account_number, l.kind, l.amount FROM payment_lines p JOIN ledger_entries l ON l.id = p.ledger_entry
                 WHERE p.request_id = $1 ORDER BY l.id
                """, [returned.string(1)])
            #expect(repaid.rows.map { $0.string(1) } == ["payment", "repayment"])
            #expect(repaid.rows.last?.string(0) != account)
            #expect(repaid.rows.last?.int64(2) == returned.int64(2))
            // The payment report says what the line is: a repayment replacing the returned payment.
            let report = try String(contentsOfFile: harness.out + "/2024-07/payment-02/report.html", encoding: .utf8)
            #expect(report.contains("重新支付（替代被退回的 \(returned.string(0))）"))
            let paidOnce = try harness.connection.query(
                "SELECT count(*) FROM ledger_entries WHERE request_id = $1 AND kind = 'payment'", [returned.string(1)])
            #expect(paidOnce.first?.int(0) == 1)
            let status = try StatusReport.load(harness.connection, month: nil)
            #expect(status.batches.map(\.month) == ["2024-07", "2024-08", "2024-09"])
            #expect(status.unfinished.isEmpty)
            #expect(status.json.contains("\"month\":\"2024-09\""))
        }
    }

    @Test("a changed bundle for a reviewed month makes the cycle exit 5 after doing the rest")
    func changedAfterReview() throws {
        let inbox = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: inbox) }
        try withHarness { harness in
            try arrive("2024-07", into: inbox)
            _ = try harness.cycle(asOf: "2024-08-02", inbox: inbox)
            let path = inbox + "/2024-07/redemptions.jsonl"
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            try Data((lines.dropLast().joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
            try arrive("2024-08", into: inbox)
            let summary = try harness.cycle(asOf: "2024-09-02", inbox: inbox)
            #expect(summary.exitCode == 5)
            #expect(summary.problems.first?.contains("rerun") == true)
            #expect(summary.actions.contains { $0.hasPrefix("review 1 of batch 2024-08") })
        }
    }
}

@Suite("The sample generator")
struct SampleGeneratorTests {
    func generate(seed: UInt64, requests: Int = 150) throws -> (String, [String: Data]) {
        let directory = try scratchDirectory()
        let months = ["2024-07", "2024-08", "2024-09"].compactMap { BatchMonth($0) }
        _ = try SampleGenerator(
            options: SampleGenerator.Options(
                requests: requests, seed: seed, months: months, out: directory, attachments: true)
        ).generate()
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                files[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
            }
        }
        return (directory, files)
    }

    @Test("the same seed gives the same inbox, byte for byte: SampleData/inbox is reproducible")
    func deterministic() throws {
        let (first, files) = try generate(seed: 2024)
        defer { try? FileManager.default.removeItem(atPath: first) }
        let (second, again) = try generate(seed: 2024)
        defer { try? FileManager.default.removeItem(atPath: second) }
        #expect(files == again)
        for name in [
            "2024-07/redemptions.jsonl", "2024-08/vouchers.csv", "2024-09/providers.csv", "2024-07/objections.csv",
        ] {
            let committed = try Data(contentsOf: URL(fileURLWithPath: CycleTests.sampleInbox + "/" + name))
            #expect(files[name] == committed, "\(name) differs from SampleData/inbox")
        }
        let (other, different) = try generate(seed: 2025)
        defer { try? FileManager.default.removeItem(atPath: other) }
        #expect(different["2024-07/redemptions.jsonl"] != files["2024-07/redemptions.jsonl"])
    }
}
