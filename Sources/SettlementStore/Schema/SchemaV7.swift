/// Two keys before money leaves, and a trail nobody can rewrite: payment batches are prepared by a
/// disbursement and released (or rejected) by a second person; every run, approval and rejection
/// appends a hash-chained audit entry; every published file's hash is kept.
enum SchemaV7 {
    static let releaseAndAudit = """
        ALTER TABLE runs DROP CONSTRAINT runs_stage_check;
        ALTER TABLE runs ADD CONSTRAINT runs_stage_check
            CHECK (stage IN ('ingest', 'review', 'disburse', 'reconcile', 'resolve', 'approve', 'reject'));

        -- A payment batch is prepared by `disburse`, then released by `approve` (a second person) or
        -- voided by `reject` (its amounts owed again).
        ALTER TABLE disbursements ADD COLUMN release_state text NOT NULL DEFAULT 'prepared'
            CHECK (release_state IN ('prepared', 'released', 'rejected'));
        ALTER TABLE disbursements ADD COLUMN decided_by text;
        ALTER TABLE disbursements ADD COLUMN decided_at timestamptz;
        ALTER TABLE disbursements ADD COLUMN decision_note text;
        ALTER TABLE disbursements ADD COLUMN outbox_dir text;
        ALTER TABLE disbursements ADD CONSTRAINT disbursements_decided
            CHECK ((release_state = 'prepared') = (decided_by IS NULL));
        -- Batches written before releases existed were handed to the bank as they were.
        UPDATE disbursements SET release_state = 'released', decided_by = 'before two-person release',
                                 decided_at = now();

        -- Every file a run published, with its hash, to check the files on disk against.
        CREATE TABLE run_files (
            run_id  bigint NOT NULL REFERENCES runs,
            name    text NOT NULL,
            sha256  text NOT NULL,
            bytes   bigint NOT NULL,
            PRIMARY KEY (run_id, name)
        );

        -- The audit trail: append-only, each entry holding the hash of the one before it and of its
        -- own content (`AuditChain` computes both; `settle audit verify` recomputes them).
        CREATE TABLE audit_entries (
            seq           bigint PRIMARY KEY,
            recorded_at   timestamptz NOT NULL DEFAULT now(),
            action        text NOT NULL,
            month         text NOT NULL,
            run_id        bigint REFERENCES runs,
            operator      text NOT NULL,
            business_date text NOT NULL,
            content       text NOT NULL,
            previous_hash text NOT NULL,
            entry_hash    text NOT NULL UNIQUE
        );
        CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_entries
            FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
        CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_entries
            FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();
        CREATE TRIGGER run_files_append_only BEFORE UPDATE OR DELETE ON run_files
            FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
        """
}
