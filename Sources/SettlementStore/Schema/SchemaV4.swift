/// Payment files and bank results.
enum SchemaV4 {
    static let payments = """
        -- One disbursement of a batch: the payment files written and their control totals.
        CREATE TABLE disbursements (
            run_id        bigint PRIMARY KEY REFERENCES runs,
            month         text NOT NULL,
            payment_no    integer NOT NULL,
            msg_id        text NOT NULL UNIQUE CHECK (length(msg_id) <= 35),
            business_date date NOT NULL,
            payment_count integer NOT NULL,
            payment_total bigint NOT NULL,
            objections_sha256 text,
            UNIQUE (month, payment_no)
        );

        -- Every payment line written to a file, with what it paid.
        CREATE TABLE payment_lines (
            run_id        bigint NOT NULL REFERENCES disbursements,
            end_to_end_id text NOT NULL UNIQUE CHECK (length(end_to_end_id) <= 35),
            ledger_entry  bigint NOT NULL UNIQUE REFERENCES ledger_entries,
            file_no       integer NOT NULL,
            seq           integer NOT NULL,
            request_id    text NOT NULL,
            enterprise_name text NOT NULL,
            account_name  text NOT NULL,
            account_number text NOT NULL,
            bank_code     text NOT NULL,
            bank_name     text NOT NULL,
            amount        bigint NOT NULL CHECK (amount > 0),
            PRIMARY KEY (run_id, file_no, seq)
        );

        -- Items of a disbursement that were not paid, and why (withdrawn, held, not payable).
        CREATE TABLE disbursement_exclusions (
            run_id     bigint NOT NULL REFERENCES disbursements,
            request_id text NOT NULL,
            outcome    text NOT NULL CHECK (outcome IN ('withdrawn', 'held', 'blocked', 'zero')),
            code       text,
            detail     text NOT NULL,
            PRIMARY KEY (run_id, request_id)
        );

        -- Bank results applied by reconcile.
        CREATE TABLE bank_results (
            run_id        bigint NOT NULL REFERENCES runs,
            end_to_end_id text NOT NULL REFERENCES payment_lines (end_to_end_id),
            status        text NOT NULL CHECK (status IN ('paid', 'returned')),
            detail        text,
            file_sha256   text NOT NULL,
            PRIMARY KEY (end_to_end_id, run_id)
        );
        """
}
