/// Reviews: decisions, findings, the quarantine of each review, and the claims on orders,
/// contracts and invoices.
enum SchemaV2 {
    static let review = """
        -- One review (or rerun) of a batch; the current one is the batch's word.
        CREATE TABLE reviews (
            run_id         bigint PRIMARY KEY REFERENCES runs,
            month          text NOT NULL,
            review_no      integer NOT NULL,
            bundle_id      bigint NOT NULL REFERENCES bundles,
            business_date  date NOT NULL,
            publicity_first date NOT NULL,
            publicity_last  date NOT NULL,
            is_current     boolean NOT NULL DEFAULT true,
            UNIQUE (month, review_no)
        );
        CREATE UNIQUE INDEX reviews_one_current_per_month ON reviews (month) WHERE is_current;

        CREATE TABLE decisions (
            run_id          bigint NOT NULL REFERENCES reviews,
            seq             integer NOT NULL,
            line            integer NOT NULL,
            request_id      text NOT NULL,
            revision        integer NOT NULL,
            order_no        text NOT NULL,
            enterprise_uscc text NOT NULL,
            enterprise_name text NOT NULL,
            enterprise_type text NOT NULL,
            city_code       text NOT NULL,
            shop_id         text NOT NULL,
            provider_name   text NOT NULL,
            voucher_year    integer NOT NULL,
            status          text NOT NULL CHECK (status IN ('accepted', 'needs_correction', 'rejected')),
            codes           text NOT NULL,
            invoice_total   bigint NOT NULL,
            contract_amount bigint NOT NULL,
            requested       bigint NOT NULL,
            entitlement     bigint NOT NULL CHECK (entitlement >= 0),
            payable         bigint NOT NULL CHECK (payable >= 0),
            remaining_after bigint NOT NULL,
            cut_by_balance  bigint NOT NULL,
            categories      text NOT NULL,
            drops_earlier_claims boolean NOT NULL,
            PRIMARY KEY (run_id, seq),
            UNIQUE (run_id, request_id),
            CHECK (status = 'accepted' OR (payable = 0 AND entitlement = 0)),
            CHECK (payable <= requested AND payable <= entitlement)
        );
        CREATE INDEX decisions_by_request ON decisions (request_id);

        CREATE TABLE findings (
            run_id     bigint NOT NULL REFERENCES reviews,
            request_id text NOT NULL,
            code       text NOT NULL,
            severity   text NOT NULL CHECK (severity IN ('reject', 'correct', 'warn')),
            detail     text NOT NULL,
            PRIMARY KEY (run_id, request_id, code)
        );

        CREATE TABLE quarantine (
            run_id     bigint NOT NULL REFERENCES reviews,
            line       integer NOT NULL,
            request_id text,
            reason     text NOT NULL CHECK (reason IN ('MALFORMED', 'WRONG_BATCH', 'DUPLICATE_LINE',
                                                        'REVISION_CONFLICT', 'SUPERSEDED')),
            detail     text NOT NULL,
            PRIMARY KEY (run_id, line)
        );

        -- The keys each non-rejected decision holds (history, for reruns).
        CREATE TABLE decision_claims (
            run_id     bigint NOT NULL REFERENCES reviews,
            request_id text NOT NULL,
            kind       text NOT NULL CHECK (kind IN ('order', 'contract', 'invoice')),
            key        text NOT NULL,
            PRIMARY KEY (run_id, kind, key)
        );

        -- The live claims: one holder per key, enforced by the primary key.
        CREATE TABLE claims (
            kind       text NOT NULL CHECK (kind IN ('order', 'contract', 'invoice')),
            key        text NOT NULL,
            request_id text NOT NULL,
            revision   integer NOT NULL,
            month      text NOT NULL,
            run_id     bigint NOT NULL REFERENCES reviews,
            PRIMARY KEY (kind, key)
        );
        CREATE INDEX claims_by_request ON claims (request_id);
        CREATE INDEX claims_by_month ON claims (month);
        """
}
