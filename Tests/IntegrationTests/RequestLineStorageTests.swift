import Foundation
import SettlementCore
import SettlementStore
import Testing

/// A request line's short columns are never offered to the compressor (SchemaV21): the toaster
/// compresses the body and the review record and moves the body out of line, and leaves the claim
/// keys, hashes and identifiers as they are. With the default storage, about one line in a hundred
/// of a sample had its claim keys compressed with pglz (each line paid for the attempts).
@Suite("Request line storage")
struct RequestLineStorageTests {
    @Test("only the body and the review record are compressed; the short columns read back as written")
    func shortColumnsUncompressed() throws {
        let inbox = try augustSampleInbox(requests: 3_000, seed: 11)
        try withHarness { harness in
            _ = try harness.ingest(inbox)
            let row = try harness.connection.queryRow(
                """
                SELECT count(*) FILTER (WHERE outcome = 'well_formed') AS lines,
                       count(*) FILTER (WHERE pg_column_compression(body) IS NOT NULL) AS bodies,
                       count(*) FILTER (WHERE pg_column_compression(claim_keys) IS NOT NULL
                                           OR pg_column_compression(sha256) IS NOT NULL
                                           OR pg_column_compression(request_id) IS NOT NULL
                                           OR pg_column_compression(detail) IS NOT NULL
                                           OR pg_column_compression(enterprise_uscc) IS NOT NULL
                                           OR pg_column_compression(shop_id) IS NOT NULL
                                           OR pg_column_compression(attachment_problems) IS NOT NULL
                                           OR pg_column_compression(outcome) IS NOT NULL) AS short_compressed,
                       count(*) FILTER (WHERE claim_keys IS NOT NULL AND cardinality(claim_keys) > 0) AS with_keys
                  FROM request_lines
                """)
            let lines = try row.int("lines")
            #expect(lines > 2_900)
            // The bodies are still compressed (the sample's are ~2.3 kB each) …
            #expect(try row.int("bodies") > lines / 2)
            // … the short columns never, and the claim keys are still there to read.
            #expect(try row.int("short_compressed") == 0)
            #expect(try row.int("with_keys") == lines)
        }
    }

    /// SchemaV23: ingest's rows are never updated, so a vacuum started for their inserts alone
    /// would only compete with the review that follows ingest. The other triggers stay: a vacuum
    /// for dead rows and the one against transaction-ID wraparound.
    @Test("the bundle's tables and their TOAST tables are not vacuumed for inserts alone")
    func noVacuumForInserts() throws {
        try withHarness { harness in
            let rows = try harness.connection.query(
                """
                SELECT t.relname, coalesce(array_to_string(t.reloptions, ','), '') AS options,
                       coalesce(array_to_string(x.reloptions, ','), '') AS toast_options
                  FROM pg_class t JOIN pg_class x ON x.oid = t.reltoastrelid
                 WHERE t.relname IN ('request_lines', 'roster_rows', 'provider_rows') AND t.relnamespace = 'public'::regnamespace
                 ORDER BY t.relname
                """
            ).rows
            #expect(try rows.map { try $0.text("relname") } == ["provider_rows", "request_lines", "roster_rows"])
            for row in rows {
                for options in [try row.text("options"), try row.text("toast_options")] {
                    let settings = options.split(separator: ",").map(String.init)
                    #expect(settings.contains("autovacuum_vacuum_insert_threshold=-1"), "\(settings)")
                    #expect(!settings.contains { $0.hasPrefix("autovacuum_enabled") }, "\(settings)")
                    #expect(!settings.contains { $0.hasPrefix("autovacuum_vacuum_threshold") }, "\(settings)")
                }
            }
        }
    }
}
