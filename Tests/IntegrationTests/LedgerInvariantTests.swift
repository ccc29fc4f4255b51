import Dispatch
import Foundation
import SettlementStore
import Testing

/// The ledger's invariants hold in the database itself: a buggy caller writing SQL directly, or
/// two sessions at once, cannot overspend a voucher, reserve a request twice or rewrite history.
@Suite("Ledger invariants enforced by PostgreSQL")
struct LedgerInvariantTests {
    /// A run and one voucher account with a limit of 1,000.00 yuan; returns (run id, account id).
    func setUp(_ connection: Connection) throws -> (run: String, account: String) {
        let run = try #require(
            try connection.query(
                "INSERT INTO runs (stage, month, run_no, operator) VALUES ('review', '2024-08', 1, 'test') RETURNING id"
            ).first?.string(0))
        let account = try #require(
            try connection.query(
                "INSERT INTO voucher_accounts (uscc, year, limit_fen) VALUES ('91320214MA90NMYF83', 2024, 100000) RETURNING id"
            ).first?.string(0))
        return (run, account)
    }

    @discardableResult
    func reserve(_ connection: Connection, _ ids: (run: String, account: String), request: String, fen: Int) throws
        -> String
    {
        try connection.query(
            """
            INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount)
            VALUES ($1, $2, '2024-08', $3, 1, 'reservation', $4) RETURNING id
            """, [ids.run, ids.account, request, String(fen)]
        ).first?.string(0) ?? ""
    }

    @Test("a reservation over the voucher's limit is refused")
    func overspend() throws {
        try withTestDatabase { database in
            let connection = try database.connect()
            let ids = try setUp(connection)
            try reserve(connection, ids, request: "A", fen: 60_000)
            let error = #expect(throws: DatabaseError.self) { try reserve(connection, ids, request: "B", fen: 40_001) }
            #expect(error?.isCheckViolation == true)
            try reserve(connection, ids, request: "B", fen: 40_000)
            let account = try connection.query("SELECT reserved_fen, paid_fen FROM voucher_accounts").first
            #expect(account?.int(0) == 100_000)
        }
    }

    @Test("entries cannot be updated, deleted or truncated")
    func appendOnly() throws {
        try withTestDatabase { database in
            let connection = try database.connect()
            let ids = try setUp(connection)
            let entry = try reserve(connection, ids, request: "A", fen: 10)
            #expect(throws: DatabaseError.self) {
                try connection.execute("UPDATE ledger_entries SET amount = 1 WHERE id = $1", [entry])
            }
            #expect(throws: DatabaseError.self) {
                try connection.execute("DELETE FROM ledger_entries WHERE id = $1", [entry])
            }
            #expect(throws: DatabaseError.self) { try connection.execute("TRUNCATE ledger_entries CASCADE") }
            #expect(try connection.query("SELECT amount FROM ledger_entries").first?.int(0) == 10)
        }
    }

    @Test("a request holds one live reservation; a release frees it; a reservation is corrected once")
    func oneLiveReservation() throws {
        try withTestDatabase { database in
            let connection = try database.connect()
            let ids = try setUp(connection)
            let first = try reserve(connection, ids, request: "A", fen: 100)
            #expect(throws: DatabaseError.self) { try reserve(connection, ids, request: "A", fen: 100) }
            let release = """
                INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, corrects)
                VALUES ($1, $2, '2024-08', 'A', 1, 'release', 100, $3)
                """
            try connection.execute(release, [ids.run, ids.account, first])
            #expect(throws: DatabaseError.self) { try connection.execute(release, [ids.run, ids.account, first]) }
            try reserve(connection, ids, request: "A", fen: 100)
            let wrongAmount = #expect(throws: DatabaseError.self) {
                try connection.execute(
                    """
                    INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, corrects, payment_id)
                    SELECT $1, $2, '2024-08', 'A', 1, 'payment', 99, id, 'E2E-1' FROM ledger_entries
                     WHERE kind = 'reservation' AND id <> $3
                    """, [ids.run, ids.account, first])
            }
            #expect(wrongAmount?.isCheckViolation == true)
        }
    }

    @Test("a request is paid once per revision, and a payment id is used once for all time")
    func paidOnce() throws {
        try withTestDatabase { database in
            let connection = try database.connect()
            let ids = try setUp(connection)
            let reservation = try reserve(connection, ids, request: "A", fen: 100)
            let pay = """
                INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, corrects, payment_id)
                VALUES ($1, $2, '2024-08', 'A', 1, 'payment', 100, $3, $4)
                """
            try connection.execute(pay, [ids.run, ids.account, reservation, "E2E-1"])
            let second = try reserve(connection, ids, request: "A", fen: 100)
            let twice = #expect(throws: DatabaseError.self) {
                try connection.execute(pay, [ids.run, ids.account, second, "E2E-2"])
            }
            #expect(twice?.isUniqueViolation == true)
            let other = try reserve(connection, ids, request: "B", fen: 100)
            let reused = #expect(throws: DatabaseError.self) {
                try connection.execute(
                    """
                    INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, corrects, payment_id)
                    VALUES ($1, $2, '2024-08', 'B', 1, 'payment', 100, $3, 'E2E-1')
                    """, [ids.run, ids.account, other])
            }
            #expect(reused?.isUniqueViolation == true)
        }
    }

    @Test("two sessions reserving on the same account at once cannot overspend it")
    func concurrentSessions() throws {
        try withTestDatabase { database in
            let first = try database.connect()
            let ids = try setUp(first)
            try first.execute("BEGIN")
            try reserve(first, ids, request: "A", fen: 60_000)

            let url = database.url
            let outcome = LockedBox<Result<Void, DatabaseError>?>(nil)
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                do {
                    let second = try Connection(url: url)
                    // Blocks on the account row until the first session commits, then sees its reservation.
                    try second.execute(
                        """
                        INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount)
                        VALUES ($1, $2, '2024-08', 'B', 1, 'reservation', 60000)
                        """, [ids.run, ids.account])
                    outcome.set(.success(()))
                } catch let error as DatabaseError {
                    outcome.set(.failure(error))
                } catch {
                    outcome.set(.failure(DatabaseError(message: "\(error)", context: "second session")))
                }
                done.signal()
            }
            Thread.sleep(forTimeInterval: 0.3)
            #expect(outcome.get() == nil, "the second session must wait for the account row")
            try first.execute("COMMIT")
            done.wait()
            guard case .failure(let error)? = outcome.get() else {
                Issue.record("the second reservation was accepted: the account is overspent")
                return
            }
            #expect(error.isCheckViolation)
            #expect(try first.query("SELECT reserved_fen FROM voucher_accounts").first?.int(0) == 60_000)
        }
    }

    @Test("a claim key has one holder")
    func claimHolder() throws {
        try withTestDatabase { database in
            let connection = try database.connect()
            let ids = try setUp(connection)
            let bundle = try #require(
                try connection.query(
                    """
                    INSERT INTO bundles (month, run_id, directory, encoding, fingerprint)
                    VALUES ('2024-08', $1, '/x', 'utf-8', 'f') RETURNING id
                    """, [ids.run]
                ).first?.string(0))
            try connection.execute(
                """
                INSERT INTO reviews (run_id, month, review_no, bundle_id, business_date, publicity_first, publicity_last)
                VALUES ($1, '2024-08', 1, $2, '2024-09-01', '2024-09-02', '2024-09-06')
                """, [ids.run, bundle])
            let claim =
                "INSERT INTO claims (kind, key, request_id, revision, month, run_id) VALUES ('order', 'CXQ1', $1, 1, '2024-08', $2)"
            try connection.execute(claim, ["A", ids.run])
            let error = #expect(throws: DatabaseError.self) { try connection.execute(claim, ["B", ids.run]) }
            #expect(error?.isUniqueViolation == true)
        }
    }
}

/// A value shared between threads under a lock.
final class LockedBox<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}
