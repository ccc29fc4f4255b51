import Foundation
import SettlementCore
import SettlementStore
import Testing

/// Triage reads its next page on a thread of its own while the current one is triaged
/// (`BundleStore.forEachTriagePage`): every line arrives once, in request order by bytes, and a
/// handler that fails is never left with a read still using the connection.
@Suite("Triage pages read ahead")
struct TriageReadAheadTests {
    @Test("every well-formed line once, in order, over several pages; a failing handler leaves the connection usable")
    func pagesReadAhead() throws {
        let month = try #require(BatchMonth("2024-08"))
        // More lines than two pages of 5,000.
        let inbox = try augustSampleInbox(requests: 11_000, seed: 5)
        try withHarness { harness in
            _ = try harness.ingest(inbox)
            let connection = harness.connection
            let bundle = try connection.queryRow(
                "SELECT id FROM bundles WHERE is_current AND month = '2024-08'"
            ).int64("id")
            let wellFormed = try connection.queryRow(
                "SELECT count(*) AS n FROM request_lines WHERE bundle_id = $1::bigint AND outcome = 'well_formed'",
                [String(bundle)]
            ).int("n")
            let store = BundleStore(connection: connection)

            try connection.begin()
            var pages = 0
            var seen: [(id: String, line: Int)] = []
            try store.forEachTriagePage(bundleID: bundle, month: month) { rows in
                pages += 1
                seen += rows.map { ($0.requestID, $0.line) }
            }
            #expect(pages >= 3 && seen.count == wellFormed)
            #expect(Set(seen.map(\.line)).count == wellFormed)
            let ordered = zip(seen, seen.dropFirst()).allSatisfy { a, b in
                a.id.bytesPrecede(b.id) || (a.id.sameBytes(as: b.id) && a.line < b.line)
            }
            #expect(ordered)

            struct Stop: Error {}
            var handled = 0
            #expect(throws: Stop.self) {
                try store.forEachTriagePage(bundleID: bundle, month: month) { _ in
                    handled += 1
                    if handled == 2 { throw Stop() }
                }
            }
            // The read of the page after the failing one was waited for: the connection is free.
            #expect(handled == 2)
            #expect(try connection.queryRow("SELECT 1 AS one").int("one") == 1)
            connection.rollback()
        }
    }
}
