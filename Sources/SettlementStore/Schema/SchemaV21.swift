/// A request line's short columns are never offered to the compressor. PostgreSQL compresses a
/// row's EXTENDED columns, largest first, for as long as the row is over its TOAST target (~2 kB),
/// and only then moves one out of line. A line's body (~2.3 kB) and review record (~0.7 kB) are
/// compressed first (lz4) and the row is still over; the toaster then tried pglz on each short
/// column in turn — claim keys, SHA-256, detail, the USCC — which either fails or saves a few
/// bytes, before moving the body out of line anyway. Profiled at 1,000,000 lines, those attempts
/// were ~1.5 s of ingest's database process (pglz and the hash table it clears per attempt).
/// MAIN lets a column be compressed (or moved out of line) only once nothing else is left to move
/// out of line: for a line of ordinary size the body goes out of line and the row fits; a very long
/// detail or list of keys is still compressed, or moved out, as a last resort. Every value read is
/// the same; the short columns of ordinary lines stay uncompressed (`RequestLineStorageTests`).
enum SchemaV21 {
    static let shortColumnsUncompressed = """
        ALTER TABLE request_lines
            ALTER COLUMN sha256 SET STORAGE MAIN,
            ALTER COLUMN outcome SET STORAGE MAIN,
            ALTER COLUMN request_id SET STORAGE MAIN,
            ALTER COLUMN detail SET STORAGE MAIN,
            ALTER COLUMN enterprise_uscc SET STORAGE MAIN,
            ALTER COLUMN shop_id SET STORAGE MAIN,
            ALTER COLUMN attachment_problems SET STORAGE MAIN,
            ALTER COLUMN claim_keys SET STORAGE MAIN;
        """
}
