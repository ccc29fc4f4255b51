import SettlementCore

/// Where each run's outputs go and whether they were published (renamed into place after the
/// run's commit). A committed run whose outputs are not published yet is work a killed process
/// left: any later command finishes it.
public struct PublicationStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// A committed run whose outputs are not marked published.
    public struct Unpublished: Sendable, Equatable {
        public let runID: Int64
        public let stage: String
        public let month: BatchMonth
        public let outputDirectory: String
    }

    /// Records where a run's outputs go (inside the run's transaction).
    public func setOutputDirectory(runID: Int64, _ path: String) throws {
        try connection.execute("UPDATE runs SET output_dir = $2 WHERE id = $1", [String(runID), path])
    }

    public func markPublished(runID: Int64) throws {
        try connection.execute(
            "UPDATE runs SET published_at = now() WHERE id = $1 AND published_at IS NULL", [String(runID)])
    }

    /// Committed runs with outputs not yet published, oldest first (of one month, or of all).
    public func unpublished(month: BatchMonth? = nil) throws -> [Unpublished] {
        try connection.query(
            """
            SELECT id, stage, month, output_dir FROM runs
             WHERE outcome = 'committed' AND output_dir IS NOT NULL AND published_at IS NULL
               AND ($1::text IS NULL OR month = $1)
             ORDER BY id
            """, [month?.description]
        ).rows.map { row in
            Unpublished(
                runID: try row.int64("id"), stage: try row.text("stage"), month: try row.month("month"),
                outputDirectory: try row.text("output_dir"))
        }
    }

    /// The outcome of a run (`running`, `committed`, `abandoned`), or nil when no such run exists
    /// (its transaction rolled back).
    public func outcome(runID: Int64) throws -> String? {
        try connection.query("SELECT outcome FROM runs WHERE id = $1", [String(runID)]).first?.text("outcome")
    }
}
