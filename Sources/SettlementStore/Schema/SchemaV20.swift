/// A request line's claim keys without a query per line. `request_line_claim_keys` (SchemaV10)
/// joined each line to a union: the keys ingest read, and — for lines ingested before it read them —
/// the keys found in the JSON, made distinct. The planner built that union's hash table for every
/// line, whether it had keys or not: ~0.6 s of the 1.1 s it took the review of 200,000 requests to
/// list its batch's keys. The view now unnests one array per line: the keys ingest read or, only
/// when it read none, the same keys taken from the JSON by `legacy_claim_keys` (distinct, as
/// `kind:key`, the form ingest stores). The rows are the same for every well-formed line, which
/// always has an `order_no` and numbered contracts and invoices (ingest checks them);
/// `ClaimKeysTests` reviews the same months with and without the keys ingest read.
enum SchemaV20 {
    static let claimKeysUnnested = """
        CREATE FUNCTION legacy_claim_keys(body text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT AS $$
            SELECT array_agg(DISTINCT k.key) FROM (
                   SELECT 'order:' || (j.body ->> 'order_no') AS key FROM (SELECT body::jsonb) j(body)
                   UNION ALL
                   SELECT 'contract:' || (j.body ->> 'shop_id') || E'\\x1f' || (c ->> 'contract_no')
                     FROM (SELECT body::jsonb) j(body), jsonb_array_elements(j.body -> 'contracts') c
                   UNION ALL
                   SELECT 'invoice:' || coalesce(i ->> 'code', '') || E'\\x1f' || (i ->> 'number')
                     FROM (SELECT body::jsonb) j(body), jsonb_array_elements(j.body -> 'invoices') i) k
        $$;

        CREATE OR REPLACE VIEW request_line_claim_keys AS
        SELECT l.bundle_id, l.line, split_part(e, ':', 1) AS kind, substr(e, strpos(e, ':') + 1) AS key
          FROM request_lines l
         CROSS JOIN LATERAL unnest(coalesce(l.claim_keys, legacy_claim_keys(l.body))) e
         WHERE l.outcome = 'well_formed';
        """
}
