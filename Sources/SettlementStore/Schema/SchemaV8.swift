/// The SMS notice outbox: the contact mobile of the roster, and every notice produced, once per
/// event (its id is derived from the request, revision and event).
enum SchemaV8 {
    static let notices = """
        ALTER TABLE roster_rows ADD COLUMN contact_mobile text;

        CREATE TABLE notices (
            notice_id       text PRIMARY KEY,
            run_id          bigint NOT NULL REFERENCES runs,
            month           text NOT NULL,
            request_id      text NOT NULL,
            revision        bigint NOT NULL,
            kind            text NOT NULL CHECK (kind IN ('needs_correction', 'accepted', 'rejected', 'paid',
                                                          'returned', 'repaid', 'withdrawn')),
            enterprise_uscc text NOT NULL,
            enterprise_name text NOT NULL,
            contact_mobile  text NOT NULL,
            mobile_problem  text,
            order_no        text NOT NULL,
            text            text NOT NULL CHECK (char_length(text) <= 201)
        );
        CREATE INDEX notices_by_run ON notices (run_id);
        CREATE TRIGGER notices_append_only BEFORE UPDATE OR DELETE ON notices
            FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
        """
}
