import Foundation
import SettlementCore
import SettlementJobs
import SettlementStore
import Testing

/// The ledger's guards hold against the role settle works as; what a more powerful role edits is
/// found before money moves.
@Suite("A ledger no database user can bend")
struct LedgerRolesTests {
    let july = StageHarness.fixtures + "/conformance/inbox/2024-07"

    @Test(
        "the application role cannot write the counters, alter the ledger, disable its triggers or replication",
        arguments: [
            "UPDATE voucher_accounts SET paid_fen = 0, reserved_fen = 0",
            "UPDATE voucher_accounts SET reserved_fen = reserved_fen - 1",
            "INSERT INTO voucher_accounts (uscc, year, limit_fen, reserved_fen) VALUES ('X', 2024, 1, 0)",
            "ALTER TABLE ledger_entries DISABLE TRIGGER ledger_apply",
            "ALTER TABLE ledger_entries DISABLE TRIGGER USER",
            "SET session_replication_role = replica",
            "DROP TRIGGER ledger_append_only ON ledger_entries",
            "UPDATE ledger_entries SET amount = 1",
            "DELETE FROM ledger_entries",
            "TRUNCATE ledger_entries CASCADE",
            "DELETE FROM payment_lines",
            "UPDATE decisions SET payable = payable + 100",
        ])
    func applicationRoleRefused(_ statement: String) throws {
        try withHarness { harness in
            _ = try harness.ingest(july)
            _ = try harness.review("2024-07")
            let error = #expect(throws: DatabaseError.self) { try harness.connection.execute(statement) }
            #expect(["42501", "42P01"].contains(error?.sqlState ?? ""), "\(String(describing: error))")
        }
    }

    @Test("counters edited through the owner role are found by the next disbursement and review, and by settle check")
    func ownerEditsDetected() throws {
        try withHarness { harness in
            _ = try harness.ingest(july)
            _ = try harness.review("2024-07")
            #expect(try LedgerCheck.run(harness.connection).isClean)
            let owner = try harness.database.connectAsOwner()
            let uscc = "91320214MA90NMYF83"
            let reserved = try #require(
                try owner.query("SELECT reserved_fen FROM voucher_accounts WHERE uscc = $1", [uscc]).first?.string(0))
            try owner.execute("UPDATE voucher_accounts SET reserved_fen = 0, paid_fen = 0 WHERE uscc = $1", [uscc])

            let check = try LedgerCheck.run(harness.connection)
            #expect(!check.isClean)
            #expect(check.discrepancies.map(\.uscc) == [uscc])
            #expect(check.text.contains("voucher account \(uscc)/2024: the counters say reserved 0.00, paid 0.00"))

            let refused = #expect(throws: SettleError.self) { try harness.disburse("2024-07", asOf: "2024-08-08") }
            #expect(refused?.exitCode == 1)
            #expect(refused?.message.contains(uscc) == true)
            #expect(try harness.connection.query("SELECT count(*) FROM disbursements").first?.int(0) == 0)

            let august = StageHarness.fixtures + "/conformance/inbox/2024-08"
            _ = try harness.ingest(august)
            let review = #expect(throws: SettleError.self) { try harness.review("2024-08") }
            #expect(review?.exitCode == 1)

            // Disabling the trigger as the owner and inserting behind its back is found the same way.
            try owner.execute("UPDATE voucher_accounts SET reserved_fen = $2 WHERE uscc = $1", [uscc, reserved])
            #expect(try LedgerCheck.run(harness.connection).isClean)
            try owner.execute("ALTER TABLE ledger_entries DISABLE TRIGGER ledger_apply")
            try owner.execute(
                """
                INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount)
                SELECT run_id, account_id, month, 'FORGED', 1, 'reservation', 1 FROM ledger_entries LIMIT 1
                """)
            try owner.execute("ALTER TABLE ledger_entries ENABLE TRIGGER ledger_apply")
            #expect(!(try LedgerCheck.run(harness.connection).isClean))
        }
    }
}
