import SettlementCore

/// 数据包: the platform's monthly exports as ingested — one current bundle per batch month, its
/// files' hashes, its roster and provider rows and every line of `redemptions.jsonl` with what
/// reading it showed. Rows are written with COPY, streaming.
public struct BundleStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// The current bundle of a batch.
    public struct CurrentBundle: Sendable {
        public let id: Int64
        public let fingerprint: String
        public let linesRead: Int?
    }

    public func current(month: BatchMonth) throws -> CurrentBundle? {
        try connection.query(
            "SELECT id, fingerprint, lines_read FROM bundles WHERE month = $1 AND is_current", [month.description]
        ).first.map { row in
            CurrentBundle(
                id: try row.int64("id"), fingerprint: try row.text("fingerprint"),
                linesRead: try row.optionalInt("lines_read"))
        }
    }

    /// Whether the current bundle of `month` was read from `directory`.
    public func isCurrent(month: BatchMonth, directory: String) throws -> Bool {
        try !connection.query(
            "SELECT 1 AS found FROM bundles WHERE month = $1 AND is_current AND directory = $2",
            [month.description, directory]
        ).rows.isEmpty
    }

    /// Batch months whose current bundle has no current review yet, in order.
    public func monthsAwaitingReview() throws -> [BatchMonth] {
        try connection.query(
            """
            SELECT b.month FROM bundles b
             WHERE b.is_current AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.month = b.month AND r.is_current)
             ORDER BY b.month
            """
        ).rows.map { try $0.month("month") }
    }

    /// The SHA-256 of each data file of a bundle, by name.
    public func fileHashes(bundleID: Int64) throws -> [String: String] {
        var hashes: [String: String] = [:]
        for row in try connection.query(
            "SELECT name, sha256 FROM bundle_files WHERE bundle_id = $1", [String(bundleID)]
        )
        .rows {
            hashes[try row.text("name")] = try row.text("sha256")
        }
        return hashes
    }

    // MARK: Writing a bundle

    /// Records a bundle as the current one of its month (the one it replaces, if any, stops being
    /// current) and returns its id. Its files and fingerprint are recorded by `recordFiles`, in the
    /// same transaction, once the files are hashed.
    public func add(
        month: BatchMonth, runID: Int64, directory: String, encoding: String, verifyAttachments: Bool,
        replacing previous: Int64?
    ) throws -> Int64 {
        if let previous {
            try connection.execute("UPDATE bundles SET is_current = false WHERE id = $1", [String(previous)])
        }
        return try connection.queryRow(
            """
            INSERT INTO bundles (month, run_id, directory, encoding, fingerprint, verify_attachments)
            VALUES ($1, $2, $3, $4, '', $5) RETURNING id
            """,
            [month.description, String(runID), directory, encoding, verifyAttachments ? "true" : "false"]
        ).int64("id")
    }

    /// The bundle's data files (name, SHA-256, size) and its fingerprint.
    public func recordFiles(bundleID: Int64, fingerprint: String, files: [(name: String, sha256: String, bytes: Int64)])
        throws
    {
        try connection.execute(
            "UPDATE bundles SET fingerprint = $2 WHERE id = $1", [String(bundleID), fingerprint])
        try connection.copyIn("COPY bundle_files (bundle_id, name, sha256, bytes) FROM STDIN") { writer in
            for file in files { try writer.write([String(bundleID), file.name, file.sha256, String(file.bytes)]) }
        }
    }

    public func setCounts(bundleID: Int64, read: Int, kept: Int, quarantined: Int) throws {
        try connection.execute(
            "UPDATE bundles SET lines_read = $2, lines_kept = $3, lines_quarantined = $4 WHERE id = $1",
            [String(bundleID), String(read), String(kept), String(quarantined)])
    }

    /// Writes the rows of `vouchers.csv`: each either an account or a defect.
    public func writeRosterRows(bundleID: Int64, _ body: (inout RosterRowWriter) throws -> Void) throws {
        try copyRows(
            """
            COPY roster_rows (bundle_id, line, year, uscc, defect, enterprise_name, enterprise_type, city_code,
                qualification_no, qualified_on, prior_year_revenue, status, granted_on, quota, used_before,
                bank_name, bank_code, account_name, account_number, contact_mobile) FROM STDIN
            """, bundleID: bundleID, RosterRowWriter.init, body)
    }

    public struct RosterRowWriter: BundleRowWriter {
        let bundle: String
        var writer: CopyWriter

        public mutating func account(line: Int, _ account: VoucherAccount, contactMobile: String) throws {
            try writer.write([
                bundle, String(line), String(account.year), account.uscc, nil, account.enterpriseName,
                account.enterpriseType, account.cityCode, account.qualificationNumber, account.qualifiedOn.description,
                String(account.priorYearRevenue.value), account.status, account.grantedOn.description,
                String(account.quota.value), String(account.usedBefore.value), account.bankName, account.bankCode,
                account.accountName, account.accountNumber, contactMobile,
            ])
        }

        /// A row that could not be read: its year (if it is one) and USCC, with the defect.
        public mutating func defect(line: Int, year: Int?, uscc: String, detail: String) throws {
            try writer.write(
                [bundle, String(line), year.map(String.init), uscc, detail] + [String?](repeating: nil, count: 15))
        }
    }

    /// Writes the rows of `providers.csv`: each either a provider or a defect.
    public func writeProviderRows(bundleID: Int64, _ body: (inout ProviderRowWriter) throws -> Void) throws {
        try copyRows(
            "COPY provider_rows (bundle_id, line, shop_id, defect, uscc, name, status, city_code) FROM STDIN",
            bundleID: bundleID, ProviderRowWriter.init, body)
    }

    public struct ProviderRowWriter: BundleRowWriter {
        let bundle: String
        var writer: CopyWriter

        public mutating func provider(line: Int, _ provider: Provider) throws {
            try writer.write([
                bundle, String(line), provider.shopID, nil, provider.uscc, provider.name, provider.status,
                provider.cityCode,
            ])
        }

        public mutating func defect(line: Int, shopID: String, detail: String) throws {
            try writer.write([bundle, String(line), shopID, detail, nil, nil, nil, nil])
        }
    }

    /// Writes every line of `redemptions.jsonl`, with its number, SHA-256 and what reading it showed.
    /// In COPY's binary format: the lines are most of a bundle's bytes, and the server takes a
    /// binary cell without scanning it for escapes (~2 s less of its time at 200,000 lines).
    public func writeRequestLines(bundleID: Int64, _ body: (inout RequestLineWriter) throws -> Void) throws {
        try connection.copyInBinary(
            """
            COPY request_lines (bundle_id, line, sha256, outcome, request_id, revision, detail, submitted_s,
                submitted_ns, enterprise_uscc, voucher_year, shop_id, body, attachment_problems, claim_keys,
                review_record) FROM STDIN WITH (FORMAT binary)
            """, columns: RequestLineWriter.columns
        ) { writer in
            var rows = RequestLineWriter(bundle: bundleID, writer: writer)
            try body(&rows)
            writer = rows.writer
        }
    }

    public struct RequestLineWriter {
        static let columns = 16
        let bundle: Int64
        var writer: BinaryCopyWriter

        public mutating func malformed(line: Int, sha256: String, requestID: String?, detail: String) throws {
            try writer.write(
                [
                    .int64(bundle), try Self.line(line), .text(sha256), .text("malformed"),
                    requestID.map(BinaryCopyCell.text) ?? .null, .null, .text(detail),
                ] + Self.unread)
        }

        public mutating func wrongBatch(line: Int, sha256: String, requestID: String, revision: Int, detail: String)
            throws
        {
            try writer.write(
                [
                    .int64(bundle), try Self.line(line), .text(sha256), .text("wrong_batch"), .text(requestID),
                    .int64(Int64(revision)), .text(detail),
                ] + Self.unread)
        }

        /// A line that reads as a request: its body as sent (UTF-8), the keys it claims and the
        /// request as the review reads it (`ReviewRecord`; none when a text holds NUL), read once, here.
        public mutating func wellFormed(
            line: Int, sha256: String, request: RedemptionRequest, body: [UInt8], attachmentProblems: [String]
        ) throws {
            let problems: BinaryCopyCell =
                attachmentProblems.isEmpty ? .null : .text(attachmentProblems.joined(separator: "\n"))
            try writer.write([
                .int64(bundle), try Self.line(line), .text(sha256), .text("well_formed"), .text(request.requestID),
                .int64(Int64(request.revision)), .null, .int64(request.submittedAt.seconds),
                .int32(request.submittedAt.nanoseconds), .text(request.enterpriseUSCC),
                .int64(Int64(request.voucherYear)), .text(request.shopID), .utf8(body), problems,
                .textArray(ClaimKey.keys(of: request).map { $0.kind.rawValue + ":" + $0.value }),
                ReviewRecord.encode(request).map(BinaryCopyCell.utf8) ?? .null,
            ])
        }

        /// The columns only a well-formed line has: NULL for the others.
        static let unread = [BinaryCopyCell](repeating: .null, count: 9)

        static func line(_ number: Int) throws -> BinaryCopyCell {
            guard let value = Int32(exactly: number) else {
                throw DatabaseError(message: "line \(number) is beyond an integer column", context: "request_lines")
            }
            return .int32(value)
        }
    }

    /// Refreshes the planner's statistics of the stored lines, roster and provider rows, after the
    /// ingest has committed: the review that may follow at once joins them by the hundred thousand.
    public func refreshStatistics() throws {
        try connection.query("SELECT analyze_bundle_rows()")
    }

    /// One COPY whose rows a typed writer makes, each starting with the bundle's id.
    func copyRows<Writer: BundleRowWriter>(
        _ sql: String, bundleID: Int64, _ make: (String, CopyWriter) -> Writer, _ body: (inout Writer) throws -> Void
    ) throws {
        try connection.copyIn(sql) { writer in
            var rows = make(String(bundleID), writer)
            try body(&rows)
            writer = rows.writer
        }
    }

    // MARK: Triage

    /// A well-formed line of a bundle as triage needs it, with the revisions of its request that
    /// an earlier batch's current review decided (revision → earliest month).
    public struct TriageRow: Sendable {
        public let requestID: String
        public let line: Int
        public let revision: Int
        public let sha256: String
        public let reviewedEarlier: [Int: BatchMonth]
    }

    /// The well-formed lines of a bundle in request order (by bytes), then line, a page at a time.
    /// The next page is read and decoded on a thread of its own while `body` handles the current
    /// one: `body` must not use this store's connection (it is reading), and when it throws the
    /// read is waited for and the error rethrown.
    ///
    /// Each line comes with the revisions of its request decided by an earlier month's current
    /// review. They are found from the request's decisions (one probe by request id; a new request
    /// has none), then each decision's review; joined the other way round, the planner walked
    /// every earlier review for every line. When no earlier month has a review, nothing is looked
    /// up (the probes were ~1.1 s of a million-line triage's ~2.4 s).
    public func forEachTriagePage(bundleID: Int64, month: BatchMonth, _ body: ([TriageRow]) throws -> Void) throws {
        let cursor = try connection.openCursor(
            """
            SELECT l.request_id, l.line, l.revision, l.sha256,
                   CASE WHEN EXISTS (SELECT 1 FROM reviews e WHERE e.is_current AND e.month < $2)
                        THEN (SELECT string_agg(d.revision || '@' || r.month, ',')
                                FROM decisions d
                               CROSS JOIN LATERAL (SELECT x.month FROM reviews x
                                                    WHERE x.run_id = d.run_id AND x.is_current AND x.month < $2) r
                               WHERE d.request_id = l.request_id)
                   END AS reviewed
              FROM request_lines l
             WHERE l.bundle_id = $1::bigint AND l.outcome = 'well_formed'
             ORDER BY l.request_id COLLATE "C", l.line
            """, [String(bundleID), month.description], pageSize: 5_000)
        let reading = BackgroundJob()
        let following = JobOutput<[TriageRow]>([])
        var page = try BundleStore.triageRows(try cursor.next())
        while !page.isEmpty {
            reading.start { following.value = try BundleStore.triageRows(try cursor.next()) }
            do {
                try body(page)
            } catch {
                try? reading.wait()
                throw error
            }
            try reading.wait()
            page = following.value
        }
        try cursor.close()
    }

    static func triageRows(_ rows: [QueryResult.Row]) throws -> [TriageRow] {
        try rows.map { row in
            var reviewed: [Int: BatchMonth] = [:]
            for entry in (try row.optionalText("reviewed") ?? "").split(separator: ",") {
                let parts = entry.split(separator: "@")
                if parts.count == 2, let revision = Int(parts[0]), let earlier = BatchMonth(parts[1]) {
                    reviewed[revision] = min(reviewed[revision] ?? earlier, earlier)
                }
            }
            return TriageRow(
                requestID: try row.text("request_id"), line: try row.int("line"), revision: try row.int("revision"),
                sha256: try row.text("sha256"), reviewedEarlier: reviewed)
        }
    }
}

/// A typed writer of one table's COPY rows for a bundle.
protocol BundleRowWriter {
    var writer: CopyWriter { get }
}
