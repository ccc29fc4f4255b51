import SettlementCore

/// The decisions of a review read back for its files (`quarantine.csv`, `diff.csv`), in
/// their files' order, a page at a time through a cursor.
public struct DecisionReadings {
    let connection: Connection
    let runID: Int64

    public init(connection: Connection, runID: Int64) {
        self.connection = connection
        self.runID = runID
    }

    /// A quarantined line: (line, request id or empty, reason, detail), in line order.
    public func forEachQuarantined(
        _ body: (_ line: Int, _ requestID: String, _ reason: String, _ detail: String) throws -> Void
    )
        throws
    {
        try connection.forEachRow(
            "SELECT line, request_id, reason, detail FROM quarantine WHERE run_id = $1 ORDER BY line", [String(runID)]
        ) { row in
            // A line too broken to name its request has none.
            try body(
                try row.int("line"), try row.optionalText("request_id") ?? "", try row.text("reason"),
                try row.text("detail"))
        }
    }

    /// A request that differs between two reviews (or is on one side only).
    public struct Change: Sendable {
        public let requestID: String
        /// `added`, `removed` or `changed`.
        public let change: String
        public let old: Side?
        public let new: Side?

        public struct Side: Sendable {
            public let revision: Int
            public let status: String
            public let codes: String
            public let payable: Fen
        }
    }

    /// What changed since review `previousRunID`, by request id (bytes).
    public func forEachChange(since previousRunID: Int64, _ body: (Change) throws -> Void) throws {
        try connection.forEachRow(
            """
            SELECT coalesce(n.request_id, o.request_id) AS request_id,
                   CASE WHEN o.request_id IS NULL THEN 'added' WHEN n.request_id IS NULL THEN 'removed' ELSE 'changed' END
                       AS change,
                   o.revision AS old_revision, n.revision AS new_revision, o.status AS old_status,
                   n.status AS new_status, o.codes AS old_codes, n.codes AS new_codes, o.payable AS old_payable,
                   n.payable AS new_payable
              FROM (SELECT * FROM decisions WHERE run_id = $1) n
              FULL JOIN (SELECT * FROM decisions WHERE run_id = $2) o ON o.request_id = n.request_id
             WHERE o.request_id IS NULL OR n.request_id IS NULL OR o.status <> n.status OR o.codes <> n.codes
                OR o.payable <> n.payable OR o.revision <> n.revision
             ORDER BY coalesce(n.request_id, o.request_id) COLLATE "C"
            """, [String(runID), String(previousRunID)]
        ) { row in
            func side(_ prefix: String) throws -> Change.Side? {
                guard let revision = try row.optionalInt(prefix + "_revision") else { return nil }
                return Change.Side(
                    revision: revision, status: try row.text(prefix + "_status"),
                    codes: try row.text(prefix + "_codes"),
                    payable: try row.fen(prefix + "_payable"))
            }
            try body(
                Change(
                    requestID: try row.text("request_id"), change: try row.text("change"), old: try side("old"),
                    new: try side("new")))
        }
    }
}
