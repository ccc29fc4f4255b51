/// A review's rows are checked against their run by index, as a bundle's rows are (SchemaV18),
/// where each table has an index that starts with `run_id`. The statement-level check of
/// SchemaV11 reads the distinct runs from the statement's transition table, so every row each
/// page's COPY inserted was copied once more into it — at 1,000,000 requests ~2.4 million rows of
/// decisions, notices and findings, for one run id per statement (their DISTINCT queries alone:
/// ~1.3 s of `pg_stat_statements` time). `require_parents_by_index` instead walks the distinct
/// run ids of the table up that index, one probe per run ever written to it, and looks each up in
/// the parent. It is SchemaV18's `require_bundles` with the column as an argument, and replaces it:
/// a bundle's rows are checked by the same function, the same way.
/// Checking every run the table names is the same guarantee: runs and reviews are never deleted,
/// their ids cannot change (`keep_key`, SchemaV11), and no role the application uses may update
/// these tables (it may only insert, `DatabaseRoles`).
///
/// | table | index walked | parent |
/// | --- | --- | --- |
/// | decisions | decisions_pkey (run_id, seq) | reviews.run_id |
/// | findings | findings_pkey (run_id, request_id, code) | reviews.run_id |
/// | quarantine | quarantine_pkey (run_id, line) | reviews.run_id |
/// | notices | notices_by_run (run_id) | runs.id |
/// | request_lines, roster_rows, provider_rows (bundle_id) | their primary keys | bundles.id |
///
/// `claims` (no index on its run, and rows that an upsert moves to a new run) and the ledger
/// (whose own check reads the same transition table) keep the check of SchemaV11.
enum SchemaV25 {
    static let runsByIndex = """
        CREATE FUNCTION require_parents_by_index() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        DECLARE
            missing text;
        BEGIN
            -- TG_ARGV: the column, the parent table, the parent's key column. The table's distinct
            -- values of the column, walked up an index that starts with it from the smallest, then
            -- each looked up in the parent.
            EXECUTE format(
                'WITH RECURSIVE ids (id) AS ('
                || '  (SELECT %2$I FROM %1$I ORDER BY %2$I LIMIT 1)'
                || '  UNION ALL'
                || '  SELECT (SELECT t.%2$I FROM %1$I t WHERE t.%2$I > ids.id ORDER BY t.%2$I LIMIT 1)'
                || '    FROM ids WHERE ids.id IS NOT NULL)'
                || 'SELECT ids.id::text FROM ids WHERE ids.id IS NOT NULL'
                || '   AND NOT EXISTS (SELECT 1 FROM %3$I p WHERE p.%4$I = ids.id) LIMIT 1',
                TG_TABLE_NAME, TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]) INTO missing;
            IF missing IS NOT NULL THEN
                RAISE EXCEPTION '%.% = % names no row of %', TG_TABLE_NAME, TG_ARGV[0], missing, TG_ARGV[1]
                    USING ERRCODE = 'foreign_key_violation';
            END IF;
            RETURN NULL;
        END $$;

        DROP TRIGGER decisions_review ON decisions;
        DROP TRIGGER findings_review ON findings;
        DROP TRIGGER quarantine_review ON quarantine;
        DROP TRIGGER notices_run ON notices;
        CREATE TRIGGER decisions_review AFTER INSERT ON decisions
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents_by_index('run_id', 'reviews', 'run_id');
        CREATE TRIGGER findings_review AFTER INSERT ON findings
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents_by_index('run_id', 'reviews', 'run_id');
        CREATE TRIGGER quarantine_review AFTER INSERT ON quarantine
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents_by_index('run_id', 'reviews', 'run_id');
        CREATE TRIGGER notices_run AFTER INSERT ON notices
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents_by_index('run_id', 'runs', 'id');

        -- The bundle's rows, checked the same way since SchemaV18 by a function of their own.
        DROP TRIGGER request_lines_bundle ON request_lines;
        DROP TRIGGER roster_rows_bundle ON roster_rows;
        DROP TRIGGER provider_rows_bundle ON provider_rows;
        DROP FUNCTION require_bundles();
        CREATE TRIGGER request_lines_bundle AFTER INSERT ON request_lines
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents_by_index('bundle_id', 'bundles', 'id');
        CREATE TRIGGER roster_rows_bundle AFTER INSERT ON roster_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents_by_index('bundle_id', 'bundles', 'id');
        CREATE TRIGGER provider_rows_bundle AFTER INSERT ON provider_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents_by_index('bundle_id', 'bundles', 'id');
        """
}
