import SettlementCore

/// Payment batches between preparation and release (放行): which batch, who prepared it, its state,
/// and the statements that release or void it.
public struct ReleaseStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    public enum State: String, Sendable {
        case prepared, released, rejected
    }

    public struct Batch: Sendable {
        public let runID: Int64
        public let month: BatchMonth
        public let paymentNumber: Int
        public let state: State
        public let preparedBy: String
        public let preparedOn: String
        public let outputDirectory: String?
        public let payments: Int
        public let total: Fen
        public let decidedBy: String?
    }

    static let select = """
        SELECT d.run_id, d.month, d.payment_no, d.release_state, r.operator, r.started_at::date::text, r.output_dir,
               d.payment_count, d.payment_total, d.decided_by
          FROM disbursements d JOIN runs r ON r.id = d.run_id
        """

    static func batch(_ row: QueryResult.Row) -> Batch? {
        guard let runID = row.int64(0), let month = BatchMonth(row.string(1)), let number = row.int(2),
            let state = State(rawValue: row.string(3)), let count = row.int(7), let total = row.int64(8)
        else { return nil }
        return Batch(
            runID: runID, month: month, paymentNumber: number, state: state, preparedBy: row.string(4),
            preparedOn: row.string(5), outputDirectory: row[6], payments: count, total: Fen(total), decidedBy: row[9])
    }

    public func batch(month: BatchMonth, paymentNumber: Int) throws -> Batch? {
        try connection.query(
            ReleaseStore.select + " WHERE d.month = $1 AND d.payment_no = $2",
            [month.description, String(paymentNumber)]
        ).first.flatMap(ReleaseStore.batch)
    }

    /// Batches still waiting for a second person, prepared on or before `day`.
    public func prepared(onOrBefore day: CivilDate) throws -> [Batch] {
        try connection.query(
            ReleaseStore.select
                + " WHERE d.release_state = 'prepared' AND r.started_at::date <= $1::date ORDER BY d.run_id",
            [day.description]
        ).rows.compactMap(ReleaseStore.batch)
    }

    public func markReleased(_ batch: Batch, by person: String, note: String?, outbox: String) throws {
        let changed = try connection.execute(
            """
            UPDATE disbursements SET release_state = 'released', decided_by = $2, decided_at = now(),
                   decision_note = $3, outbox_dir = $4
             WHERE run_id = $1 AND release_state = 'prepared'
            """, [String(batch.runID), person, note, outbox])
        guard changed == 1 else {
            throw DatabaseError(message: "payment batch was no longer prepared", context: "release")
        }
    }

    /// Voids a prepared batch: marks it rejected and puts every amount it would have paid back as
    /// owed (a `return` entry per payment line, in run `runID`). Returns the amounts put back.
    public func reject(_ batch: Batch, by person: String, reason: String, runID: Int64) throws -> (Int, Fen) {
        let changed = try connection.execute(
            """
            UPDATE disbursements SET release_state = 'rejected', decided_by = $2, decided_at = now(), decision_note = $3
             WHERE run_id = $1 AND release_state = 'prepared'
            """, [String(batch.runID), person, reason])
        guard changed == 1 else {
            throw DatabaseError(message: "payment batch was no longer prepared", context: "reject")
        }
        let rows = try connection.query(
            """
            INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, corrects, note)
            SELECT $2::bigint, e.account_id, e.month, e.request_id, e.revision, 'return', e.amount, e.id, $3
              FROM payment_lines p JOIN ledger_entries e ON e.id = p.ledger_entry
             WHERE p.run_id = $1 AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = e.id)
             ORDER BY p.seq
            RETURNING amount
            """, [String(batch.runID), String(runID), "voided: payment batch rejected before release: " + reason])
        let total = Fen.sum(rows.rows.compactMap { $0.int64(0).map(Fen.init) }) ?? .zero
        return (rows.rows.count, total)
    }
}
