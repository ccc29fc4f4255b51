import Foundation
import SettlementCore
import Testing

@testable import SettlementJobs
@testable import SettlementStore

/// Triage reads and decides the lines on a session of its own while the review's session and its
/// reader copy every well-formed line; the lines it sets aside are quarantined on the review's
/// session as they come and dropped from both sessions' tables at the end
/// (`ReviewPreparation.triage`). What must hold however the work interleaves.
@Suite("Triage beside the sessions' copies")
struct TriageOverlapTests {
    /// A sample month whose every line is sent twice: each request's second line is a
    /// `DUPLICATE_LINE`, so triage sets aside as many lines as it keeps.
    func doubledInbox(requests: Int, seed: UInt64) throws -> String {
        let inbox = try augustSampleInbox(requests: requests, seed: seed)
        let path = inbox + "/redemptions.jsonl"
        let lines = try Data(contentsOf: URL(fileURLWithPath: path))
        try (lines + lines).write(to: URL(fileURLWithPath: path))
        return inbox
    }

    /// Triages the August bundle in a transaction rolled back at the end, with `batch` lines to a
    /// batch of set-aside lines and `waiting` batches waiting at most; checks what both sessions
    /// hold against the quarantine, and returns the counts and the quarantine (line, reason).
    func triage(_ harness: StageHarness, batch: Int, waiting: Int) throws -> (
        kept: Int, quarantined: Int, quarantine: [String]
    ) {
        let month = try #require(BatchMonth("2024-08"))
        let connection = harness.connection
        let bundle = try connection.queryRow("SELECT id FROM bundles WHERE is_current AND month = '2024-08'")
            .int64("id")
        try connection.begin()
        defer { connection.rollback() }
        let businessDate = month.next.firstDay
        let run = try RunStore(connection: connection).insert(
            .review, month: month, businessDate: businessDate, policyHash: nil, inputsJSON: "{}",
            operatorName: "test", reason: nil, outputDirectory: nil)
        let window = try harness.policies.calendar.publicityWindow(
            opening: businessDate, workingDays: harness.policies.policy(for: month.year).publicityWorkingDays)
        try DecisionStore(connection: connection).recordReview(
            runID: run.id, month: month, reviewNumber: run.number, bundleID: bundle, businessDate: businessDate,
            window: window)
        let reader = try SnapshotReader(sharing: connection)
        defer { reader.close() }
        let preparation = ReviewPreparation(
            connection: connection, reader: reader.connection, bundleID: bundle, month: month, runID: run.id,
            policies: harness.policies)
        let triaged = try preparation.triage(setAsideBatch: batch, setAsideWaiting: waiting)

        let linesRead = try connection.queryRow(
            "SELECT count(*) AS n FROM request_lines WHERE bundle_id = $1::bigint", [String(bundle)]
        ).int("n")
        #expect(triaged.kept + triaged.quarantined == linesRead)
        let quarantine = try connection.query(
            "SELECT line || ' ' || reason AS entry FROM quarantine WHERE run_id = $1::bigint ORDER BY line",
            [String(run.id)]
        ).rows.map { try $0.text("entry") }
        #expect(quarantine.count == triaged.quarantined)
        // Neither session holds a quarantined line; each holds every kept line once, one per
        // request; the reader's order holds the same lines.
        let quarantinedLines = PostgresArray.text(quarantine.map { String($0.prefix { $0 != " " }) })
        for session in [connection, reader.connection] {
            let held = try session.queryRow(
                """
                SELECT count(*) AS n, count(DISTINCT line) AS lines, count(DISTINCT request_id) AS requests,
                       count(*) FILTER (WHERE line = ANY($1::integer[])) AS quarantined
                  FROM review_lines
                """, [quarantinedLines])
            #expect(try held.int("n") == triaged.kept && held.int("lines") == triaged.kept)
            #expect(try held.int("requests") == triaged.kept && held.int("quarantined") == 0)
        }
        let order = try reader.connection.queryRow(
            """
            SELECT count(*) AS n, count(*) FILTER (WHERE line NOT IN (SELECT line FROM review_lines)) AS strays
              FROM review_order
            """)
        #expect(try order.int("n") == triaged.kept && order.int("strays") == 0)
        return (triaged.kept, triaged.quarantined, quarantine)
    }

    @Test("set-aside lines waiting on the review's session one batch at a time: the same lines kept and quarantined")
    func backPressure() throws {
        let inbox = try doubledInbox(requests: 600, seed: 23)
        try withHarness { harness in
            _ = try harness.ingest(inbox)
            let usual = try triage(harness, batch: 1_000, waiting: 16)
            // Every request's second line is a duplicate: at least as many lines set aside as kept.
            #expect(usual.kept >= 500)
            #expect(usual.quarantine.filter { $0.hasSuffix(" DUPLICATE_LINE") }.count >= usual.kept)
            // Batches of 7 lines, one waiting: triage waits for the review's session again and again.
            let pressed = try triage(harness, batch: 7, waiting: 1)
            #expect(pressed.kept == usual.kept && pressed.quarantined == usual.quarantined)
            #expect(pressed.quarantine == usual.quarantine)
        }
    }

    @Test("the quarantine refused while triage runs: the review fails with the server's error; the next one completes")
    func refusedWhileTriaging() throws {
        let inbox = try doubledInbox(requests: 600, seed: 29)
        try withHarness { harness in
            _ = try harness.ingest(inbox)
            let allowQuarantine = try harness.refuseInserts(into: "quarantine")
            let error = #expect(throws: (any Error).self) { try harness.review("2024-08") }
            #expect("\(String(describing: error))".contains("quarantine refused by the test"))
            #expect(try harness.connection.queryRow("SELECT count(*) AS n FROM quarantine").int("n") == 0)

            try allowQuarantine()
            let review = try harness.review("2024-08")
            #expect(review.decisions + review.quarantined == review.linesRead)
            #expect(review.decisions * 2 <= review.linesRead)
        }
    }
}
