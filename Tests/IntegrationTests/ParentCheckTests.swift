import Foundation
import SettlementCore
import SettlementJobs
import SettlementStore
import Testing

/// The foreign keys replaced by statement-level checks (SchemaV11; a bundle's rows by its index,
/// SchemaV18) still hold: a row naming a run or bundle that does not exist is refused, and a
/// parent's key cannot change under its rows.
@Suite("Parents checked per statement")
struct ParentCheckTests {
    let july = StageHarness.fixtures + "/conformance/inbox/2024-07"

    @Test(
        "rows naming a missing run or bundle are refused",
        arguments: [
            "INSERT INTO claims (kind, key, request_id, revision, month, run_id) VALUES ('order', 'X', 'R', 1, '2024-07', 987654)",
            "UPDATE claims SET run_id = 987654",
            "INSERT INTO quarantine (run_id, line, request_id, reason, detail) VALUES (987654, 1, 'R', 'MALFORMED', 'x')",
            // Checked by walking the table's index on its run (SchemaV25).
            """
            INSERT INTO decisions SELECT 987654, seq, line, request_id, revision, order_no, enterprise_uscc,
                   enterprise_name, enterprise_type, city_code, shop_id, provider_name, voucher_year, status, codes,
                   invoice_total, contract_amount, requested, entitlement, payable, remaining_after, cut_by_balance,
                   categories, drops_earlier_claims
              FROM decisions LIMIT 1
            """,
            "INSERT INTO findings SELECT 987654, request_id, code, severity, detail FROM findings LIMIT 1",
            """
            INSERT INTO notices SELECT 'N-test', 987654, month, request_id, revision, kind, enterprise_uscc,
                   enterprise_name, contact_mobile, mobile_problem, order_no, text
              FROM notices LIMIT 1
            """,
            "INSERT INTO request_lines (bundle_id, line, sha256, outcome, detail) VALUES (987654, 1, 'x', 'malformed', 'x')",
            "INSERT INTO roster_rows (bundle_id, line, uscc, defect) VALUES (987654, 1, 'X', 'x')",
            "INSERT INTO provider_rows (bundle_id, line, shop_id, defect) VALUES (987654, 1, 'S', 'x')",
            """
            INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount)
            SELECT 987654, account_id, month, request_id || 'Z', revision, 'overpayment', 1 FROM ledger_entries LIMIT 1
            """,
            // The account is checked where its counters are applied (SchemaV24).
            """
            INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount)
            SELECT run_id, 987654, month, request_id || 'Z', revision, 'overpayment', 1 FROM ledger_entries LIMIT 1
            """,
            // A missing account beside existing ones in one statement.
            """
            INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount)
            SELECT run_id, CASE WHEN n = 2 THEN 987654 ELSE account_id END, month, request_id || 'Z' || n, revision,
                   'overpayment', 1
              FROM (SELECT *, row_number() OVER (ORDER BY id) AS n FROM ledger_entries ORDER BY id LIMIT 3) e
            """,
        ])
    func missingParentRefused(_ statement: String) throws {
        try withHarness { harness in
            _ = try harness.ingest(july)
            _ = try harness.review("2024-07")
            let error = #expect(throws: DatabaseError.self) { try harness.connection.execute(statement) }
            #expect(error?.sqlState == "23503", "\(String(describing: error))")
            // Refused by the statement-level check, not by a foreign key left in place.
            #expect(error?.message.contains("names no row of") == true, "\(String(describing: error))")
        }
    }

    @Test(
        "a parent's key cannot change",
        arguments: [
            "UPDATE reviews SET run_id = run_id + 1000", "UPDATE runs SET id = id + 1000",
            "UPDATE bundles SET id = id + 1000",
        ])
    func keysKept(_ statement: String) throws {
        try withHarness { harness in
            _ = try harness.ingest(july)
            _ = try harness.review("2024-07")
            let error = #expect(throws: DatabaseError.self) { try harness.connection.execute(statement) }
            #expect(error?.sqlState == "42501", "\(String(describing: error))")
            #expect(error?.message.contains("cannot change") == true, "\(String(describing: error))")
        }
    }
}
