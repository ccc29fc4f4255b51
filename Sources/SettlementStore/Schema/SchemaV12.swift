/// A request line is kept as ingest wrote it. The review trusts what ingest read from a line once
/// — its claim keys, allocation fields, enterprise and provider — instead of parsing the JSON
/// again, so these columns must not drift from the line as sent: no role, the schema's owner
/// included, may update a stored line (a correction is a new bundle).
enum SchemaV12 {
    static let linesKept = """
        CREATE FUNCTION keep_request_line() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        BEGIN
            RAISE EXCEPTION 'request_lines rows are kept as ingest wrote them'
                USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE TRIGGER request_lines_kept BEFORE UPDATE ON request_lines
            FOR EACH ROW EXECUTE FUNCTION keep_request_line();
        """
}
