import Foundation
import SettlementCore
import SettlementJobs
import SettlementStore
import Testing

/// Crashes between the commit and the rename, and commands that share the embedded database,
/// played with the built binary as cron and an operator would run it.
@Suite("Recovery and the shared embedded database")
struct RecoveryTests {
    @Test("a review and a disbursement killed after COMMIT, before publishing, are published by the next cycle")
    func killedAfterCommit() throws {
        let inbox = try scratchDirectory()
        let out = try scratchDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: inbox)
            try? FileManager.default.removeItem(atPath: out)
        }
        try FileManager.default.copyItem(
            atPath: StageHarness.fixtures + "/conformance/inbox/2024-07", toPath: inbox + "/2024-07")
        try withTestDatabase { database in
            let common = ["--database", database.applicationURL, "--log-format", "json"]
            let killed = ["SETTLE_FAULT": "after-commit"]
            #expect(try SettleBinary.run(["ingest", inbox + "/2024-07"] + common).status == 0)
            let review = try SettleBinary.run(
                ["review", "--month", "2024-07", "--as-of", "2024-08-01", "--out", out] + common, environment: killed)
            #expect(review.status == 86, "\(review.output)")
            #expect(!FileManager.default.fileExists(atPath: out + "/2024-07/review-01"))

            let cycle = try SettleBinary.run(
                ["cycle", "--as-of", "2024-08-02", "--inbox", inbox, "--out", out] + common)
            #expect(cycle.status == 0, "\(cycle.output)")
            #expect(
                cycle.output.contains("recovery: published") && cycle.output.contains("review-01 (committed by review"))
            #expect(FileManager.default.fileExists(atPath: out + "/2024-07/review-01/publicity.csv"))

            let disburse = try SettleBinary.run(
                ["disburse", "--month", "2024-07", "--as-of", "2024-08-08", "--out", out] + common, environment: killed)
            #expect(disburse.status == 86, "\(disburse.output)")
            #expect(!FileManager.default.fileExists(atPath: out + "/2024-07/payment-01"))
            let next = try SettleBinary.run(
                ["cycle", "--as-of", "2024-08-09", "--inbox", inbox, "--out", out] + common)
            #expect(next.status == 0, "\(next.output)")
            #expect(FileManager.default.fileExists(atPath: out + "/2024-07/payment-01/pain001.xml"))
            #expect(!FileManager.default.fileExists(atPath: out + "/2024-07/payment-02"))
            let connection = try database.connect()
            #expect(try connection.query("SELECT count(*) FROM disbursements").first?.int(0) == 1)
            #expect(try PublicationStore(connection: connection).unpublished().isEmpty)
            let status = try SettleBinary.run(["status"] + common)
            #expect(!status.output.contains("UNPUBLISHED"), "\(status.output)")
        }
    }

    @Test("a staged directory whose outputs are lost is listed by status as unpublished")
    func lostOutputs() throws {
        try withHarness { harness in
            _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-07")
            let summary = try harness.review("2024-07")
            try harness.connection.execute("UPDATE runs SET published_at = NULL WHERE stage = 'review'")
            try FileManager.default.removeItem(atPath: summary.outputDirectory)
            let actions = try OutputRecovery.recoverAll(harness.connection, out: harness.out)
            #expect(actions.contains { $0.contains("are missing") })
            #expect(try StatusReport.load(harness.connection, month: nil).text.contains("UNPUBLISHED: review run"))
        }
    }

    @Test("commands share the embedded database: none stops it under another, concurrent starts wait")
    func sharedEmbeddedDatabase() throws {
        let root = "/tmp/settle-share-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        chmod(root, 0o755)
        let state = root + "/state"
        let cluster = EmbeddedCluster(stateDirectory: state)
        defer {
            _ = try? cluster.stop()
            try? FileManager.default.removeItem(atPath: root)
        }
        // Two commands started together on a stopped (not even created) cluster.
        let first = try SettleBinary.start(["status", "--state-dir", state])
        let second = try SettleBinary.start(["status", "--state-dir", state])
        let outcomes = [try first.wait(), try second.wait()]
        #expect(outcomes.map(\.status) == [0, 0], "\(outcomes.map(\.output))")
        #expect(cluster.state() == .stopped)

        // A command in progress (this test's lease and connection) outlives another command.
        let lease = try cluster.acquire()
        let connection = try Connection(url: cluster.url)
        #expect(try SettleBinary.run(["status", "--state-dir", state]).status == 0)
        #expect(cluster.state() == .running)
        #expect(try connection.query("SELECT 1").first?.int(0) == 1)
        #expect(try SettleBinary.run(["db", "stop", "--state-dir", state]).output.contains("in use"))
        #expect(try connection.query("SELECT 1").first?.int(0) == 1)
        lease.release()
        #expect(cluster.state() == .stopped)

        // The application role the embedded database gives cannot touch the counters.
        #expect(try SettleBinary.run(["db", "start", "--state-dir", state]).status == 0)
        let application = try Connection(url: cluster.url)
        let refused = #expect(throws: DatabaseError.self) {
            try application.execute("UPDATE voucher_accounts SET paid_fen = 0")
        }
        #expect(refused?.sqlState == "42501")
    }

    @Test("a state directory moved elsewhere starts there and is reached where it now is")
    func movedStateDirectory() throws {
        let root = "/tmp/settle-moved-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        chmod(root, 0o755)
        let before = root + "/before", after = root + "/after, it's here"
        defer {
            _ = try? EmbeddedCluster(stateDirectory: after).stop()
            _ = try? EmbeddedCluster(stateDirectory: before).stop()
            try? FileManager.default.removeItem(atPath: root)
        }
        #expect(try SettleBinary.run(["db", "start", "--state-dir", before]).status == 0)
        #expect(try SettleBinary.run(["db", "stop", "--state-dir", before]).status == 0)
        try FileManager.default.moveItem(atPath: before, toPath: after)

        let moved = EmbeddedCluster(stateDirectory: after)
        #expect(moved.socketDirectory.hasPrefix("/tmp/settle-"), "a comma and a quote are not put in the command")
        let started = try SettleBinary.run(["db", "start", "--state-dir", after])
        #expect(started.status == 0, "\(started.output)")
        #expect(try Connection(url: moved.url).query("SELECT 1").first?.int(0) == 1)
        #expect(!FileManager.default.fileExists(atPath: before + "/run/.s.PGSQL.5432"))
        #expect(try SettleBinary.run(["status", "--state-dir", after]).status == 0)
    }
}

/// Locks and dry runs that outlive the process that made them.
@Suite("Leftovers of killed processes")
struct LeftoverTests {
    @Test("a batch lock held by a settle process that no longer exists is taken over at once")
    func deadLockHolder() throws {
        try withHarness { harness in
            _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-07")
            // A session that says it belongs to a settle process of this host that has died.
            let ghost = try harness.database.connect()
            let host = Connection.applicationName.split(separator: ":")[1]
            var dead: Int32 = 999_999
            while kill(dead, 0) == 0 || errno != ESRCH { dead -= 1 }
            try ghost.query("SELECT set_config('application_name', $1, false)", ["settle:\(host):\(dead)"])
            #expect(try ghost.tryAdvisoryLock(7_300_000_000 + 202_407))
            let review = try harness.review("2024-07")
            #expect(review.decisions > 0)
            // A live holder is respected (exit 4).
            _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-08")
            let live = try harness.database.connect()
            #expect(try live.tryAdvisoryLock(7_300_000_000 + 202_408))
            let held = #expect(throws: SettleError.self) { try harness.review("2024-08") }
            #expect(held?.exitCode == 4)
        }
    }

    @Test("a dry run removes this user's dry runs older than a day, and leaves nothing in the database")
    func staleDryRuns() throws {
        let stale = NSTemporaryDirectory() + "settle-dry-run-stale-" + UUID().uuidString.prefix(6)
        try FileManager.default.createDirectory(atPath: stale + "/review-01", withIntermediateDirectories: true)
        let old = Date(timeIntervalSinceNow: -2 * 24 * 3_600)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: stale)
        defer { try? FileManager.default.removeItem(atPath: stale) }
        try withHarness { harness in
            _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-07")
            let dry = try harness.review("2024-07", dryRun: true)
            #expect(!FileManager.default.fileExists(atPath: stale))
            #expect(FileManager.default.fileExists(atPath: dry.outputDirectory + "/decisions.csv"))
            #expect(try harness.connection.query("SELECT count(*) FROM reviews").first?.int(0) == 0)
            try? FileManager.default.removeItem(atPath: (dry.outputDirectory as NSString).deletingLastPathComponent)
        }
    }
}
