import Foundation
import SettlementCore
import SettlementJobs
import SettlementStore
import Testing

/// Money after the first payment: reruns after bank returns, returns after reruns, answers that
/// contradict each other. DF2024070009 (conformance July) is paid 3000.00 to account
/// 37875038515263099 in payment-01.
@Suite("After the first payment")
struct AfterPaymentTests {
    static let request = "DF2024070009"
    static let uscc = "91320214MA90NMYF83"
    static let oldAccount = "37875038515263099"

    /// July reviewed and paid.
    func paidJuly(_ harness: StageHarness, _ builder: BundleBuilder) throws {
        _ = try harness.ingest(builder.directory)
        _ = try harness.review("2024-07")
        _ = try harness.disburse("2024-07", asOf: "2024-08-08")
    }

    func ledger(_ harness: StageHarness, _ request: String = request) throws -> [String] {
        try harness.connection.query(
            "SELECT kind || ' ' || amount FROM ledger_entries WHERE request_id = $1 ORDER BY id", [request]
        ).rows.map { $0.string(0) }
    }

    func paymentID(_ harness: StageHarness, _ request: String = request) throws -> String {
        try #require(
            try harness.connection.query(
                "SELECT end_to_end_id FROM payment_lines WHERE request_id = $1 ORDER BY ledger_entry DESC LIMIT 1",
                [request]
            ).first?.string(0))
    }

    /// Writes a bank result file and returns its path.
    func bankFile(_ rows: [(String, String)], name: String = UUID().uuidString) throws -> String {
        let path = try scratchDirectory() + "/\(name).csv"
        let text = "企业流水号,状态,说明\n" + rows.map { "\($0.0),\($0.1),测试" }.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func returnPayment(_ harness: StageHarness) throws {
        let result = try harness.reconcile(try bankFile([(try paymentID(harness), "退回")]))
        #expect(result.returned == 1)
    }

    /// Replaces one field of the request's line in redemptions.jsonl.
    func edit(_ builder: BundleBuilder, _ old: String, _ new: String, request: String = request) throws {
        var lines = try builder.requestLines()
        let index = try #require(lines.firstIndex { $0.contains("\"\(request)\"") })
        let before = lines[index]
        lines[index] = before.replacingOccurrences(of: old, with: new)
        #expect(lines[index] != before)
        try builder.write("redemptions.jsonl", lines.joined(separator: "\n") + "\n")
    }

    func correctAccount(_ builder: BundleBuilder) throws {
        let text = try builder.read("vouchers.csv")
        try builder.write(
            "vouchers.csv", text.replacingOccurrences(of: AfterPaymentTests.oldAccount, with: "62220000111122223"))
    }

    @Test("a returned payment whose request a rerun rejects is not repaid, and no overpayment is recorded")
    func returnedThenRejected() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try withHarness { harness in
            try paidJuly(harness, builder)
            try returnPayment(harness)
            try edit(builder, "\"status\":\"completed\"", "\"status\":\"invalid\"")
            try correctAccount(builder)
            let rerun = try harness.rerun(
                "2024-07", asOf: "2024-08-12", reason: "order cancelled", bundle: builder.directory)
            #expect(rerun.changes == 1)
            #expect(try ledger(harness) == ["reservation 300000", "payment 300000", "return 300000", "release 300000"])
            let report = try String(contentsOfFile: rerun.outputDirectory + "/report.html", encoding: .utf8)
            #expect(!report.contains("多付，需追回"))
            let second = #expect(throws: SettleError.self) { try harness.disburse("2024-07", asOf: "2024-08-20") }
            #expect(second?.exitCode == 5)
            #expect(try ledger(harness).count == 4)
            #expect(try LedgerCheck.run(harness.connection).isClean)
        }
    }

    @Test("a returned payment whose amount a rerun lowers is repaid at the new amount, once the account is corrected")
    func returnedThenLowered() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try withHarness { harness in
            try paidJuly(harness, builder)
            try returnPayment(harness)
            try edit(builder, "\"requested_voucher_amount\":\"3000.00\"", "\"requested_voucher_amount\":\"2500.00\"")
            // First without a corrected account: the repayment waits.
            _ = try harness.rerun("2024-07", asOf: "2024-08-12", reason: "amount lowered", bundle: builder.directory)
            #expect(
                try ledger(harness) == [
                    "reservation 300000", "payment 300000", "return 300000", "release 300000", "reservation 250000",
                ])
            let waiting = #expect(throws: SettleError.self) { try harness.disburse("2024-07", asOf: "2024-08-20") }
            #expect(waiting?.exitCode == 5)
            #expect(try ledger(harness).allSatisfy { !$0.hasPrefix("repayment") })
            try correctAccount(builder)
            _ = try harness.rerun("2024-07", asOf: "2024-08-21", reason: "account corrected", bundle: builder.directory)
            let repaid = try harness.disburse("2024-07", asOf: "2024-08-29")
            #expect(repaid.payments == 1)
            #expect(repaid.total == Fen(250_000))
            #expect(try ledger(harness).suffix(1) == ["repayment 250000"])
            #expect(try ledger(harness).allSatisfy { !$0.hasPrefix("overpayment") })
            let line = try harness.connection.query(
                "SELECT account_number FROM payment_lines WHERE end_to_end_id = $1", [try paymentID(harness)]
            ).first?.string(0)
            #expect(line == "62220000111122223")
            #expect(try LedgerCheck.run(harness.connection).isClean)
        }
    }

    @Test("a return after a rerun lowered the amount is owed only up to the new payable")
    func loweredThenReturned() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try withHarness { harness in
            try paidJuly(harness, builder)
            try edit(builder, "\"requested_voucher_amount\":\"3000.00\"", "\"requested_voucher_amount\":\"2500.00\"")
            _ = try harness.rerun("2024-07", asOf: "2024-08-12", reason: "amount lowered", bundle: builder.directory)
            #expect(try ledger(harness) == ["reservation 300000", "payment 300000", "overpayment 50000"])
            let result = try harness.reconcile(try bankFile([(try paymentID(harness), "退回")]))
            #expect(result.returned == 1)
            #expect(result.notes.contains { $0.contains("remains to recover") })
            #expect(
                try ledger(harness) == [
                    "reservation 300000", "payment 300000", "overpayment 50000", "return 300000", "release 300000",
                    "reservation 250000",
                ])
            try correctAccount(builder)
            _ = try harness.rerun("2024-07", asOf: "2024-08-21", reason: "account corrected", bundle: builder.directory)
            let repaid = try harness.disburse("2024-07", asOf: "2024-08-29")
            #expect(repaid.total == Fen(250_000))
            #expect(try ledger(harness).last == "repayment 250000")
            #expect(try LedgerCheck.run(harness.connection).isClean)
        }
    }

    @Test("成功 after 退回 refuses the file, disputes the payment, nothing repays it; resolve --paid reverses the return")
    func paidAfterReturned() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try withHarness { harness in
            try paidJuly(harness, builder)
            let payment = try paymentID(harness)
            try returnPayment(harness)
            let contradiction = try bankFile([(payment, "成功")])
            let refusal = #expect(throws: SettleError.self) { try harness.reconcile(contradiction) }
            #expect(refusal?.exitCode == 3)
            #expect(refusal?.message.contains("line 2: \(payment) says paid but the bank said returned before") == true)
            // The same file again is refused again; the dispute is recorded once.
            #expect(throws: SettleError.self) { try harness.reconcile(contradiction) }
            let status = try StatusReport.load(harness.connection, month: nil)
            #expect(status.disputes.map(\.endToEndID) == [payment])
            #expect(status.text.contains("DISPUTED: payment \(payment)"))

            // A later bundle corrects the account: the disputed item is still not repaid.
            let august = try BundleBuilder.fromConformance(month: "2024-08")
            defer { august.remove() }
            try correctAccount(august)
            _ = try harness.ingest(august.directory)
            let held = #expect(throws: SettleError.self) { try harness.disburse("2024-07", asOf: "2024-08-20") }
            #expect(held?.exitCode == 5)
            #expect(try ledger(harness) == ["reservation 300000", "payment 300000", "return 300000"])

            let resolved = try ResolveStage(connection: harness.connection, logger: harness.logger).run(
                ResolveStage.Options(
                    paymentID: payment, resolution: .paid, reason: "bank statement shows the credit", person: "王会计",
                    out: harness.out))
            #expect(resolved.actions.first?.contains("reversed") == true)
            #expect(
                try ledger(harness) == [
                    "reservation 300000", "payment 300000", "return 300000", "reinstatement 300000",
                ])
            #expect(
                try harness.connection.query(
                    "SELECT resolution, resolved_by FROM payment_disputes WHERE end_to_end_id = $1", [payment]
                ).first?.cells == ["paid", "王会计"])
            #expect(try StatusReport.load(harness.connection, month: nil).disputes.isEmpty)
            #expect(try LedgerCheck.run(harness.connection).isClean)
            let nothing = #expect(throws: SettleError.self) { try harness.disburse("2024-07", asOf: "2024-08-21") }
            #expect(nothing?.exitCode == 5)
            let again = #expect(throws: SettleError.self) {
                try ResolveStage(connection: harness.connection, logger: harness.logger).run(
                    ResolveStage.Options(
                        paymentID: payment, resolution: .paid, reason: "x", person: "y", out: harness.out))
            }
            #expect(again?.exitCode == 5)
        }
    }

    @Test("退回 after 成功 is disputed too; resolve --returned makes the amount owed again")
    func returnedAfterPaid() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try withHarness { harness in
            try paidJuly(harness, builder)
            let payment = try paymentID(harness)
            _ = try harness.reconcile(try bankFile([(payment, "成功")]))
            #expect(throws: SettleError.self) { try harness.reconcile(try bankFile([(payment, "退回")])) }
            #expect(try ledger(harness) == ["reservation 300000", "payment 300000"])
            _ = try ResolveStage(connection: harness.connection, logger: harness.logger).run(
                ResolveStage.Options(
                    paymentID: payment, resolution: .returned, reason: "bank confirms the return", person: "李主管",
                    out: harness.out))
            #expect(try ledger(harness) == ["reservation 300000", "payment 300000", "return 300000"])
            #expect(try LedgerCheck.run(harness.connection).isClean)
        }
    }

    @Test("a bank file is checked whole: every bad line named, nothing applied; a repeated id is a bad line")
    func badFiles() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try withHarness { harness in
            try paidJuly(harness, builder)
            let payment = try paymentID(harness)
            let other = try paymentID(harness, "DF2024070034")
            let file = try bankFile([
                (payment, "成功"), ("CXQ202407P01-9999999", "成功"), (other, "maybe"), (payment, "成功"),
            ])
            let refusal = #expect(throws: SettleError.self) { try harness.reconcile(file) }
            #expect(refusal?.exitCode == 3)
            let message = refusal?.message ?? ""
            #expect(message.contains("4 of 4 lines cannot be applied"))
            #expect(message.contains("line 2: payment id \(payment) is named on 2 lines of the file (lines 2 and 5 …)"))
            #expect(message.contains("line 3: payment id CXQ202407P01-9999999 is not a payment of this system"))
            #expect(message.contains("line 4: status 'maybe' is not understood"))
            #expect(message.contains("line 5: payment id \(payment) is named on 2 lines of the file"))
            #expect(try harness.connection.query("SELECT count(*) FROM bank_results").first?.int(0) == 0)
            let directory = #expect(throws: SettleError.self) { try harness.reconcile(harness.out) }
            #expect(directory?.exitCode == 3)

            // A good file applies once; the same file again changes nothing.
            let good = try bankFile([(payment, "成功"), (other, "成功")])
            #expect(try harness.reconcile(good).paid == 2)
            #expect(try harness.reconcile(good).alreadyApplied)
            // Another file repeating the same answers records them as already known.
            let repeatFile = try bankFile([(payment, "paid")])
            let repeated = try harness.reconcile(repeatFile)
            #expect(repeated.repeated == 1 && repeated.paid == 0)
        }
    }

    @Test("a bank file whose header names the status (or the id) twice is refused: two columns could say two things")
    func headerNamingAColumnTwice() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try withHarness { harness in
            try paidJuly(harness, builder)
            let id = try paymentID(harness)
            let entries = try ledger(harness)
            for header in ["企业流水号,状态,status", "企业流水号,end_to_end_id,状态", "企业流水号,状态,状态"] {
                let path = try scratchDirectory() + "/twice.csv"
                try Data("\(header)\n\(id),成功,退回\n".utf8).write(to: URL(fileURLWithPath: path))
                let refused = #expect(throws: SettleError.self) { try harness.reconcile(path) }
                #expect(refused?.exitCode == 3, "\(header)")
                #expect(refused?.message.contains("more than once") == true, "\(refused?.message ?? "")")
            }
            #expect(try ledger(harness) == entries)
            #expect(try harness.connection.query("SELECT count(*) FROM bank_results").first?.int(0) == 0)
            // Two detail columns (说明 and 备注, as some banks write) are fine: the first is kept.
            let details = try scratchDirectory() + "/details.csv"
            try Data("企业流水号,状态,说明,备注\n\(id),成功,已入账,无\n".utf8).write(to: URL(fileURLWithPath: details))
            #expect(try harness.reconcile(details).paid == 1)
            let detail = try harness.connection.query("SELECT detail FROM bank_results").first?.string(0)
            #expect(detail == "已入账")
        }
    }

    @Test("one bank file for two batches is applied to each in its own run")
    func twoBatches() throws {
        let inbox = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: inbox) }
        try withHarness { harness in
            for month in ["2024-07", "2024-08"] {
                try FileManager.default.copyItem(
                    atPath: StageHarness.fixtures + "/conformance/inbox/" + month, toPath: inbox + "/" + month)
            }
            let reviews = try harness.cycle(asOf: "2024-09-02", inbox: inbox)
            #expect(reviews.exitCode == 0, "\(reviews.problems)")
            let payments = try harness.cycle(asOf: "2024-09-10", inbox: inbox)
            #expect(payments.exitCode == 0, "\(payments.problems)")
            let ids = try harness.connection.query(
                """
                SELECT (SELECT min(end_to_end_id) FROM payment_lines p JOIN disbursements d USING (run_id) WHERE d.month = '2024-07'),
                       (SELECT min(end_to_end_id) FROM payment_lines p JOIN disbursements d USING (run_id) WHERE d.month = '2024-08')
                """
            ).first
            let file = try bankFile([(ids?.string(0) ?? "", "成功"), (ids?.string(1) ?? "", "退回")])
            let result = try harness.reconcile(file)
            #expect(result.paid == 1 && result.returned == 1)
            #expect(result.outputDirectories.count == 2)
            #expect(result.outputDirectories.allSatisfy { $0.hasSuffix("/reconcile-01") })
        }
    }
}
