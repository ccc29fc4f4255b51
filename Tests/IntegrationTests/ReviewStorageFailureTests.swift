import Foundation
import SettlementCore
import SettlementJobs
import Testing

/// The review stores its pages on a job of its own, a few pages behind the loop. When the database
/// refuses one, the review must stop with the server's error — not hang, not go on as if stored —
/// keep nothing, and leave the month to a review that can store.
@Suite("A page the database refuses")
struct ReviewStorageFailureTests {
    @Test("the review fails with the server's error, keeps nothing, and the next review stores all")
    func refusedPage() throws {
        // Enough requests for several pages of 2,000: the refusal comes while later pages are sent.
        let inbox = try augustSampleInbox(requests: 7_000, seed: 11)
        try withHarness { harness in
            _ = try harness.ingest(inbox)
            let allowFindings = try harness.refuseInserts(into: "findings")
            let error = #expect(throws: (any Error).self) { try harness.review("2024-08") }
            #expect("\(String(describing: error))".contains("findings refused by the test"))
            let kept = try harness.connection.queryRow(
                "SELECT (SELECT count(*) FROM decisions) + (SELECT count(*) FROM claims) + (SELECT count(*) FROM notices) AS n"
            )
            #expect(try kept.int("n") == 0)

            try allowFindings()
            let review = try harness.review("2024-08")
            #expect(review.decisions + review.quarantined == review.linesRead && review.decisions > 4_000)
        }
    }

    @Test("a ledger append the database refuses fails the review and keeps nothing; the next appends every entry")
    func refusedLedgerAppend() throws {
        // The reservations are spooled page by page and appended in one COPY after the loop.
        let inbox = try augustSampleInbox(requests: 7_000, seed: 12)
        try withHarness { harness in
            _ = try harness.ingest(inbox)
            let allowLedger = try harness.refuseInserts(into: "ledger_entries")
            let error = #expect(throws: (any Error).self) { try harness.review("2024-08") }
            #expect("\(String(describing: error))".contains("ledger_entries refused by the test"))
            let kept = try harness.connection.queryRow(
                """
                SELECT (SELECT count(*) FROM decisions) + (SELECT count(*) FROM ledger_entries)
                       + (SELECT count(*) FROM voucher_accounts WHERE reserved_fen <> 0) AS n
                """)
            #expect(try kept.int("n") == 0)

            try allowLedger()
            _ = try harness.review("2024-08")
            let ledger = try harness.connection.queryRow(
                """
                SELECT (SELECT count(*) FROM ledger_entries WHERE kind = 'reservation') AS entries,
                       (SELECT coalesce(sum(amount), 0) FROM ledger_entries) AS amount,
                       (SELECT count(*) FROM decisions WHERE payable > 0) AS payable,
                       (SELECT coalesce(sum(payable), 0) FROM decisions) AS total
                """)
            #expect(try ledger.int("entries") > 1_000)
            #expect(try ledger.int("entries") == ledger.int("payable"))
            #expect(try ledger.int64("amount") == ledger.int64("total"))
        }
    }

    @Test("a notice the database silently drops fails the review: notices.csv lists only what is stored")
    func droppedNotice() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try withHarness { harness in
            _ = try harness.ingest(builder.directory)
            try expectFailureDroppingNotices(of: "NEW.request_id = 'DF2024070009'", month: "2024-07", harness)
            let review = try harness.review("2024-07")
            let listed = try harness.csv(review.outputDirectory + "/notices.csv").dropFirst()
            // In the order of decisions.csv.
            let decided = try harness.csv(review.outputDirectory + "/decisions.csv").dropFirst().map { $0[0] }
            let stored = try harness.connection.query(
                "SELECT notice_id, request_id FROM notices WHERE run_id = (SELECT max(run_id) FROM decisions)")
            let requestOf = Dictionary(
                uniqueKeysWithValues: try stored.rows.map { (try $0.text("notice_id"), try $0.text("request_id")) })
            #expect(listed.count == decided.count && listed.count == stored.rows.count)
            #expect(listed.map { requestOf[$0[0]] ?? "" } == decided)
        }
    }

    @Test("notices dropped in a month whose publicity list outgrows the workbook's queue: the review fails")
    func droppedNoticesLongList() throws {
        // The publicity list starts on the reader as the loop ends and sends its pages to the
        // workbook (two waiting at most) before the stored totals are read; ~5,000 accepted
        // requests are three pages of 2,000. The notices' count check fails first, and the list
        // must end with that error rather than wait on a workbook that no longer reads.
        let inbox = try augustSampleInbox(requests: 7_000, seed: 12)
        try withHarness { harness in
            _ = try harness.ingest(inbox)
            try expectFailureDroppingNotices(of: "right(NEW.request_id, 1) = '7'", month: "2024-08", harness)
            let review = try harness.review("2024-08")
            let accepted = try harness.connection.queryRow(
                "SELECT count(*) AS n FROM decisions WHERE status = 'accepted'")
            #expect(try accepted.int("n") > 2 * 2_000)
            #expect(review.decisions + review.quarantined == review.linesRead)
        }
    }

    /// Reviews `month` while a row trigger silently drops the notices `condition` picks (returning
    /// NULL, it makes COPY skip the row without an error): the review must fail on the notices'
    /// count, keep no decision and publish nothing. The trigger is gone afterwards.
    func expectFailureDroppingNotices(of condition: String, month: String, _ harness: StageHarness) throws {
        let owner = try harness.database.connectAsOwner()
        try owner.execute(
            """
            CREATE FUNCTION drop_notices() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF \(condition) THEN RETURN NULL; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER drop_notices BEFORE INSERT ON notices FOR EACH ROW EXECUTE FUNCTION drop_notices();
            """)
        let error = #expect(throws: SettleError.self) { try harness.review(month) }
        #expect("\(String(describing: error))".contains("the database stored"))
        let kept = try harness.connection.queryRow("SELECT count(*) AS n FROM decisions")
        #expect(try kept.int("n") == 0)
        #expect(!FileManager.default.fileExists(atPath: harness.out + "/\(month)/review-01"))
        try owner.execute("DROP TRIGGER drop_notices ON notices; DROP FUNCTION drop_notices()")
    }
}
