/// The planner's statistics leave out the columns no statement filters or sorts on. Ingest
/// analyzes the lines it wrote (`analyze_bundle_rows`, SchemaV16); ANALYZE read back and measured
/// every column of its sample of 30,000 lines, the request bodies among them — each decompressed
/// from its TOAST table — for figures nothing uses: `body`, `review_record` and
/// `attachment_problems` are fetched, and `claim_keys` unnested, for lines found by their key.
/// Their statistics target is 0, so ANALYZE skips them (the planner then assumes its default
/// width for them): 0.54 s → 0.43 s at 200,000 lines. Which rows any statement returns does not
/// change; only ANALYZE's cost does.
enum SchemaV19 {
    static let narrowStatistics = """
        ALTER TABLE request_lines
            ALTER COLUMN body SET STATISTICS 0,
            ALTER COLUMN review_record SET STATISTICS 0,
            ALTER COLUMN claim_keys SET STATISTICS 0,
            ALTER COLUMN attachment_problems SET STATISTICS 0;
        """
}
