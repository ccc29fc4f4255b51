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
}
