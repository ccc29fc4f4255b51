import SettlementCore

/// The stages a run can be.
public enum Stage: String, Sendable, CaseIterable {
    case ingest, review, disburse, reconcile, resolve, approve, reject
}

/// A run being recorded: (stage, batch month, run number).
public struct RunRecord: Sendable {
    public let id: Int64
    public let stage: Stage
    public let month: BatchMonth
    public let number: Int

    public init(id: Int64, stage: Stage, month: BatchMonth, number: Int) {
        self.id = id
        self.stage = stage
        self.month = month
        self.number = number
    }

    /// `review-03`, `payment-01`, …
    public var directoryName: String {
        let prefix: String
        switch stage {
        case .ingest: prefix = "ingest"
        case .review: prefix = "review"
        case .disburse: prefix = "payment"
        case .reconcile: prefix = "reconcile"
        case .resolve: prefix = "resolve"
        case .approve: prefix = "approve"
        case .reject: prefix = "reject"
        }
        return prefix + "-" + (number < 10 ? "0" : "") + String(number)
    }
}

/// 运行记录: the `runs` table. A run's row is committed as `running` before its work starts; the
/// work commits in one transaction that also marks the row `committed`. A row left `running` by
/// a killed process is marked `abandoned` by the next run of its batch.
public struct RunStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Inserts a run with the next number of its stage and batch (abandoned runs do not count).
    public func insert(
        _ stage: Stage, month: BatchMonth, businessDate: CivilDate?, policyHash: String?, inputsJSON: String,
        operatorName: String, reason: String?, outputDirectory: String?
    ) throws -> RunRecord {
        let number = try connection.queryRow(
            """
            SELECT coalesce(max(run_no), 0) + 1 AS next FROM runs
             WHERE stage = $1 AND month = $2 AND outcome <> 'abandoned'
            """, [stage.rawValue, month.description]
        ).int("next")
        let id = try connection.queryRow(
            """
            INSERT INTO runs (stage, month, run_no, business_date, policy_hash, input_hashes, operator, reason,
                              output_dir)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
            """,
            [
                stage.rawValue, month.description, String(number), businessDate?.description, policyHash, inputsJSON,
                operatorName, reason, outputDirectory,
            ]
        ).int64("id")
        return RunRecord(id: id, stage: stage, month: month, number: number)
    }

    /// The SHA-256 of the run's inputs (a JSON object by file name).
    public func setInputs(_ run: RunRecord, inputsJSON: String) throws {
        try connection.execute(
            "UPDATE runs SET input_hashes = $2 WHERE id = $1", [String(run.id), inputsJSON])
    }

    public func markCommitted(_ run: RunRecord, summary: String) throws {
        try connection.execute(
            "UPDATE runs SET outcome = 'committed', ended_at = now(), summary = $2 WHERE id = $1",
            [String(run.id), summary])
    }

    /// Marks a run that failed before committing (its work was rolled back).
    public func markFailed(_ run: RunRecord, summary: String) throws {
        try connection.execute(
            "UPDATE runs SET outcome = 'abandoned', ended_at = now(), summary = $2 WHERE id = $1 AND outcome = 'running'",
            [String(run.id), summary])
    }

    /// Marks runs of `month` left `running` as `abandoned`; returns how many.
    @discardableResult
    public func abandonRunning(month: BatchMonth) throws -> Int {
        try connection.execute(
            "UPDATE runs SET outcome = 'abandoned', ended_at = now() WHERE month = $1 AND outcome = 'running'",
            [month.description])
    }

    /// A run as listed for an operator.
    public struct Listed: Sendable {
        public let stage: String
        public let month: String
        public let number: Int
        public let outcome: String
        public let operatorName: String
        public let startedAt: String
        public let summary: String
    }

    /// The latest run of `month` still marked running (who holds the batch's lock).
    public func running(month: BatchMonth) throws -> Listed? {
        try list(month: month, outcomes: ["running"], limit: 1).first
    }

    /// The latest runs (of one month) that are running or abandoned, newest first.
    public func unfinished(month: BatchMonth?, limit: Int = 20) throws -> [Listed] {
        try list(month: month, outcomes: ["running", "abandoned"], limit: limit)
    }

    func list(month: BatchMonth?, outcomes: [String], limit: Int) throws -> [Listed] {
        try connection.query(
            """
            SELECT stage, month, run_no, outcome, operator, started_at::text AS started_at,
                   coalesce(summary, '') AS summary
              FROM runs WHERE outcome = ANY($1::text[]) AND ($2::text IS NULL OR month = $2)
             ORDER BY id DESC LIMIT $3
            """, [PostgresArray.text(outcomes), month?.description, String(limit)]
        ).rows.map { row in
            Listed(
                stage: try row.text("stage"), month: try row.text("month"), number: try row.int("run_no"),
                outcome: try row.text("outcome"), operatorName: try row.text("operator"),
                startedAt: try row.text("started_at"), summary: try row.text("summary"))
        }
    }
}
