import SettlementCore

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
        let seq = (last?.int64(0) ?? 0) + 1
        let previous = last?.string(1) ?? AuditStore.genesis
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
                SELECT seq, recorded_at::text, action, month, run_id, operator, business_date, content, previous_hash,
                       entry_hash
                  FROM audit_entries WHERE $1::text IS NULL OR month = $1 ORDER BY seq
                """, [month?.description], pageSize: 2_000
            ) { rows in
                for row in rows {
                    guard let seq = row.int64(0) else { continue }
                    try body(
                        Entry(
                            seq: seq, recordedAt: row.string(1), action: row.string(2), month: row.string(3),
                            runID: row.int64(4), operatorName: row.string(5), businessDate: row.string(6),
                            content: row.string(7), previousHash: row.string(8), entryHash: row.string(9)))
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
        ).rows.map { ($0.string(0), $0.string(1), $0.int64(2) ?? -1) }
    }

    /// Every published directory with its run: (run id, stage, month, directory).
    public func publishedDirectories() throws -> [(runID: Int64, stage: String, month: String, directory: String)] {
        try connection.query(
            """
            SELECT r.id, r.stage, r.month, r.output_dir FROM runs r
             WHERE r.outcome = 'committed' AND r.published_at IS NOT NULL AND r.output_dir IS NOT NULL
               AND EXISTS (SELECT 1 FROM run_files f WHERE f.run_id = r.id)
            UNION ALL
            SELECT d.run_id, 'outbox', d.month, d.outbox_dir FROM disbursements d WHERE d.outbox_dir IS NOT NULL
             ORDER BY 1, 2
            """
        ).rows.compactMap { row in
            guard let id = row.int64(0) else { return nil }
            return (id, row.string(1), row.string(2), row.string(3))
        }
    }
}
