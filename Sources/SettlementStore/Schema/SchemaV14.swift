/// A well-formed line keeps, beside its JSON, the request as the review reads it
/// (`ReviewRecord`: every property but the attachments' SHA-256 and path, which ingest checks).
/// The review then reads the record in allocation order instead of the body: no JSON parsed
/// again, and the allocation order's sort carries ~0.5 kB a line instead of the line. The JSON
/// stays the source of truth; a line without a record (ingested before, or with a text a
/// database text cannot hold) is read from its JSON. Like every column of a stored line, the
/// record cannot be updated (SchemaV12).
enum SchemaV14 {
    static let reviewRecord = """
        ALTER TABLE request_lines ADD COLUMN review_record text;
        DO $$
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
                ALTER TABLE request_lines ALTER COLUMN review_record SET COMPRESSION lz4;
            END IF;
        END $$;
        """
}
