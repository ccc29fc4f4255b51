import Foundation
import SettlementCore
import SettlementJobs
import SettlementStore
import Testing

/// A key has one holder, whichever path writes it: the database refuses a second one even when
/// the code that writes the claims believed the key was free.
@Suite("Claims refused by the database")
struct ClaimStoreTests {
    let july = StageHarness.fixtures + "/conformance/inbox/2024-07"

    @Test("a resubmission drops the claims its earlier revisions hold, and no other request's")
    func resubmissionDropsEarlierClaims() throws {
        // DF2024070076 comes back in August corrected, with another invoice: July's invoice is no
        // longer its claim and must be free again.
        let august = try BundleBuilder.fromConformance(month: "2024-08", source: "2024-08")
        defer { august.remove() }
        var lines = try august.requestLines()
        let index = try #require(lines.firstIndex { $0.contains("\"DF2024070076\"") })
        lines[index] = lines[index].replacingOccurrences(
            of: "\"number\":\"24322600000000001259\"", with: "\"number\":\"24322600000000009259\"")
        try august.write("redemptions.jsonl", lines.joined(separator: "\n"))
        try withHarness { harness in
            _ = try harness.ingest(july)
            _ = try harness.review("2024-07")
            _ = try harness.ingest(august.directory)
            _ = try harness.review("2024-08")
            let augustRun = try harness.connection.queryRow(
                "SELECT max(run_id) AS run FROM decisions"
            ).int64("run")
            let claims = try harness.connection.query(
                "SELECT request_id, run_id, kind || ':' || key AS claim FROM claims")
            var held: [String: Set<String>] = [:]
            var heldFromEarlier: Set<String> = []
            for row in claims.rows {
                held[try row.text("request_id"), default: []].insert(try row.text("claim"))
                if try row.int64("run_id") != augustRun { heldFromEarlier.insert(try row.text("request_id")) }
            }
            let resubmitted = try harness.connection.query(
                """
                SELECT d.request_id, d.status, coalesce(array_to_string(l.claim_keys, E'\\n'), '') AS keys
                  FROM decisions d
                  JOIN reviews r ON r.run_id = d.run_id
                  JOIN request_lines l ON l.bundle_id = r.bundle_id AND l.line = d.line
                 WHERE d.run_id = $1 AND d.drops_earlier_claims
                """, [String(augustRun)])
            #expect(resubmitted.rows.count >= 5, "the conformance months have resubmissions")
            for row in resubmitted.rows {
                let request = try row.text("request_id")
                // Nothing of an earlier revision is still held; what it holds now is its
                // August line's keys (none when rejected).
                #expect(!heldFromEarlier.contains(request), "\(request)")
                let keys = Set(try row.text("keys").split(separator: "\n").map(String.init))
                let expected = try row.text("status") == "rejected" ? [] : keys
                #expect((held[request] ?? []) == expected, "\(request)")
            }
            #expect(held["DF2024070076"]?.contains("invoice:\u{1F}24322600000000009259") == true)
            #expect(!claims.rows.contains { (try? $0.text("claim")) == "invoice:\u{1F}24322600000000001259" })
            // Every other request of July keeps what it held.
            let july = try harness.connection.queryRow(
                "SELECT count(*) AS n FROM claims WHERE run_id <> $1", [String(augustRun)]
            ).int("n")
            #expect(july > 0)
        }
    }

    @Test("a key held by another request is refused, as a free key (COPY) and as a contested one (upsert)")
    func secondHolderRefused() throws {
        try withHarness { harness in
            _ = try harness.ingest(july)
            _ = try harness.review("2024-07")
            let held = try harness.connection.queryRow(
                "SELECT kind, key, run_id FROM claims ORDER BY kind, key COLLATE \"C\" LIMIT 1")
            guard let kind = ClaimKey.Kind(rawValue: try held.text("kind")) else {
                Issue.record("no claim was taken")
                return
            }
            let key = ClaimKey(kind: kind, value: try held.text("key"))
            let intruder = ClaimStore.Claim(requestID: "INTRUDER", revision: 1, keys: [key], dropsEarlier: false)
            let store = ClaimStore(connection: harness.connection)
            for contested in [Set<ClaimKey>(), [key]] {
                let error = #expect(throws: DatabaseError.self) {
                    try harness.connection.transaction {
                        try store.take(
                            [intruder], contested: contested, month: BatchMonth("2024-07")!,
                            runID: try held.int64("run_id"))
                    }
                }
                #expect(error?.isUniqueViolation == true, "\(String(describing: error))")
            }
            let holders = try harness.connection.queryRow(
                "SELECT count(*) AS intruders FROM claims WHERE request_id = 'INTRUDER'"
            ).int("intruders")
            #expect(holders == 0)
        }
    }

    @Test("keys with quotes, backslashes, commas, braces and separators are stored as sent, free or contested")
    func hostileKeyBytes() throws {
        try withHarness { harness in
            _ = try harness.ingest(july)
            _ = try harness.review("2024-07")
            let runID = try harness.connection.queryRow("SELECT max(run_id) AS run FROM claims").int64("run")
            let values = [
                #"INV"1"#, #"INV\2"#, "INV,3", "{INV4}", "S1\u{1F}HT-5", " INV6 ", "NULL", "发票７", "caf\u{E9}",
                "cafe\u{301}",
            ]
            let keys = values.map { ClaimKey(kind: .invoice, value: $0) }
            let store = ClaimStore(connection: harness.connection)
            // Half through the COPY of free keys, half through the upsert of contested ones.
            let contested = Set(keys.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
            try harness.connection.transaction {
                try store.take(
                    [ClaimStore.Claim(requestID: "HOSTILE", revision: 1, keys: keys, dropsEarlier: false)],
                    contested: contested, month: BatchMonth("2024-07")!, runID: runID)
            }
            let stored = try harness.connection.query(
                "SELECT key FROM claims WHERE request_id = 'HOSTILE' AND kind = 'invoice' ORDER BY key COLLATE \"C\""
            ).rows.map { try $0.text("key") }
            #expect(
                stored.map { Array($0.utf8) }
                    == values.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
        }
    }
}
