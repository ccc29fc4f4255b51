/// A bundle's rows are checked against `bundles` without keeping a copy of them. The statement-
/// level check of SchemaV11 reads the distinct parents from the statement's transition table,
/// which holds every row the statement inserted: for ingest's one COPY of `request_lines` that
/// is the whole of `redemptions.jsonl` again (~460 MB at 200,000 lines, written to temporary
/// files and read back: 0.7–0.9 s of a 5 s COPY). These three tables have a primary key that
/// starts with `bundle_id`, so their distinct bundles can be read from it instead, one index probe
/// each (`require_bundles`: a loose scan of the index, a few dozen probes — one per bundle ever
/// ingested). It checks every bundle the table names, not only the statement's: since bundles are
/// never deleted and a row's bundle cannot change (SchemaV11, SchemaV12), that is the same
/// guarantee, at a cost that does not grow with the rows inserted.
///
/// | table | column | parent | check |
/// | --- | --- | --- | --- |
/// | request_lines, roster_rows, provider_rows | bundle_id | bundles.id | `require_bundles` |
enum SchemaV18 {
    static let bundleChecks = """
        CREATE FUNCTION require_bundles() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        DECLARE
            missing bigint;
        BEGIN
            -- The table's distinct bundle ids, walked up its primary key (bundle_id, line) from
            -- the smallest, then each looked up in bundles.
            EXECUTE format(
                'WITH RECURSIVE ids (id) AS ('
                || '  (SELECT bundle_id FROM %1$I ORDER BY bundle_id LIMIT 1)'
                || '  UNION ALL'
                || '  SELECT (SELECT t.bundle_id FROM %1$I t WHERE t.bundle_id > ids.id ORDER BY t.bundle_id LIMIT 1)'
                || '    FROM ids WHERE ids.id IS NOT NULL)'
                || 'SELECT ids.id FROM ids WHERE ids.id IS NOT NULL'
                || '   AND NOT EXISTS (SELECT 1 FROM bundles b WHERE b.id = ids.id) LIMIT 1',
                TG_TABLE_NAME) INTO missing;
            IF missing IS NOT NULL THEN
                RAISE EXCEPTION '%.bundle_id = % names no row of bundles', TG_TABLE_NAME, missing
                    USING ERRCODE = 'foreign_key_violation';
            END IF;
            RETURN NULL;
        END $$;

        DROP TRIGGER request_lines_bundle ON request_lines;
        DROP TRIGGER roster_rows_bundle ON roster_rows;
        DROP TRIGGER provider_rows_bundle ON provider_rows;
        CREATE TRIGGER request_lines_bundle AFTER INSERT ON request_lines
            FOR EACH STATEMENT EXECUTE FUNCTION require_bundles();
        CREATE TRIGGER roster_rows_bundle AFTER INSERT ON roster_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_bundles();
        CREATE TRIGGER provider_rows_bundle AFTER INSERT ON provider_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_bundles();
        """
}
