/// The live claims lose their search by request. A resubmission drops the claims its request's
/// earlier revisions hold; they were found through a hash index on `claims.request_id`, filled
/// with an entry for every claim a review takes (~525,000 at 200,000 requests, 0.7–2 s of the
/// review's database time) and read only for the few requests resubmitted. The claims a request
/// holds are all keys one of its own lines claimed — a claim is only ever taken from a request's
/// line (`ClaimStore.take`, and `releaseForRerun` from the decisions' lines), and lines are never
/// changed or deleted (SchemaV12) — so `ClaimStore.take` finds them from those lines instead: the
/// request's lines by `request_lines_by_request`, their keys (`request_line_claim_keys`) and each
/// key through the primary key. Nothing about which claims exist or who may hold them changes;
/// the primary key (kind, key) still refuses a second holder.
enum SchemaV17 {
    static let claimsByLine = """
        DROP INDEX claims_by_request;
        """
}
