/// Runs and everything read from the bundles.
enum SchemaV1 {
    static let runsAndInputs = """
        -- A run: one stage (ingest, review, disburse, reconcile) of one batch month.
        CREATE TABLE runs (
            id            bigserial PRIMARY KEY,
            stage         text NOT NULL CHECK (stage IN ('ingest', 'review', 'disburse', 'reconcile')),
            month         text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
            run_no        integer NOT NULL CHECK (run_no >= 1),
            business_date date,
            policy_hash   text,
            input_hashes  text,
            operator      text NOT NULL,
            reason        text,
            started_at    timestamptz NOT NULL DEFAULT now(),
            ended_at      timestamptz,
            outcome       text NOT NULL DEFAULT 'running'
                          CHECK (outcome IN ('running', 'committed', 'abandoned')),
            summary       text
        );
        -- A run number names one live or committed run; an abandoned attempt leaves its number free.
        CREATE UNIQUE INDEX runs_identity ON runs (stage, month, run_no) WHERE outcome <> 'abandoned';

        -- A bundle: one export of the platform for one month, as ingested.
        CREATE TABLE bundles (
            id             bigserial PRIMARY KEY,
            month          text NOT NULL,
            run_id         bigint NOT NULL REFERENCES runs,
            directory      text NOT NULL,
            encoding       text NOT NULL,
            fingerprint    text NOT NULL,
            is_current     boolean NOT NULL DEFAULT true,
            verify_attachments boolean NOT NULL DEFAULT false,
            lines_read     integer NOT NULL DEFAULT 0,
            lines_kept     integer NOT NULL DEFAULT 0,
            lines_quarantined integer NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX bundles_one_current_per_month ON bundles (month) WHERE is_current;

        CREATE TABLE bundle_files (
            bundle_id bigint NOT NULL REFERENCES bundles,
            name      text NOT NULL,
            sha256    text NOT NULL,
            bytes     bigint NOT NULL,
            PRIMARY KEY (bundle_id, name)
        );

        -- Every record of vouchers.csv; a row that could not be loaded keeps its defect.
        CREATE TABLE roster_rows (
            bundle_id          bigint NOT NULL REFERENCES bundles,
            line               integer NOT NULL,
            year               integer,
            uscc               text NOT NULL,
            defect             text,
            enterprise_name    text,
            enterprise_type    text,
            city_code          text,
            qualification_no   text,
            qualified_on       date,
            prior_year_revenue bigint,
            status             text,
            granted_on         date,
            quota              bigint,
            used_before        bigint,
            bank_name          text,
            bank_code          text,
            account_name       text,
            account_number     text,
            PRIMARY KEY (bundle_id, line),
            CHECK (defect IS NOT NULL OR (year IS NOT NULL AND quota IS NOT NULL AND used_before IS NOT NULL))
        );
        CREATE INDEX roster_rows_by_key ON roster_rows (uscc, year);

        -- Every record of providers.csv.
        CREATE TABLE provider_rows (
            bundle_id bigint NOT NULL REFERENCES bundles,
            line      integer NOT NULL,
            shop_id   text NOT NULL,
            defect    text,
            uscc      text,
            name      text,
            status    text,
            city_code text,
            PRIMARY KEY (bundle_id, line)
        );
        CREATE INDEX provider_rows_by_shop ON provider_rows (shop_id);

        -- Every line of redemptions.jsonl with its fingerprint and what reading it showed.
        CREATE TABLE request_lines (
            bundle_id    bigint NOT NULL REFERENCES bundles,
            line         integer NOT NULL,
            sha256       text NOT NULL,
            outcome      text NOT NULL CHECK (outcome IN ('well_formed', 'malformed', 'wrong_batch')),
            request_id   text,
            revision     integer,
            detail       text,
            submitted_s  bigint,
            submitted_ns integer,
            enterprise_uscc text,
            voucher_year integer,
            shop_id      text,
            body         text,
            attachment_problems text,
            PRIMARY KEY (bundle_id, line),
            CHECK (outcome <> 'well_formed' OR (request_id IS NOT NULL AND body IS NOT NULL))
        );
        CREATE INDEX request_lines_by_request ON request_lines (request_id, revision);
        """
}
