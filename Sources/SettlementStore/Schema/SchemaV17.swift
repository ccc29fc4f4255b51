/// The live claims lose their search by request. A resubmission drops the claims its request's
/// earlier revisions hold; they were found through a hash index on `claims.request_id`, filled
/// with an entry for every claim a review takes (~525,000 at 200,000 requests, ~1 s of the
/// review's database time) and read only for the few requests resubmitted. The claims a request
/// holds are all keys one of its own lines claimed — a claim is only ever taken from a request's
/// line (`ClaimStore.take`, and `releaseForRerun` from the decisions' lines), and lines are never
/// changed or deleted (SchemaV12) — so they are found from those lines instead: the request's
/// lines by `request_lines_by_request`, their keys (`request_line_claim_keys`, which now carries
/// the line's request), and each key through the primary key. Nothing about which claims exist
/// or who may hold them changes; the primary key (kind, key) still refuses a second holder.
enum SchemaV17 {
    static let claimsByLine = """
        DROP INDEX claims_by_request;

        CREATE OR REPLACE VIEW request_line_claim_keys AS
        SELECT l.bundle_id, l.line, x.kind, x.key, l.request_id
          FROM request_lines l
         CROSS JOIN LATERAL (
               SELECT split_part(e, ':', 1) AS kind, substr(e, strpos(e, ':') + 1) AS key
                 FROM unnest(l.claim_keys) e
               UNION ALL
               SELECT DISTINCT j.kind, j.key FROM (
                     SELECT 'order' AS kind, (l.body::jsonb) ->> 'order_no' AS key
                     UNION ALL
                     SELECT 'contract', ((l.body::jsonb) ->> 'shop_id') || E'\\x1f' || (c ->> 'contract_no')
                       FROM jsonb_array_elements((l.body::jsonb) -> 'contracts') c
                     UNION ALL
                     SELECT 'invoice', coalesce(i ->> 'code', '') || E'\\x1f' || (i ->> 'number')
                       FROM jsonb_array_elements((l.body::jsonb) -> 'invoices') i) j
                WHERE l.claim_keys IS NULL
         ) x
         WHERE l.outcome = 'well_formed';
        """
}
