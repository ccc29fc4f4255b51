import SettlementCore

/// The working tables of one review, inside a transaction (temporary, dropped at its end): the
/// lines kept for review, the roster and provider rows that apply to the batch, the accounts'
/// limits, and the claim keys that can conflict. Built in bulk, set-based, so that the review
/// then walks the batch once in allocation order.
///
/// A review has two: the review's own session's (the kept lines with their claim keys, the
/// quarantine, the accounts' limits, the contested claims, the notices sent before) and its
/// `SnapshotReader`'s (the kept lines with their accounts, the roster, providers and mobiles,
/// the allocation order), each method's comment says which.
public struct ReviewWorkspace {
    let connection: Connection
    let bundleID: Int64
    let month: BatchMonth

    public init(connection: Connection, bundleID: Int64, month: BatchMonth) {
        self.connection = connection
        self.bundleID = bundleID
        self.month = month
    }

    // MARK: Lines kept

    /// A line triage set aside: its quarantine code (`reason`) and what it found (`detail`).
    public struct TriagedLine: Sendable {
        public var line: Int
        public var requestID: String
        public var reason: String
        public var detail: String

        public init(line: Int, requestID: String, reason: String, detail: String) {
            self.line = line
            self.requestID = requestID
            self.reason = reason
            self.detail = detail
        }
    }

    /// `review_lines`: the lines of the batch with what each session's preparation reads of them,
    /// copied from the bundle while triage reads it — the review's session their claim keys, the
    /// reader their account, shop and submission time — so that neither reads the bundle's wide
    /// rows again before the loop. Every well-formed line is copied; the lines triage sets aside
    /// (a few per thousand) are dropped once it has finished (`dropSetAside`). No statement looks
    /// a line up by its number, so the table has no key (1,000,000 lines: 2.2 s → 1.7 s to copy).
    public func createLineTable() throws {
        // The allocation order sorts the batch; the roster lookups are memoized. With the
        // default 4 MB both spill to disk; for this transaction only.
        try connection.execute("SET LOCAL work_mem = '128MB'")
        try connection.execute(
            """
            CREATE TEMP TABLE review_lines (
                line integer NOT NULL, request_id text NOT NULL,
                claim_keys text[], enterprise_uscc text, voucher_year bigint, shop_id text,
                submitted_s bigint, submitted_ns bigint, row_address tid
            ) ON COMMIT DROP
            """)
    }

    /// The review's session: copies every well-formed line of the bundle with its claim keys —
    /// ingest's, or the JSON's (`legacy_claim_keys`) for a line ingested before ingest read them.
    /// Returns how many.
    public func copyLinesWithClaimKeys() throws -> Int {
        try connection.execute(
            """
            INSERT INTO review_lines (line, request_id, claim_keys)
            SELECT line, request_id, coalesce(claim_keys, legacy_claim_keys(body)) FROM request_lines
             WHERE bundle_id = $1::bigint AND outcome = 'well_formed'
            """, [String(bundleID)])
    }

    /// The reader: copies every well-formed line of the bundle with its account, shop and
    /// submission time, and where the line's row is (`row_address`, its `ctid`: the allocation
    /// cursor fetches the row from there). Returns how many.
    ///
    /// A row's address holds for the whole transaction: no role may update or delete a stored
    /// line (SchemaV12), and what could move one (`VACUUM FULL`, `CLUSTER`) waits for the lock
    /// this transaction holds on `request_lines` from this statement on.
    public func copyLinesForAllocation() throws -> Int {
        try connection.execute(
            """
            INSERT INTO review_lines
                   (line, request_id, enterprise_uscc, voucher_year, shop_id, submitted_s, submitted_ns, row_address)
            SELECT line, request_id, enterprise_uscc, voucher_year, shop_id, submitted_s, submitted_ns, ctid
              FROM request_lines
             WHERE bundle_id = $1::bigint AND outcome = 'well_formed'
            """, [String(bundleID)])
    }

    /// Either session, once its lines are copied: the table's statistics, for the plans of the
    /// statements that read it. Taken before triage has dropped the lines it sets aside (a few
    /// per thousand): statistics steer plans, never results.
    public func analyzeLines() throws {
        try connection.execute("ANALYZE review_lines")
    }

    /// Either session, once triage has finished: drops the lines it set aside (`setAside`) from
    /// the lines and, on the reader, from the allocation order (`fromOrder`). Returns how many
    /// lines were dropped: the lines kept are those copied less these.
    public func dropSetAside(_ setAside: [Int], fromOrder: Bool = false) throws -> Int {
        guard !setAside.isEmpty else { return 0 }
        let lines = PostgresArray.text(setAside.map(String.init))
        let dropped = try connection.execute("DELETE FROM review_lines WHERE line = ANY($1::integer[])", [lines])
        if fromOrder {
            let unordered = try connection.execute("DELETE FROM review_order WHERE line = ANY($1::integer[])", [lines])
            guard unordered == dropped else {
                throw DatabaseError(
                    message: "\(dropped) lines set aside but \(unordered) left the allocation order",
                    context: "drop set-aside lines")
            }
        }
        return dropped
    }

    /// The review's session: quarantines, in run `runID`, the lines ingest found malformed or of
    /// another batch. Returns how many.
    public func quarantineIngestOutcomes(runID: Int64) throws -> Int {
        try connection.execute(
            """
            INSERT INTO quarantine (run_id, line, request_id, reason, detail)
            SELECT $1::bigint, line, request_id, CASE outcome WHEN 'malformed' THEN 'MALFORMED' ELSE 'WRONG_BATCH' END, detail
              FROM request_lines WHERE bundle_id = $2::bigint AND outcome <> 'well_formed'
            """, [String(runID), String(bundleID)])
    }

    /// The review's session: quarantines, in run `runID`, lines triage set aside, with their
    /// reason. The quarantine's primary key (run, line) refuses a line quarantined twice.
    public func quarantine(_ lines: [TriagedLine], runID: Int64) throws {
        let run = String(runID)
        try connection.copyIn("COPY quarantine (run_id, line, request_id, reason, detail) FROM STDIN") { writer in
            for line in lines { try writer.write([run, String(line.line), line.requestID, line.reason, line.detail]) }
        }
    }

    // MARK: Roster and providers

    /// The reader: the roster and provider rows that apply to the batch: from the current bundles of months up
    /// to and including this one, the latest row per key winning (rows absent from a later bundle stay).
    ///
    /// `review_roster` has one row per account the batch's lines name (`account_uscc`,
    /// `account_year`), with the roster row that applies (its columns all NULL when none does) and
    /// the mobile the account's notices go to (`notice_mobile`): of the latest sound roster row
    /// of the account in any current bundle (as `NoticeStore` finds it for the money notices), so
    /// that the review's notices are made from the decisions as they are made. One lookup per line
    /// finds both.
    public func resolveRosters() throws {
        try connection.execute(
            """
            CREATE TEMP TABLE review_roster ON COMMIT DROP AS
            WITH accounts AS (SELECT DISTINCT enterprise_uscc AS uscc, voucher_year AS year FROM review_lines),
                 applying AS (
                   SELECT DISTINCT ON (r.uscc, r.year) r.*, b.month AS bundle_month
                     FROM roster_rows r JOIN bundles b ON b.id = r.bundle_id AND b.is_current AND b.month <= $1
                    WHERE r.year IS NOT NULL AND (r.uscc, r.year) IN (SELECT uscc, year FROM accounts)
                    ORDER BY r.uscc, r.year, b.month DESC, r.line DESC),
                 mobiles AS (
                   SELECT DISTINCT ON (x.uscc, x.year) x.uscc, x.year, x.contact_mobile
                     FROM roster_rows x JOIN bundles b ON b.id = x.bundle_id AND b.is_current
                    WHERE x.defect IS NULL AND (x.uscc, x.year) IN (SELECT uscc, year FROM accounts)
                    ORDER BY x.uscc, x.year, b.month DESC, x.line DESC)
            SELECT a.uscc AS account_uscc, a.year AS account_year, r.*, m.contact_mobile AS notice_mobile
              FROM accounts a
              LEFT JOIN applying r ON r.uscc = a.uscc AND r.year = a.year
              LEFT JOIN mobiles m ON m.uscc = a.uscc AND m.year = a.year
            """, [month.description])
        try connection.execute("CREATE UNIQUE INDEX ON review_roster (account_uscc, account_year)")
        try connection.execute(
            """
            CREATE TEMP TABLE review_providers ON COMMIT DROP AS
            SELECT DISTINCT ON (p.shop_id) p.*, b.month AS bundle_month
              FROM provider_rows p JOIN bundles b ON b.id = p.bundle_id AND b.is_current AND b.month <= $1
             WHERE p.shop_id IN (SELECT shop_id FROM review_lines)
             ORDER BY p.shop_id, b.month DESC, p.line DESC
            """, [month.description])
        try connection.execute("CREATE UNIQUE INDEX ON review_providers (shop_id)")
    }

    // MARK: Accounts

    /// A roster row's quota, as the account's limit is computed from it.
    public struct Quota: Sendable {
        public let account: AccountKey
        public let cityCode: String
        public let quota: Fen
        public let usedBefore: Fen
    }

    /// The reader: the quota of every account of the batch with a sound roster row.
    public func quotas() throws -> [Quota] {
        var quotas: [Quota] = []
        try connection.copyOut(
            """
            COPY (SELECT uscc, year, city_code, quota, used_before FROM review_roster
                   WHERE line IS NOT NULL AND defect IS NULL) TO STDOUT
            """,
            columns: ["uscc", "year", "city_code", "quota", "used_before"]
        ) { row in
            quotas.append(
                Quota(
                    account: AccountKey(uscc: try row.text("uscc"), year: try row.int("year")),
                    cityCode: try row.text("city_code"), quota: try row.fen("quota"),
                    usedBefore: try row.fen("used_before")))
        }
        return quotas
    }

    /// The review's session: creates or updates the voucher accounts with their limits; returns each account's id and
    /// what is committed on it (reserved + paid).
    public func setLimits(_ limits: [(AccountKey, Fen)]) throws -> [(key: AccountKey, id: Int64, committed: Fen)] {
        try connection.execute(
            "CREATE TEMP TABLE review_limits (uscc text, year bigint, limit_fen bigint) ON COMMIT DROP")
        try connection.copyIn("COPY review_limits (uscc, year, limit_fen) FROM STDIN") { writer in
            for (key, limit) in limits { try writer.write([key.uscc, String(key.year), String(limit.value)]) }
        }
        // Every account of the batch is inserted or updated, so the statement's RETURNING lists
        // each one, with what the ledger has committed on it, without joining them back. In the
        // order of the (uscc, year) key, which then fills or is probed front to back instead of at
        // random (241,829 accounts: 1.8 s → 1.3 s inserted, 1.7 s → 1.0 s updated).
        var accounts: [(key: AccountKey, id: Int64, committed: Fen)] = []
        try connection.copyOut(
            """
            COPY (INSERT INTO voucher_accounts (uscc, year, limit_fen)
                  SELECT uscc, year, limit_fen FROM review_limits ORDER BY uscc COLLATE "C", year
                  ON CONFLICT (uscc, year) DO UPDATE SET limit_fen = EXCLUDED.limit_fen
                  RETURNING id, uscc, year, reserved_fen + paid_fen) TO STDOUT
            """, columns: ["id", "uscc", "year", "committed"]
        ) { row in
            accounts.append(
                (
                    AccountKey(uscc: try row.text("uscc"), year: try row.int("year")), try row.int64("id"),
                    try row.fen("committed")
                ))
        }
        return accounts
    }

    // MARK: Claims

    /// The review's session: the claim keys of the batch that can conflict: held already by a request (with its holder),
    /// and keys used by two or more requests of the batch. Every other key is unique and free.
    /// (A kept line is the only one of its request, and its keys are distinct: a key counted
    /// twice is used by two requests.) The keys are those `copyLinesWithClaimKeys` copied with the
    /// lines — ingest's, or the JSON's for a line ingested before ingest read them — split
    /// from their `kind:key` form as `request_line_claim_keys` splits them.
    public func contestedClaims() throws -> (held: [(key: ClaimKey, owner: String)], shared: [ClaimKey]) {
        // Each statement unnests the batch's keys from the kept lines itself: storing them once
        // for both (3.2 million rows at 1,000,000 requests) cost more than the second unnest.
        var held: [(key: ClaimKey, owner: String)] = []
        try connection.copyOut(
            """
            COPY (SELECT c.kind, c.key, c.request_id FROM claims c
                   WHERE (c.kind, c.key) IN (
                         SELECT split_part(e, ':', 1), substr(e, strpos(e, ':') + 1)
                           FROM review_lines k CROSS JOIN LATERAL unnest(k.claim_keys) e)) TO STDOUT
            """, columns: ["kind", "key", "request_id"]
        ) { row in
            guard let kind = ClaimKey.Kind(rawValue: try row.text("kind")) else { return }
            held.append((ClaimKey(kind: kind, value: try row.text("key")), try row.text("request_id")))
        }
        var shared: [ClaimKey] = []
        try connection.copyOut(
            """
            COPY (SELECT split_part(e, ':', 1) AS kind, substr(e, strpos(e, ':') + 1) AS key
                    FROM review_lines k CROSS JOIN LATERAL unnest(k.claim_keys) e
                   GROUP BY e HAVING count(*) > 1) TO STDOUT
            """, columns: ["kind", "key"]
        ) { row in
            guard let kind = ClaimKey.Kind(rawValue: try row.text("kind")) else { return }
            shared.append(ClaimKey(kind: kind, value: try row.text("key")))
        }
        return (held, shared)
    }

    // MARK: Notices

    /// The review's session: the ids of the notices already produced for the requests of the
    /// batch, one at a time: by
    /// the review runs that decided one of them before (a rerun's previous review, an earlier
    /// month's). A review's notice of the same event has the same id and is not produced again.
    public func forEachNotifiedBefore(_ body: (String) throws -> Void) throws {
        try connection.copyOut(
            """
            COPY (SELECT n.notice_id FROM notices n
                   WHERE n.run_id IN (SELECT DISTINCT d.run_id FROM decisions d
                                        JOIN review_lines k ON k.request_id = d.request_id)
                     AND n.request_id IN (SELECT request_id FROM review_lines)) TO STDOUT
            """, columns: ["notice_id"]
        ) { row in try body(try row.text("notice_id")) }
    }

    // MARK: Allocation order

    /// A kept line in allocation order, with its roster row, provider row and earlier reviews.
    public struct AllocationRow: Sendable {
        public let line: Int
        /// The request as ingest read it (`ReviewRecord`), when the line has one.
        public let record: String?
        /// The line as the platform sent it (JSON), for a line without a record.
        public let body: String?
        public let attachmentProblems: [String]
        public let account: Lookup<VoucherAccount>
        public let provider: Lookup<Provider>
        public let history: [PriorReview]
        /// Where the enterprise's notice goes (empty: no sound roster row names one).
        public let contactMobile: String
    }

    /// The reader, while triage still runs: the requests' earlier decisions and the allocation
    /// order of the copied lines (submission time, then request id by bytes), decided on the
    /// lines' numbers alone (`review_order`, a narrow sort). The lines triage sets aside leave
    /// the order afterwards (`dropSetAside(_:fromOrder:)`): the others keep their positions, so
    /// their order is the order of the kept lines alone.
    ///
    /// The requests' earlier decisions are gathered here, in one statement (`review_history`), not
    /// looked up row by row in a `decisions` table that fills as the cursor is read; when no
    /// request of the batch was decided before (a first month, a batch of new requests), the
    /// cursor does not look (`AllocationPlan.reviewedBefore`).
    public func orderBatch() throws -> AllocationPlan {
        let reviewedBefore = try connection.execute(
            """
            CREATE TEMP TABLE review_history ON COMMIT DROP AS
            SELECT d.request_id,
                   string_agg(d.revision || '@' || r.month || '@' || d.status, ',' ORDER BY r.month) AS history
              FROM decisions d JOIN reviews r ON r.run_id = d.run_id AND r.is_current
             WHERE r.month < $1 AND d.request_id IN (SELECT request_id FROM review_lines)
             GROUP BY d.request_id
            """, [month.description])
        try connection.execute("CREATE UNIQUE INDEX ON review_history (request_id)")
        try connection.execute("ANALYZE review_history")
        try connection.execute(
            """
            CREATE TEMP TABLE review_order ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY submitted_s, submitted_ns, request_id COLLATE "C") AS position, line,
                   row_address, enterprise_uscc, voucher_year, shop_id
              FROM review_lines
            """)
        try connection.execute("CREATE UNIQUE INDEX ON review_order (position)")
        try connection.execute("ANALYZE review_order")
        return AllocationPlan(reviewedBefore: reviewedBefore > 0)
    }

    /// What `orderBatch` found: whether any request of the batch was decided before.
    public struct AllocationPlan: Sendable {
        public let reviewedBefore: Bool
    }

    /// The reader, once the roster is resolved and the set-aside lines dropped: the kept lines in
    /// allocation order (`orderBatch`), read a page at a time with `AllocationCursor.next`. The
    /// cursor walks the order by its index and fetches each line's row by its address (the
    /// order carries it, with the account and shop its lookups need), so the batch's wide rows
    /// (the request as ingest read it, roster and provider rows) are never sorted, or spilled to
    /// disk to be, and no line is looked up by its key. The roster and provider rows of the
    /// accounts and shops met before are kept by the plan (`Memoize`).
    ///
    /// The planner prices a fetch by address at four times a key probe and would rather join the
    /// whole batch by hashing and sort it, which holds the first page back until everything is
    /// read: for this statement's plan only, it is left no join but the nested loop and no sort
    /// (1,000,000 lines, the server's CPU for the whole cursor: 14.4–15.4 s by key, 11.0–12.5 s
    /// by address). The settings go back to their defaults before anything else is planned.
    ///
    /// The cursor is read while the review's session writes: it reads only what that session
    /// does not write — the bundle's lines and the reader's own tables.
    public func allocationCursor(_ plan: AllocationPlan, pageSize: Int = 2_000) throws -> AllocationCursor {
        try connection.execute(
            "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; SET LOCAL enable_sort = off")
        let cursor = try connection.openCursor(
            """
            SELECT l.line, l.review_record, CASE WHEN l.review_record IS NULL THEN l.body END AS body,
                   l.attachment_problems,
                   ro.line AS roster_line, ro.defect AS roster_defect, ro.year, ro.uscc, ro.enterprise_name,
                   ro.enterprise_type, ro.city_code AS roster_city_code, ro.qualification_no, ro.qualified_on,
                   ro.prior_year_revenue, ro.status AS roster_status, ro.granted_on, ro.quota, ro.used_before,
                   ro.bank_name, ro.bank_code, ro.account_name, ro.account_number,
                   ro.bundle_month AS roster_bundle_month,
                   pr.line AS provider_line, pr.defect AS provider_defect, pr.shop_id, pr.uscc AS provider_uscc,
                   pr.name AS provider_name, pr.status AS provider_status, pr.city_code AS provider_city_code,
                   pr.bundle_month AS provider_bundle_month, coalesce(ro.notice_mobile, '') AS contact_mobile,
                   CASE WHEN $1::boolean
                        THEN (SELECT h.history FROM review_history h WHERE h.request_id = l.request_id)
                   END AS history
              FROM review_order o
              JOIN request_lines l ON l.ctid = o.row_address
              LEFT JOIN review_roster ro ON ro.account_uscc = o.enterprise_uscc AND ro.account_year = o.voucher_year
              LEFT JOIN review_providers pr ON pr.shop_id = o.shop_id
             ORDER BY o.position
            """, [plan.reviewedBefore ? "true" : "false"], pageSize: pageSize)
        try connection.execute(
            """
            SET LOCAL enable_hashjoin TO DEFAULT; SET LOCAL enable_mergejoin TO DEFAULT;
            SET LOCAL enable_sort TO DEFAULT
            """)
        return AllocationCursor(cursor: cursor)
    }

    /// Pages of `AllocationRow`s, read by the reader's session while the review's stores (the
    /// review reads page *i + 1* while page *i* is reviewed and page *i − 1* stored).
    public struct AllocationCursor: Sendable {
        let cursor: PageCursor

        /// The next page, empty once every kept line is read.
        public func next() throws -> [AllocationRow] {
            let rows = try cursor.next()
            guard let first = rows.first else { return [] }
            let columns = AllocationColumns(first.columns)
            return try rows.map { try ReviewWorkspace.allocationRow($0, columns) }
        }

        public func close() throws { try cursor.close() }
    }

    /// The allocation order's columns, found once per page (`QueryResult.Column`).
    struct AllocationColumns {
        let line, record, body, attachmentProblems, history, contactMobile: QueryResult.Column
        let rosterLine, rosterDefect, rosterBundleMonth, year, uscc, enterpriseName, enterpriseType: QueryResult.Column
        let rosterCityCode, qualificationNumber, qualifiedOn, priorYearRevenue, rosterStatus: QueryResult.Column
        let grantedOn, quota, usedBefore, bankName, bankCode, accountName, accountNumber: QueryResult.Column
        let providerLine, providerDefect, providerBundleMonth, shopID, providerUSCC, providerName: QueryResult.Column
        let providerStatus, providerCityCode: QueryResult.Column

        init(_ columns: QueryResult.Columns) {
            line = columns.column("line")
            record = columns.column("review_record")
            body = columns.column("body")
            attachmentProblems = columns.column("attachment_problems")
            history = columns.column("history")
            contactMobile = columns.column("contact_mobile")
            rosterLine = columns.column("roster_line")
            rosterDefect = columns.column("roster_defect")
            rosterBundleMonth = columns.column("roster_bundle_month")
            year = columns.column("year")
            uscc = columns.column("uscc")
            enterpriseName = columns.column("enterprise_name")
            enterpriseType = columns.column("enterprise_type")
            rosterCityCode = columns.column("roster_city_code")
            qualificationNumber = columns.column("qualification_no")
            qualifiedOn = columns.column("qualified_on")
            priorYearRevenue = columns.column("prior_year_revenue")
            rosterStatus = columns.column("roster_status")
            grantedOn = columns.column("granted_on")
            quota = columns.column("quota")
            usedBefore = columns.column("used_before")
            bankName = columns.column("bank_name")
            bankCode = columns.column("bank_code")
            accountName = columns.column("account_name")
            accountNumber = columns.column("account_number")
            providerLine = columns.column("provider_line")
            providerDefect = columns.column("provider_defect")
            providerBundleMonth = columns.column("provider_bundle_month")
            shopID = columns.column("shop_id")
            providerUSCC = columns.column("provider_uscc")
            providerName = columns.column("provider_name")
            providerStatus = columns.column("provider_status")
            providerCityCode = columns.column("provider_city_code")
        }
    }

    static func allocationRow(_ row: QueryResult.Row, _ c: AllocationColumns) throws -> AllocationRow {
        AllocationRow(
            line: try row.int(c.line), record: try row.optionalText(c.record), body: try row.optionalText(c.body),
            attachmentProblems: try row.optionalText(c.attachmentProblems).map {
                $0.split(separator: "\n").map(String.init)
            } ?? [],
            account: try account(row, c), provider: try provider(row, c),
            history: priorReviews(try row.optionalText(c.history) ?? ""), contactMobile: try row.text(c.contactMobile))
    }

    /// `revision@month@status,…` as the allocation query aggregates it (no earlier review: empty).
    static func priorReviews(_ text: String) -> [PriorReview] {
        text.split(separator: ",").compactMap { entry in
            let parts = entry.split(separator: "@")
            guard parts.count == 3, let revision = Int(parts[0]), let month = BatchMonth(parts[1]),
                let status = DecisionStatus(rawValue: String(parts[2]))
            else { return nil }
            return PriorReview(revision: revision, month: month, status: status)
        }
    }

    static func account(_ row: QueryResult.Row, _ c: AllocationColumns) throws -> Lookup<VoucherAccount> {
        guard let rosterLine = try row.optionalText(c.rosterLine) else { return .absent }
        if let defect = try row.optionalText(c.rosterDefect) {
            let month = try row.text(c.rosterBundleMonth)
            return .defective(detail: "vouchers.csv 第 \(rosterLine) 行（\(month) 批次）：\(defect)")
        }
        do {
            return .found(
                VoucherAccount(
                    year: try row.int(c.year), uscc: try row.text(c.uscc),
                    enterpriseName: try row.text(c.enterpriseName), enterpriseType: try row.text(c.enterpriseType),
                    cityCode: try row.text(c.rosterCityCode), qualificationNumber: try row.text(c.qualificationNumber),
                    qualifiedOn: try row.date(c.qualifiedOn), priorYearRevenue: try row.fen(c.priorYearRevenue),
                    status: try row.text(c.rosterStatus), grantedOn: try row.date(c.grantedOn),
                    quota: try row.fen(c.quota), usedBefore: try row.fen(c.usedBefore),
                    bankName: try row.text(c.bankName), bankCode: try row.text(c.bankCode),
                    accountName: try row.text(c.accountName), accountNumber: try row.text(c.accountNumber)))
        } catch {
            return .defective(detail: "vouchers.csv 第 \(rosterLine) 行无法读取")
        }
    }

    static func provider(_ row: QueryResult.Row, _ c: AllocationColumns) throws -> Lookup<Provider> {
        guard let providerLine = try row.optionalText(c.providerLine) else { return .absent }
        if let defect = try row.optionalText(c.providerDefect) {
            let month = try row.text(c.providerBundleMonth)
            return .defective(detail: "providers.csv 第 \(providerLine) 行（\(month) 批次）：\(defect)")
        }
        return .found(
            Provider(
                shopID: try row.text(c.shopID), uscc: try row.text(c.providerUSCC), name: try row.text(c.providerName),
                status: try row.text(c.providerStatus), cityCode: try row.text(c.providerCityCode)))
    }
}
