/// A ledger entry's account is checked where the counters are applied. Since SchemaV11 a
/// statement-level trigger (`ledger_entries_account`) looked each distinct account of the
/// statement up in `voucher_accounts`; `ledger_apply` then updated the same accounts' counters,
/// joining the same distinct accounts to the same table. The update now says which accounts it
/// found: an account of the statement that the update did not reach names no row of
/// `voucher_accounts`, and the statement is refused with the same error and SQLSTATE
/// (`foreign_key_violation`, "ledger_entries.account_id = … names no row of voucher_accounts").
/// At 1,000,000 requests the review appends ~700,000 reservations for ~240,000 accounts in one
/// statement; the separate lookup was ~0.95 s of it (`pg_stat_statements`), in the part of the
/// review where both of the machine's cores are busy until the end.
///
/// Everything else in `ledger_apply` is unchanged (SchemaV10, SchemaV16): corrections must match
/// what they correct, no account that grows may be overspent, a request holds at most one live
/// reservation. When a statement names a missing account and also overspends another, the missing
/// account is the error reported (both refuse the whole statement).
enum SchemaV24 {
    static let accountCheckedWithCounters = """
        CREATE OR REPLACE FUNCTION ledger_apply() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, public SET enable_bitmapscan = off AS $$
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

            -- The counters of each account of the statement, once; an account the update does not
            -- reach does not exist.
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
                RETURNING a.id, a.uscc, a.year, a.limit_fen, a.reserved_fen, a.paid_fen, changed.grows)
            SELECT c.account_id, u.id AS found, u.uscc, u.year, u.limit_fen, u.reserved_fen, u.paid_fen INTO bad
              FROM changed c LEFT JOIN updated u ON u.id = c.account_id
             WHERE u.id IS NULL OR (u.grows AND u.reserved_fen + u.paid_fen > greatest(u.limit_fen, 0))
             ORDER BY u.id IS NOT NULL, u.year, u.uscc, c.account_id
             LIMIT 1;
            IF FOUND AND bad.found IS NULL THEN
                RAISE EXCEPTION 'ledger_entries.account_id = % names no row of voucher_accounts', bad.account_id
                    USING ERRCODE = 'foreign_key_violation';
            ELSIF FOUND THEN
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

        DROP TRIGGER ledger_entries_account ON ledger_entries;
        """
}
