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
