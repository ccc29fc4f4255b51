import Foundation
import SettlementCore
import SettlementJobs
import SettlementStore
import Testing

@Suite("The review stage")
struct ReviewStageTests {
    var july: String { StageHarness.fixtures + "/conformance/inbox/2024-07" }

    @Test("reviewing the same batch twice without rerun is refused (exit 5)")
    func reviewTwice() throws {
        try withHarness { harness in
            _ = try harness.ingest(july)
            _ = try harness.review("2024-07")
            let error = #expect(throws: SettleError.self) { try harness.review("2024-07") }
            #expect(error?.exitCode == 5)
            #expect(error?.message.contains("rerun") == true)
        }
    }

    @Test("a month that has not ended is not reviewed; a month without a bundle is refused")
    func notDue() throws {
        try withHarness { harness in
            _ = try harness.ingest(july)
            let early = #expect(throws: SettleError.self) { try harness.review("2024-07", asOf: "2024-07-31") }
            #expect(early?.exitCode == 5)
            let missing = #expect(throws: SettleError.self) { try harness.review("2024-06") }
            #expect(missing?.exitCode == 3)
        }
    }

    @Test("a dry run shows the result and changes nothing in the database")
    func dryRun() throws {
        try withHarness { harness in
            _ = try harness.ingest(july)
            let counts =
                "SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM decisions), (SELECT count(*) FROM ledger_entries), (SELECT count(*) FROM claims)"
            let before = try harness.connection.query(counts).first?.cells
            let summary = try harness.review("2024-07", dryRun: true)
            // The dry run's files are the operator's to look at; the test removes them.
            defer {
                try? FileManager.default.removeItem(
                    atPath: (summary.outputDirectory as NSString).deletingLastPathComponent)
            }
            #expect(summary.dryRun)
            #expect(summary.decisions == 76)
            #expect(try harness.connection.query(counts).first?.cells == before)
            #expect(!FileManager.default.fileExists(atPath: harness.out + "/2024-07/review-01"))
            let real = try harness.review("2024-07")
            #expect(real.byStatus[.accepted]?.payable == summary.byStatus[.accepted]?.payable)
        }
    }

    @Test("another session holding the batch's lock makes the review exit 4")
    func lockHeld() throws {
        try withHarness { harness in
            _ = try harness.ingest(july)
            let other = try harness.database.connect()
            #expect(try other.tryAdvisoryLock(7_300_000_000 + 202_407))
            let error = #expect(throws: SettleError.self) { try harness.review("2024-07") }
            #expect(error?.exitCode == 4)
            #expect(error?.message.contains("locked by server process") == true)
        }
    }

    @Test("reservations in the ledger equal the payable amounts of the decisions")
    func ledgerMatchesDecisions() throws {
        try withHarness { harness in
            for month in ["2024-07", "2024-08"] {
                _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/" + month)
                _ = try harness.review(month)
            }
            let check = try harness.connection.query(
                """
                SELECT (SELECT sum(payable) FROM decisions d JOIN reviews r ON r.run_id = d.run_id AND r.is_current),
                       (SELECT sum(amount) FROM ledger_entries WHERE kind = 'reservation'),
                       (SELECT sum(reserved_fen) FROM voucher_accounts)
                """
            ).first
            #expect(check?.int64(0) == check?.int64(1))
            #expect(check?.int64(1) == check?.int64(2))
        }
    }

    @Test("a rerun with a corrected bundle writes diff.csv, releases and re-reserves without double counting")
    func rerunWithBundle() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try withHarness { harness in
            _ = try harness.ingest(builder.directory)
            let first = try harness.review("2024-07")
            // The correction: DF2024070001's receipts now match its invoices (TOTALS_MISMATCH fixed).
            var lines = try builder.requestLines()
            let index = try #require(lines.firstIndex { $0.contains("\"DF2024070001\"") })
            lines[index] = lines[index].replacingOccurrences(
                of: "\"amount\":\"8630.46\"", with: "\"amount\":\"8630.45\"")
            try builder.write("redemptions.jsonl", lines.joined(separator: "\n") + "\n")
            let rerun = try harness.rerun(
                "2024-07", asOf: "2024-08-05", reason: "receipt corrected", bundle: builder.directory)
            #expect(rerun.changes == 1)
            #expect(rerun.reviewNumber == 2)
            let diff = try harness.csv(rerun.outputDirectory + "/diff.csv")
            #expect(diff.count == 2)
            #expect(diff[1][0] == "DF2024070001")
            #expect(diff[1][4] == "needs_correction")
            #expect(diff[1][5] == "accepted")
            let payable =
                (rerun.byStatus[.accepted]?.payable.value ?? 0) - (first.byStatus[.accepted]?.payable.value ?? 0)
            #expect(payable == 525_000)
            let ledger = try harness.connection.query(
                """
                SELECT (SELECT sum(payable) FROM decisions d JOIN reviews r ON r.run_id = d.run_id AND r.is_current),
                       (SELECT sum(reserved_fen) FROM voucher_accounts),
                       (SELECT count(*) FROM ledger_entries WHERE kind = 'release')
                """
            ).first
            #expect(ledger?.int64(0) == ledger?.int64(1))
            #expect(ledger?.int(2) == 56)
            #expect(
                try harness.connection.query("SELECT reason FROM runs WHERE stage = 'review' AND run_no = 2").first?
                    .string(0) == "receipt corrected")
            #expect(rerun.window.firstDay == CivilDate(iso: "2024-08-05"))
        }
    }

    @Test("staged outputs of a killed run are finished when it committed and discarded when it did not")
    func recovery() throws {
        try withHarness { harness in
            _ = try harness.ingest(july)
            let summary = try harness.review("2024-07")
            let monthDirectory = harness.out + "/2024-07"
            let committedRun = try #require(
                try harness.connection.query("SELECT id FROM runs WHERE stage = 'review' AND outcome = 'committed'")
                    .first?
                    .string(0))
            // As if the process died after the commit, before renaming: the final directory is missing
            // and the run is not marked published.
            try harness.connection.execute("UPDATE runs SET published_at = NULL WHERE id = $1", [committedRun])
            try FileManager.default.moveItem(
                atPath: summary.outputDirectory, toPath: monthDirectory + "/.review-01.partial-\(committedRun)")
            try FileManager.default.createDirectory(
                atPath: monthDirectory + "/.review-02.partial-999999", withIntermediateDirectories: true)
            let actions = try OutputRecovery.recover(
                harness.connection, out: harness.out, month: try harness.month("2024-07"))
            #expect(actions.count == 2)
            #expect(FileManager.default.fileExists(atPath: summary.outputDirectory + "/decisions.csv"))
            #expect(!FileManager.default.fileExists(atPath: monthDirectory + "/.review-02.partial-999999"))
        }
    }
}

/// Claim keys read at ingest give the same review as keys read from the stored JSON (lines
/// ingested before the keys were kept). Once written, a line cannot be edited, by any role.
@Suite("Claim keys kept at ingest")
struct ClaimKeysTests {
    @Test("a review of lines without kept keys decides exactly as one with them")
    func fallback() throws {
        var outputs: [Data] = []
        for withoutKeys in [false, true] {
            try withHarness { harness in
                for month in ["2024-07", "2024-08"] {
                    _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/" + month)
                    if withoutKeys {
                        // As a version before the keys were kept left its lines (past the guard).
                        let owner = try harness.database.connectAsOwner()
                        try owner.execute("ALTER TABLE request_lines DISABLE TRIGGER request_lines_kept")
                        let changed = try owner.execute(
                            "UPDATE request_lines SET claim_keys = NULL WHERE claim_keys IS NOT NULL")
                        try owner.execute("ALTER TABLE request_lines ENABLE TRIGGER request_lines_kept")
                        #expect(changed > 0)
                    }
                    let review = try harness.review(month)
                    outputs.append(
                        try Data(contentsOf: URL(fileURLWithPath: review.outputDirectory + "/decisions.csv")))
                }
            }
        }
        #expect(outputs.count == 4 && outputs[0] == outputs[2] && outputs[1] == outputs[3])
    }

    @Test("a stored line cannot be edited, not even by the schema's owner")
    func linesKept() throws {
        try withHarness { harness in
            _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-07")
            let error = #expect(throws: DatabaseError.self) {
                try harness.database.connectAsOwner().execute(
                    "UPDATE request_lines SET claim_keys = NULL, enterprise_uscc = 'X'")
            }
            #expect(error?.sqlState == "42501", "\(String(describing: error))")
        }
    }
}

/// The request as ingest read it (`request_lines.review_record`) gives the same review as the
/// line's JSON read again (lines ingested before records were kept, or holding a NUL).
@Suite("Review records kept at ingest")
struct ReviewRecordStageTests {
    /// Sets `review_record` of every stored line with `value` (NULL: as before records were kept),
    /// past the guard that keeps lines as written.
    static func setRecords(_ harness: StageHarness, to value: String?) throws -> Int {
        let owner = try harness.database.connectAsOwner()
        try owner.execute("ALTER TABLE request_lines DISABLE TRIGGER request_lines_kept")
        let changed = try owner.execute(
            "UPDATE request_lines SET review_record = $1 WHERE review_record IS NOT NULL", [value])
        try owner.execute("ALTER TABLE request_lines ENABLE TRIGGER request_lines_kept")
        return changed
    }

    @Test("a review of lines without records decides and notifies exactly as one with them")
    func fallback() throws {
        var outputs: [[Data]] = []
        for withoutRecords in [false, true] {
            try withHarness { harness in
                for month in ["2024-07", "2024-08"] {
                    _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/" + month)
                    if withoutRecords { #expect(try Self.setRecords(harness, to: nil) > 0) }
                    let review = try harness.review(month)
                    outputs.append(
                        try ["decisions.csv", "notices.csv", "publicity.csv"].map {
                            try Data(contentsOf: URL(fileURLWithPath: review.outputDirectory + "/" + $0))
                        })
                }
            }
        }
        #expect(outputs.count == 4 && outputs[0] == outputs[2] && outputs[1] == outputs[3])
    }

    @Test("a record that does not read fails the review, naming the line, and leaves nothing")
    func brokenRecord() throws {
        try withHarness { harness in
            _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-07")
            #expect(try Self.setRecords(harness, to: "3:RV1~") > 0)
            let error = #expect(throws: SettleError.self) { try harness.review("2024-07") }
            #expect(error?.message.contains("review record does not read") == true, "\(String(describing: error))")
            let decisions = try harness.connection.queryRow("SELECT count(*) AS n FROM decisions").int("n")
            #expect(decisions == 0)
        }
    }
}
