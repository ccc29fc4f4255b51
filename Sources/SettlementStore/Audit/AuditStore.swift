import SettlementCore
import SettlementDigest

/// The audit trail (`audit_entries`): append-only rows, each holding the SHA-256 of the entry before
/// it and of its own fields, so that an edited or deleted row breaks the chain where it happened.
/// Entries are appended inside the transaction of what they record: a run and its entry commit
/// together or not at all.
public struct AuditStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    public struct Entry: Sendable, Equatable {
        public let seq: Int64
        public let recordedAt: String
        public let action: String
        public let month: String
        public let runID: Int64?
        public let operatorName: String
        public let businessDate: String
        public let content: String
        public let previousHash: String
        public let entryHash: String

        /// The hash the entry must have: over its fields and the previous entry's hash.
        public var expectedHash: String {
            AuditStore.hash(
                seq: seq, action: action, month: month, runID: runID, operatorName: operatorName,
                businessDate: businessDate, content: content, previousHash: previousHash)
        }
    }

    /// The hash of the first entry's predecessor.
    public static let genesis = String(repeating: "0", count: 64)

    static func hash(
        seq: Int64, action: String, month: String, runID: Int64?, operatorName: String, businessDate: String,
        content: String, previousHash: String
    ) -> String {
        let fields = [
            String(seq), action, month, runID.map(String.init) ?? "", operatorName, businessDate, content, previousHash,
        ]
        return SHA256.hex(Array(fields.joined(separator: "\u{1F}").utf8))
    }

    /// Appends an entry (call inside a transaction). Entries are chained one at a time.
    @discardableResult
    public func append(
        action: String, month: String, runID: Int64?, operatorName: String, businessDate: String, content: String
    ) throws -> Entry {
        try connection.query("SELECT pg_advisory_xact_lock(7301003)")
        let last = try connection.query("SELECT seq, entry_hash FROM audit_entries ORDER BY seq DESC LIMIT 1").first
        // The first entry follows the genesis hash.
        let seq = (try last?.int64("seq")).map { $0 + 1 } ?? 1
        let previous = try last?.text("entry_hash") ?? AuditStore.genesis
        let hash = AuditStore.hash(
            seq: seq, action: action, month: month, runID: runID, operatorName: operatorName,
            businessDate: businessDate, content: content, previousHash: previous)
        try connection.execute(
            """
            INSERT INTO audit_entries (seq, action, month, run_id, operator, business_date, content, previous_hash,
                                       entry_hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """,
            [
                String(seq), action, month, runID.map(String.init), operatorName, businessDate, content, previous,
                hash,
            ])
        return Entry(
            seq: seq, recordedAt: "", action: action, month: month, runID: runID, operatorName: operatorName,
            businessDate: businessDate, content: content, previousHash: previous, entryHash: hash)
    }

    /// Every entry (of one month), in order, a page at a time.
    public func forEachEntry(month: BatchMonth? = nil, _ body: (Entry) throws -> Void) throws {
        try connection.transaction {
            try connection.forEachPage(
                """
                SELECT seq, recorded_at::text AS recorded_at, action, month, run_id, operator, business_date, content, previous_hash,
                       entry_hash
                  FROM audit_entries WHERE $1::text IS NULL OR month = $1 ORDER BY seq
                """, [month?.description], pageSize: 2_000
            ) { rows in
                for row in rows {
                    try body(
                        Entry(
                            seq: try row.int64("seq"), recordedAt: try row.text("recorded_at"),
                            action: try row.text("action"), month: try row.text("month"),
                            runID: try row.optionalInt64("run_id"), operatorName: try row.text("operator"),
                            businessDate: try row.text("business_date"), content: try row.text("content"),
                            previousHash: try row.text("previous_hash"), entryHash: try row.text("entry_hash")))
                }
            }
        }
    }

    // MARK: Published files

    /// Records the files a run published (inside the run's transaction).
    public func recordFiles(runID: Int64, _ files: [(name: String, sha256: String, bytes: Int)]) throws {
        guard !files.isEmpty else { return }
        try connection.copyIn("COPY run_files (run_id, name, sha256, bytes) FROM STDIN") { writer in
            for file in files { try writer.write([String(runID), file.name, file.sha256, String(file.bytes)]) }
        }
    }

    /// The files a run published.
    public func files(runID: Int64) throws -> [(name: String, sha256: String, bytes: Int64)] {
        try connection.query(
            "SELECT name, sha256, bytes FROM run_files WHERE run_id = $1 ORDER BY name COLLATE \"C\"", [String(runID)]
        ).rows.map { (try $0.text("name"), try $0.text("sha256"), try $0.int64("bytes")) }
    }

    /// Every published directory with its run: (run id, stage, month, directory).
    public func publishedDirectories() throws -> [(runID: Int64, stage: String, month: String, directory: String)] {
        try connection.query(
            """
            SELECT r.id AS run_id, r.stage, r.month, r.output_dir FROM runs r
             WHERE r.outcome = 'committed' AND r.published_at IS NOT NULL AND r.output_dir IS NOT NULL
               AND EXISTS (SELECT 1 FROM run_files f WHERE f.run_id = r.id)
            UNION ALL
            SELECT d.run_id, 'outbox', d.month, d.outbox_dir FROM disbursements d WHERE d.outbox_dir IS NOT NULL
             ORDER BY 1, 2
            """
        ).rows.map { row in
            (try row.int64("run_id"), try row.text("stage"), try row.text("month"), try row.text("output_dir"))
        }
    }
}
