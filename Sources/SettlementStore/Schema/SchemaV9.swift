/// The claim keys of each well-formed request line, taken when the line is read at ingest, so that
/// a review finds the keys that can conflict without parsing the stored JSON again. Each element is
/// `<kind>:<key>` (kind `order`, `contract` or `invoice`; the key as `ClaimKey` builds it). Lines
/// ingested before this column existed keep NULL, and the review reads their keys from the JSON.
enum SchemaV9 {
    static let claimKeys = """
        ALTER TABLE request_lines ADD COLUMN claim_keys text[];
        """
}
