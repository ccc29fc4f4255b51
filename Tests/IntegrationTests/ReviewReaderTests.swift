import Foundation
import SettlementCore
import Testing

@testable import SettlementJobs
@testable import SettlementStore

/// The review reads on a second session (`SnapshotReader`) while its own stores, hands pages
/// between threads (`PageChannel`), and writes its sorted lists from the reader's copy of what it
/// stored (`ReviewLists`): what each of these must never do.
@Suite("The review's reader, its pages and its lists")
struct ReviewReaderTests {
    @Test(
        "a snapshot reader sees what was committed when it opened: not the owner's uncommitted rows, not later commits")
    func snapshotVisibility() throws {
        try withTestDatabase { database in
            let setup = try database.connectAsOwner()
            try setup.execute("CREATE TABLE probe (n int); GRANT SELECT, INSERT ON probe TO settle_app")
            try setup.execute("INSERT INTO probe VALUES (1)")
            let owner = try database.connect()
            try owner.begin()
            try owner.execute("INSERT INTO probe VALUES (2)")
            let reader = try SnapshotReader(sharing: owner)
            try setup.execute("INSERT INTO probe VALUES (3)")
            func values(_ connection: Connection) throws -> [Int] {
                try connection.query("SELECT n FROM probe ORDER BY n").rows.map { try $0.int("n") }
            }
            #expect(try values(reader.connection) == [1])
            #expect(try values(owner) == [1, 2, 3])
            // Its own working tables are allowed, and go with its transaction.
            try reader.connection.execute("CREATE TEMP TABLE scratch (n int) ON COMMIT DROP")
            reader.close()
            #expect(!reader.connection.inTransaction)
            #expect(throws: DatabaseError.self) { try reader.connection.query("SELECT n FROM scratch") }
            owner.rollback()
            #expect(try values(setup) == [1, 3])
        }
    }

    @Test("a reader cannot be opened on a connection without a transaction")
    func readerNeedsTransaction() throws {
        try withTestDatabase { database in
            let owner = try database.connect()
            #expect(throws: DatabaseError.self) { _ = try SnapshotReader(sharing: owner) }
        }
    }

    @Test("pages arrive in order, the sender waits once `capacity` are waiting, a failure follows the pages sent")
    func channelOrderAndBound() throws {
        let channel = PageChannel<Int>(capacity: 2)
        channel.send(1)
        channel.send(2)
        let sent = DispatchSemaphore(value: 0)
        let third = Thread {
            channel.send(3)
            sent.signal()
        }
        third.start()
        #expect(sent.wait(timeout: .now() + .milliseconds(200)) == .timedOut)
        #expect(try channel.receive() == 1)
        #expect(sent.wait(timeout: .now() + .seconds(10)) == .success)
        struct Broken: Error {}
        channel.fail(Broken())
        #expect(try channel.receive() == 2)
        #expect(try channel.receive() == 3)
        #expect(throws: Broken.self) { _ = try channel.receive() }

        let finished = PageChannel<Int>(capacity: 1)
        finished.send(7)
        finished.finish()
        #expect(try finished.receive() == 7)
        #expect(try finished.receive() == nil)
    }

    @Test("a receiver that gives up releases a waiting sender, and later pages are dropped")
    func channelAbandoned() throws {
        let channel = PageChannel<Int>(capacity: 1)
        channel.send(1)
        let sent = DispatchSemaphore(value: 0)
        let blocked = Thread {
            channel.send(2)
            channel.send(3)
            sent.signal()
        }
        blocked.start()
        #expect(sent.wait(timeout: .now() + .milliseconds(200)) == .timedOut)
        channel.abandon()
        #expect(sent.wait(timeout: .now() + .seconds(10)) == .success)
        channel.finish()
        #expect(try channel.receive() == nil)
    }

    @Test("once open, the allocation cursor reads nothing the review's session writes while the loop runs")
    func cursorReadsOnlyInputs() throws {
        try withHarness { harness in
            _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-07")
            let month = try #require(BatchMonth("2024-07"))
            let bundle = try harness.connection.queryRow(
                "SELECT id FROM bundles WHERE is_current AND month = '2024-07'"
            ).int64("id")
            let owner = harness.connection
            try owner.begin()
            defer { owner.rollback() }
            let reader = try SnapshotReader(sharing: owner)
            defer { reader.close() }
            let reading = ReviewWorkspace(connection: reader.connection, bundleID: bundle, month: month)
            try reading.createLineTable()
            let kept = try reading.copyLinesForAllocation()
            #expect(kept > 0)
            let plan = try reading.orderBatch()
            #expect(try reading.dropSetAside([], fromOrder: true) == 0)
            try reading.resolveRosters()
            let cursor = try reading.allocationCursor(plan, pageSize: 3)
            // Scans of the tables the review writes, by this session, in this transaction: a row-by-row
            // lookup into decisions would read a table that fills while the pages are read.
            func scansOfWrittenTables() throws -> Int64 {
                try reader.connection.queryRow(
                    """
                    SELECT coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0) AS scans
                      FROM pg_stat_xact_user_tables
                     WHERE relname IN ('decisions', 'findings', 'claims', 'notices', 'ledger_entries',
                                       'voucher_accounts', 'reviews')
                    """
                ).int64("scans")
            }
            let before = try scansOfWrittenTables()
            var read = 0
            while case let page = try cursor.next(), !page.isEmpty { read += page.count }
            #expect(read == kept)
            #expect(try scansOfWrittenTables() == before)
        }
    }

    @Test("lists that differ from what was stored fail the review instead of being published")
    func listsChecked() throws {
        try withTestDatabase { database in
            let harness = try StageHarness(database: database)
            let month = try #require(BatchMonth("2024-07"))
            let window = try harness.policies.calendar.publicityWindow(
                opening: month.next.firstDay, workingDays: 5)
            let owner = harness.connection
            try owner.begin()
            defer { owner.rollback() }
            let reader = try SnapshotReader(sharing: owner)
            defer { reader.close() }
            let listing = ReviewListing(reader: reader.connection)
            try listing.create()
            try reader.connection.execute(
                """
                INSERT INTO listed_publicity VALUES ('320100', '甲公司', 'O-1', '乙服务', 10000, 8000),
                                                    ('320200', '丙公司', 'O-2', '乙服务', 5000, 4000)
                """)
            func lists(_ run: Int64) throws -> ReviewLists {
                ReviewLists(
                    listing: listing, month: month, window: window, policies: harness.policies, contact: "",
                    output: try OutputDirectory(out: harness.out, month: month, name: "review-0\(run)", runID: run))
            }
            var stored = ReviewFigures()
            stored.statusCounts[.accepted] = 2
            stored.payable = Fen(12_000)
            // The workbook's 公示 gets the rows of publicity.csv, and the end of the list once checked.
            let rows = PageChannel<[[String]]>()
            try lists(1).write(totals: { stored }, publicityRows: rows)
            #expect(try rows.receive()?.map { $0.prefix(2) } == [["1", "甲公司"], ["2", "丙公司"]])
            #expect(try rows.receive() == nil)

            // One more accepted decision stored than listed, a payable that differs: the list's
            // rows were handed over, but the workbook is told the list failed.
            stored.statusCounts[.accepted] = 3
            let more = PageChannel<[[String]]>()
            #expect(throws: SettleError.self) {
                try lists(2).write(totals: { stored }, publicityRows: more)
            }
            #expect(try more.receive()?.count == 2)
            #expect(throws: SettleError.self) { _ = try more.receive() }
            stored.statusCounts[.accepted] = 2
            stored.payable = Fen(12_001)
            #expect(throws: SettleError.self) {
                try lists(3).write(totals: { stored }, publicityRows: PageChannel())
            }
        }
    }
}
