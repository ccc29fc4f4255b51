/// Set-based checks and one home for a decision's claim keys.
///
/// - `ledger_apply` checks and applies a statement's entries with one statement per check
///   instead of a statement per account and per request: a review or disbursement that writes
///   100,000 entries runs three set-based statements, not 200,000 single-row ones. The checks are
///   the same (corrections match what they correct; no account is overspent; a request holds at
///   most one live reservation) and still raise `check_violation` for the whole statement.
/// - `request_line_claim_keys`: the keys a request line claims, read at ingest
///   (`request_lines.claim_keys`) or, for older lines, from the JSON — one definition for the review
///   and for `decision_claim_keys`: the keys a decision claims are its request line's, for every
///   decision that is not rejected. Reviews no
///   longer copy them into `decision_claims`; rows written there by earlier reviews still count.
/// - Request bodies are compressed with lz4 where the server has it (faster than pglz to write).
enum SchemaV10 {
    static let setBased = """
        CREATE OR REPLACE FUNCTION ledger_apply() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        DECLARE
            bad record;
        BEGIN
            -- Each correction next to the entry it corrects, looked up by primary key (LIMIT keeps the
            -- planner from scanning the whole ledger for a statement of a few thousand rows).
            SELECT e.id, e.kind, e.corrects, c.kind AS corrected_kind INTO bad
              FROM new_entries e
             CROSS JOIN LATERAL (SELECT x.kind, x.amount, x.account_id, x.request_id FROM ledger_entries x
                                  WHERE x.id = e.corrects LIMIT 1) c
             WHERE e.corrects IS NOT NULL
               AND (NOT ((e.kind IN ('payment', 'supplement') AND c.kind = 'reservation')
                        OR (e.kind = 'release' AND c.kind IN ('reservation', 'return'))
                        OR (e.kind = 'return' AND c.kind IN ('payment', 'repayment', 'supplement'))
                        OR (e.kind = 'repayment' AND c.kind IN ('return', 'reservation'))
                        OR (e.kind = 'reinstatement' AND c.kind = 'return'))
                    OR e.amount <> c.amount OR e.account_id <> c.account_id OR e.request_id <> c.request_id)
             LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'ledger entry % (%) cannot correct entry % (%): kind, account, request and amount must match',
                    bad.id, bad.kind, bad.corrects, bad.corrected_kind
                    USING ERRCODE = 'check_violation';
            END IF;

            WITH changed AS (
                SELECT account_id,
                       sum(CASE kind WHEN 'reservation' THEN amount WHEN 'return' THEN amount
                                     WHEN 'release' THEN -amount WHEN 'payment' THEN -amount
                                     WHEN 'supplement' THEN -amount WHEN 'repayment' THEN -amount
                                     WHEN 'reinstatement' THEN -amount
                                     ELSE 0 END) AS reserved,
                       sum(CASE kind WHEN 'payment' THEN amount WHEN 'repayment' THEN amount
                                     WHEN 'supplement' THEN amount WHEN 'reinstatement' THEN amount
                                     WHEN 'return' THEN -amount
                                     ELSE 0 END) AS paid,
                       bool_or(kind = 'reservation') AS grows
                  FROM new_entries GROUP BY account_id),
            updated AS (
                UPDATE voucher_accounts a
                   SET reserved_fen = a.reserved_fen + changed.reserved, paid_fen = a.paid_fen + changed.paid
                  FROM changed
                 WHERE a.id = changed.account_id
                RETURNING a.uscc, a.year, a.limit_fen, a.reserved_fen, a.paid_fen, changed.grows)
            SELECT * INTO bad FROM updated
             WHERE grows AND reserved_fen + paid_fen > greatest(limit_fen, 0)
             ORDER BY year, uscc LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'voucher account %/% would be overspent: reserved % + paid % > limit %',
                    bad.uscc, bad.year, bad.reserved_fen, bad.paid_fen, bad.limit_fen
                    USING ERRCODE = 'check_violation';
            END IF;

            -- The live reservations of each request that got one, counted through its index.
            SELECT n.request_id, x.live INTO bad
              FROM (SELECT DISTINCT request_id FROM new_entries WHERE kind = 'reservation') n
             CROSS JOIN LATERAL (SELECT count(*) AS live FROM ledger_entries r
                                  WHERE r.request_id = n.request_id AND r.kind = 'reservation'
                                    AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = r.id)) x
             WHERE x.live > 1
             ORDER BY n.request_id LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'request % would hold % live reservations; it may hold one', bad.request_id, bad.live
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END $$;

        -- The keys each request line claims: read at ingest (claim_keys, distinct per line); for
        -- lines ingested before that column existed, from the stored JSON.
        CREATE VIEW request_line_claim_keys AS
        SELECT l.bundle_id, l.line, x.kind, x.key
          FROM request_lines l
         CROSS JOIN LATERAL (
               SELECT split_part(e, ':', 1) AS kind, substr(e, strpos(e, ':') + 1) AS key
                 FROM unnest(l.claim_keys) e
               UNION ALL
               SELECT DISTINCT j.kind, j.key FROM (
                     SELECT 'order' AS kind, (l.body::jsonb) ->> 'order_no' AS key
                     UNION ALL
                     SELECT 'contract', ((l.body::jsonb) ->> 'shop_id') || E'\\x1f' || (c ->> 'contract_no')
                       FROM jsonb_array_elements((l.body::jsonb) -> 'contracts') c
                     UNION ALL
                     SELECT 'invoice', coalesce(i ->> 'code', '') || E'\\x1f' || (i ->> 'number')
                       FROM jsonb_array_elements((l.body::jsonb) -> 'invoices') i) j
                WHERE l.claim_keys IS NULL
         ) x
         WHERE l.outcome = 'well_formed';

        CREATE VIEW decision_claim_keys AS
        SELECT d.run_id, d.request_id, k.kind, k.key
          FROM decisions d
          JOIN reviews r ON r.run_id = d.run_id
          JOIN request_line_claim_keys k ON k.bundle_id = r.bundle_id AND k.line = d.line
         WHERE d.status <> 'rejected'
           AND NOT EXISTS (SELECT 1 FROM decision_claims dc WHERE dc.run_id = d.run_id)
        UNION ALL
        SELECT run_id, request_id, kind, key FROM decision_claims;

        DO $$
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
                ALTER TABLE request_lines ALTER COLUMN body SET COMPRESSION lz4;
            END IF;
        END $$;
        """
}
