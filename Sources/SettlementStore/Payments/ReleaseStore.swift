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
        SELECT d.run_id, d.month, d.payment_no, d.release_state, r.operator, r.started_at::date::text AS prepared_on,
               r.output_dir,
               d.payment_count, d.payment_total, d.decided_by
          FROM disbursements d JOIN runs r ON r.id = d.run_id
        """

    static func batch(_ row: QueryResult.Row) throws -> Batch? {
        guard let state = State(rawValue: try row.text("release_state")) else { return nil }
        return Batch(
            runID: try row.int64("run_id"), month: try row.month("month"), paymentNumber: try row.int("payment_no"),
            state: state, preparedBy: try row.text("operator"), preparedOn: try row.text("prepared_on"),
            outputDirectory: try row.optionalText("output_dir"), payments: try row.int("payment_count"),
            total: try row.fen("payment_total"), decidedBy: try row.optionalText("decided_by"))
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
        return try Ledger(connection: connection).voidPayments(
            ofRun: batch.runID, runID: runID, note: "voided: payment batch rejected before release: " + reason)
    }
}
