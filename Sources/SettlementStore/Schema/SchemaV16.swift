/// The ledger's checks at a million requests. Traced at 1,000,000 requests (one review appending
/// ~700,000 reservations for ~230,000 accounts in one statement):
/// - `ledger_apply` counts each new reservation's request's live reservations through
///   `ledger_entries_by_request`. On a ledger without statistics — the first review of a new
///   database — the planner expected ~1,700 entries per request and built a bitmap for each of
///   the 700,000 requests (5.6 s). The function now plans without bitmap scans: every statement in
///   it is a probe by key, for which an index scan is the plan (the same checks, the same errors).
/// - The account counters are updated once per account by that statement; accounts are written
///   with half of each page left free, so that the new version of a row fits beside the old one
///   and no index changes (a HOT update): the counters are not indexed. Pages written before this
///   change keep their layout until they are rewritten.
/// - Ingest refreshes the planner's statistics of the rows it wrote once it has committed
///   (`analyze_bundle_rows`, the owner's right, lent to the application role for this alone): a
///   review that follows at once planned the month's lines as a few thousand rows and probed an
///   index a million times where a hash join reads them once. Not inside a run's transaction:
///   ANALYZE holds a lock that a second run's ANALYZE waits for until the first commits — two
///   reviews of different months sharing an account could then wait for each other.
enum SchemaV16 {
    static let ledgerAtScale = """
        ALTER FUNCTION ledger_apply() SET enable_bitmapscan = off;
        ALTER TABLE voucher_accounts SET (fillfactor = 50);

        CREATE FUNCTION analyze_bundle_rows() RETURNS void LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        BEGIN
            ANALYZE request_lines;
            ANALYZE roster_rows;
            ANALYZE provider_rows;
        END $$;
        REVOKE ALL ON FUNCTION analyze_bundle_rows() FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION analyze_bundle_rows() TO settle_app;
        """
}
