/// Parent checks per statement instead of per row.
///
/// A foreign key checks its parent once per inserted row. For the tables below every row a
/// statement writes names the same parent — the run or bundle being written — so the same lookup
/// was repeated for each of hundreds of thousands of rows (a fifth of a review's database time).
/// These foreign keys are replaced by statement-level triggers that look each distinct parent up
/// once (`require_parents`), and the parents' keys are made immutable (`keep_key`) so that a row
/// can never lose its parent by an update; parents are never deleted (no role the application
/// uses may delete them). A ledger entry's account is checked the same way, once per distinct
/// account of the statement (accounts are never deleted and the application role may only set
/// their limit). The entry a ledger entry corrects and a payment line's ledger entry stay
/// foreign keys.
///
/// | table | column | parent |
/// | --- | --- | --- |
/// | request_lines, roster_rows, provider_rows | bundle_id | bundles.id (by index since SchemaV18) |
/// | decisions, findings, quarantine, claims | run_id | reviews.run_id |
/// | ledger_entries, notices | run_id | runs.id |
/// | ledger_entries | account_id | voucher_accounts.id |
/// | payment_lines, disbursement_exclusions | run_id | disbursements.run_id |
enum SchemaV11 {
    static let parentChecks = """
        CREATE FUNCTION require_parents() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        DECLARE
            missing text;
        BEGIN
            -- TG_ARGV: the column, the parent table, the parent's key column.
            EXECUTE format(
                'SELECT n.c::text FROM (SELECT DISTINCT %1$I AS c FROM new_rows) n '
                || 'WHERE NOT EXISTS (SELECT 1 FROM %2$I p WHERE p.%3$I = n.c) LIMIT 1',
                TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]) INTO missing;
            IF missing IS NOT NULL THEN
                RAISE EXCEPTION '%.% = % names no row of %', TG_TABLE_NAME, TG_ARGV[0], missing, TG_ARGV[1]
                    USING ERRCODE = 'foreign_key_violation';
            END IF;
            RETURN NULL;
        END $$;

        CREATE FUNCTION keep_key() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        BEGIN
            RAISE EXCEPTION '%.% identifies rows of other tables and cannot change', TG_TABLE_NAME, TG_ARGV[0]
                USING ERRCODE = 'insufficient_privilege';
        END $$;

        ALTER TABLE request_lines DROP CONSTRAINT request_lines_bundle_id_fkey;
        ALTER TABLE roster_rows DROP CONSTRAINT roster_rows_bundle_id_fkey;
        ALTER TABLE provider_rows DROP CONSTRAINT provider_rows_bundle_id_fkey;
        ALTER TABLE decisions DROP CONSTRAINT decisions_run_id_fkey;
        ALTER TABLE findings DROP CONSTRAINT findings_run_id_fkey;
        ALTER TABLE quarantine DROP CONSTRAINT quarantine_run_id_fkey;
        ALTER TABLE claims DROP CONSTRAINT claims_run_id_fkey;
        ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_run_id_fkey;
        ALTER TABLE notices DROP CONSTRAINT notices_run_id_fkey;
        ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_account_id_fkey;
        ALTER TABLE payment_lines DROP CONSTRAINT payment_lines_run_id_fkey;
        ALTER TABLE disbursement_exclusions DROP CONSTRAINT disbursement_exclusions_run_id_fkey;

        CREATE TRIGGER ledger_entries_account AFTER INSERT ON ledger_entries REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents('account_id', 'voucher_accounts', 'id');
        CREATE TRIGGER request_lines_bundle AFTER INSERT ON request_lines REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents('bundle_id', 'bundles', 'id');
        CREATE TRIGGER roster_rows_bundle AFTER INSERT ON roster_rows REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents('bundle_id', 'bundles', 'id');
        CREATE TRIGGER provider_rows_bundle AFTER INSERT ON provider_rows REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents('bundle_id', 'bundles', 'id');
        CREATE TRIGGER decisions_review AFTER INSERT ON decisions REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents('run_id', 'reviews', 'run_id');
        CREATE TRIGGER findings_review AFTER INSERT ON findings REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents('run_id', 'reviews', 'run_id');
        CREATE TRIGGER quarantine_review AFTER INSERT ON quarantine REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents('run_id', 'reviews', 'run_id');
        CREATE TRIGGER claims_review AFTER INSERT ON claims REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents('run_id', 'reviews', 'run_id');
        CREATE TRIGGER claims_review_updated AFTER UPDATE ON claims REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents('run_id', 'reviews', 'run_id');
        CREATE TRIGGER ledger_entries_run AFTER INSERT ON ledger_entries REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents('run_id', 'runs', 'id');
        CREATE TRIGGER notices_run AFTER INSERT ON notices REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents('run_id', 'runs', 'id');
        CREATE TRIGGER payment_lines_disbursement AFTER INSERT ON payment_lines REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents('run_id', 'disbursements', 'run_id');
        CREATE TRIGGER disbursement_exclusions_disbursement AFTER INSERT ON disbursement_exclusions
            REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION require_parents('run_id', 'disbursements', 'run_id');

        CREATE TRIGGER runs_keep_id BEFORE UPDATE OF id ON runs
            FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION keep_key('id');
        CREATE TRIGGER bundles_keep_id BEFORE UPDATE OF id ON bundles
            FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION keep_key('id');
        CREATE TRIGGER reviews_keep_run BEFORE UPDATE OF run_id ON reviews
            FOR EACH ROW WHEN (OLD.run_id IS DISTINCT FROM NEW.run_id) EXECUTE FUNCTION keep_key('run_id');
        CREATE TRIGGER disbursements_keep_run BEFORE UPDATE OF run_id ON disbursements
            FOR EACH ROW WHEN (OLD.run_id IS DISTINCT FROM NEW.run_id) EXECUTE FUNCTION keep_key('run_id');
        """
}
