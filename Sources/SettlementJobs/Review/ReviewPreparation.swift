import SettlementCore
import SettlementStore

/// Loads, in bulk and inside the review's transaction, what the review of one batch needs:
/// the triage of its lines, the roster and providers as of the batch, the voucher accounts with
/// their limits and committed amounts, and the claim keys that can conflict.
struct ReviewPreparation {
    let connection: Connection
    let bundleID: Int64
    let month: BatchMonth
    let runID: Int64
    let policies: PolicyBook

    /// Lines kept for review and the quarantine of this review.
    func triage() throws -> (kept: Int, quarantined: Int) {
        try connection.execute(
            """
            CREATE TEMP TABLE review_lines (
                line integer PRIMARY KEY, request_id text NOT NULL, reason text, detail text
            ) ON COMMIT DROP
            """)
        try TriageRunner.run(connection, bundleID: bundleID, month: month) { results in
            try connection.copyIn("COPY review_lines (line, request_id, reason, detail) FROM STDIN") { writer in
                for result in results {
                    switch result.disposition {
                    case .kept:
                        try writer.write([String(result.line), result.requestID, nil, nil])
                    case .quarantined(let reason, let detail):
                        try writer.write([String(result.line), result.requestID, reason.rawValue, detail])
                    }
                }
            }
        }
        let quarantined = try connection.execute(
            """
            INSERT INTO quarantine (run_id, line, request_id, reason, detail)
            SELECT $1::bigint, line, request_id, CASE outcome WHEN 'malformed' THEN 'MALFORMED' ELSE 'WRONG_BATCH' END, detail
              FROM request_lines WHERE bundle_id = $2::bigint AND outcome <> 'well_formed'
            UNION ALL
            SELECT $1::bigint, line, request_id, reason, detail FROM review_lines WHERE reason IS NOT NULL
            """, [String(runID), String(bundleID)])
        try connection.execute("DELETE FROM review_lines WHERE reason IS NOT NULL")
        try connection.execute("ANALYZE review_lines")
        let kept = try connection.query("SELECT count(*) FROM review_lines").first?.int(0) ?? 0
        return (kept, quarantined)
    }

    /// The roster and provider rows that apply to the batch: from the current bundles of months up
    /// to and including this one, the latest row per key winning (rows absent from a later bundle stay).
    func resolveRosters() throws {
        try connection.execute(
            """
            CREATE TEMP TABLE review_roster ON COMMIT DROP AS
            SELECT DISTINCT ON (r.uscc, r.year) r.*, b.month AS bundle_month
              FROM roster_rows r JOIN bundles b ON b.id = r.bundle_id AND b.is_current AND b.month <= '\(month)'
             WHERE r.year IS NOT NULL
               AND (r.uscc, r.year) IN (SELECT l.enterprise_uscc, l.voucher_year
                                          FROM request_lines l JOIN review_lines k ON k.line = l.line
                                         WHERE l.bundle_id = \(bundleID))
             ORDER BY r.uscc, r.year, b.month DESC, r.line DESC;
            CREATE UNIQUE INDEX ON review_roster (uscc, year);
            CREATE TEMP TABLE review_providers ON COMMIT DROP AS
            SELECT DISTINCT ON (p.shop_id) p.*, b.month AS bundle_month
              FROM provider_rows p JOIN bundles b ON b.id = p.bundle_id AND b.is_current AND b.month <= '\(month)'
             WHERE p.shop_id IN (SELECT l.shop_id FROM request_lines l JOIN review_lines k ON k.line = l.line
                                  WHERE l.bundle_id = \(bundleID))
             ORDER BY p.shop_id, b.month DESC, p.line DESC;
            CREATE UNIQUE INDEX ON review_providers (shop_id);
            """)
    }

    /// Creates or updates the voucher accounts of the batch with their limit (effective quota less
    /// `used_before`, under the policy of their year) and loads what is committed on them.
    func accounts() throws -> (book: BalanceBook, ids: [AccountKey: Int64]) {
        var limits: [(AccountKey, Fen)] = []
        try connection.copyOut(
            "COPY (SELECT uscc, year, city_code, quota, used_before FROM review_roster WHERE defect IS NULL) TO STDOUT"
        ) { cells in
            guard let year = Int(cells[1] ?? ""), let quota = Int64(cells[3] ?? ""), let used = Int64(cells[4] ?? "")
            else { return }
            let policy = policies.policy(for: year)
            let effective = min(Fen(quota), policy.quota(cityCode: cells[2] ?? ""))
            limits.append((AccountKey(uscc: cells[0] ?? "", year: year), effective.subtracting(Fen(used)) ?? .zero))
        }
        try connection.execute(
            "CREATE TEMP TABLE review_limits (uscc text, year bigint, limit_fen bigint) ON COMMIT DROP")
        try connection.copyIn("COPY review_limits (uscc, year, limit_fen) FROM STDIN") { writer in
            for (key, limit) in limits { try writer.write([key.uscc, String(key.year), String(limit.value)]) }
        }
        try connection.execute(
            """
            INSERT INTO voucher_accounts (uscc, year, limit_fen)
            SELECT uscc, year, limit_fen FROM review_limits
            ON CONFLICT (uscc, year) DO UPDATE SET limit_fen = EXCLUDED.limit_fen
            """)
        var book = BalanceBook()
        var ids: [AccountKey: Int64] = [:]
        try connection.copyOut(
            """
            COPY (SELECT a.id, a.uscc, a.year, a.reserved_fen + a.paid_fen
                    FROM voucher_accounts a JOIN review_limits l ON l.uscc = a.uscc AND l.year = a.year) TO STDOUT
            """
        ) { cells in
            guard let id = Int64(cells[0] ?? ""), let year = Int(cells[2] ?? ""), let committed = Int64(cells[3] ?? "")
            else { return }
            let key = AccountKey(uscc: cells[1] ?? "", year: year)
            ids[key] = id
            book.load(key, committed: Fen(committed))
        }
        try LedgerGuard.verify(connection, .accounts(Array(ids.values)))
        return (book, ids)
    }

    /// The claim keys of the batch that can conflict: held already by a request, or used by two or
    /// more requests of the batch. Every other key is unique and free.
    func contestedClaims() throws -> (registry: ClaimRegistry, tracked: Set<ClaimKey>) {
        try connection.execute(
            """
            CREATE TEMP TABLE review_keys ON COMMIT DROP AS
            SELECT DISTINCT k.request_id, x.kind, x.key
              FROM review_lines k
              JOIN request_lines l ON l.bundle_id = \(bundleID) AND l.line = k.line
             CROSS JOIN LATERAL (
                   -- Read at ingest (`request_lines.claim_keys`); lines ingested before that from the JSON.
                   SELECT split_part(e, ':', 1) AS kind, substr(e, strpos(e, ':') + 1) AS key
                     FROM unnest(l.claim_keys) e
                   UNION ALL
                   SELECT j.kind, j.key FROM (
                         SELECT 'order' AS kind, (l.body::jsonb) ->> 'order_no' AS key
                         UNION ALL
                         SELECT 'contract', ((l.body::jsonb) ->> 'shop_id') || E'\\x1f' || (c ->> 'contract_no')
                           FROM jsonb_array_elements((l.body::jsonb) -> 'contracts') c
                         UNION ALL
                         SELECT 'invoice', coalesce(i ->> 'code', '') || E'\\x1f' || (i ->> 'number')
                           FROM jsonb_array_elements((l.body::jsonb) -> 'invoices') i) j
                    WHERE l.claim_keys IS NULL
             ) x;
            CREATE INDEX ON review_keys (kind, key);
            ANALYZE review_keys;
            """)
        var registry = ClaimRegistry()
        var tracked: Set<ClaimKey> = []
        try connection.copyOut(
            """
            COPY (SELECT c.kind, c.key, c.request_id FROM claims c
                   WHERE (c.kind, c.key) IN (SELECT kind, key FROM review_keys)) TO STDOUT
            """
        ) { cells in
            guard let kind = ClaimKey.Kind(rawValue: cells[0] ?? "") else { return }
            let key = ClaimKey(kind: kind, value: cells[1] ?? "")
            registry.load(key, owner: cells[2] ?? "")
            tracked.insert(key)
        }
        try connection.copyOut(
            """
            COPY (SELECT kind, key FROM review_keys GROUP BY kind, key HAVING count(DISTINCT request_id) > 1) TO STDOUT
            """
        ) { cells in
            guard let kind = ClaimKey.Kind(rawValue: cells[0] ?? "") else { return }
            tracked.insert(ClaimKey(kind: kind, value: cells[1] ?? ""))
        }
        return (registry, tracked)
    }

    /// The query that walks the batch in allocation order, each request with its roster row,
    /// provider row and earlier reviews.
    var allocationOrderQuery: String {
        """
        SELECT l.line, l.body, l.attachment_problems,
               ro.line, ro.defect, ro.year, ro.uscc, ro.enterprise_name, ro.enterprise_type, ro.city_code,
               ro.qualification_no, ro.qualified_on, ro.prior_year_revenue, ro.status, ro.granted_on, ro.quota,
               ro.used_before, ro.bank_name, ro.bank_code, ro.account_name, ro.account_number, ro.bundle_month,
               pr.line, pr.defect, pr.shop_id, pr.uscc, pr.name, pr.status, pr.city_code, pr.bundle_month,
               (SELECT string_agg(d.revision || '@' || r.month || '@' || d.status, ',' ORDER BY r.month)
                  FROM decisions d JOIN reviews r ON r.run_id = d.run_id AND r.is_current
                 WHERE d.request_id = l.request_id AND r.month < '\(month)')
          FROM review_lines k
          JOIN request_lines l ON l.bundle_id = \(bundleID) AND l.line = k.line
          LEFT JOIN review_roster ro ON ro.uscc = l.enterprise_uscc AND ro.year = l.voucher_year
          LEFT JOIN review_providers pr ON pr.shop_id = l.shop_id
         ORDER BY l.submitted_s, l.submitted_ns, l.request_id COLLATE "C"
        """
    }
}
