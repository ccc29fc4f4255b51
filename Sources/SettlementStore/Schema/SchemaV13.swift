/// A decision is unique per run and request; its lookups are by request (a request's history, a
/// rerun's dropped claims) or by run and request. One index, `(request_id, run_id)`, now serves
/// all three, where two were kept before (`UNIQUE (run_id, request_id)` and an index on
/// `request_id`): a review writes each decision into one index fewer.
enum SchemaV13 {
    static let decisionIndex = """
        ALTER TABLE decisions ADD CONSTRAINT decisions_request_run UNIQUE (request_id, run_id);
        ALTER TABLE decisions DROP CONSTRAINT decisions_run_id_request_id_key;
        DROP INDEX decisions_by_request;
        """
}
