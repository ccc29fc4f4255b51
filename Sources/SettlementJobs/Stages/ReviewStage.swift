import Foundation
import Logging
import SettlementCore
import SettlementStore

/// A page of the review encoded for the database: its decisions (with claims and ledger entries)
/// and the notices of the events not notified before.
struct StoredPage: Sendable {
    let decisions: DecisionWriter.Prepared
    let notices: EncodedCopy?
    /// The same page's rows for the publicity list, kept on the reader (`ReviewListing`).
    let listing: ReviewListing.Page
}

/// What the reader's job hands over when it is waited for: the quotas of the batch's accounts and
/// the allocation order opened with its first page.
final class ReaderHandover: @unchecked Sendable {
    var quotas: [ReviewWorkspace.Quota] = []
    var cursor: ReviewWorkspace.AllocationCursor?
    var first: [ReviewWorkspace.AllocationRow] = []
}

/// `settle review` and `settle rerun`: reviews a batch in allocation order, settles payable amounts
/// against the balances in the ledger, and writes `review-<NN>/`.
public struct ReviewStage: ContextualStage {
    public struct Options: Sendable {
        public var month: BatchMonth
        public var asOf: CivilDate
        public var out: String
        public var dryRun = false
        /// Set for `rerun`: the operator's reason, and optionally a corrected bundle.
        public var rerunReason: String?
        public var rerunBundle: IngestStage.Options?

        public init(month: BatchMonth, asOf: CivilDate, out: String) {
            self.month = month
            self.asOf = asOf
            self.out = out
        }
    }

    public struct Summary: Sendable {
        public var month: BatchMonth
        public var reviewNumber: Int
        public var outputDirectory: String
        public var dryRun: Bool
        public var window: PublicityWindow
        public var linesRead = 0
        public var quarantined = 0
        public var byStatus: [DecisionStatus: (count: Int, requested: Fen, payable: Fen)] = [:]
        public var entitled = Fen.zero
        public var cutByBalance = Fen.zero
        public var topRejections: [(code: String, count: Int)] = []
        public var changes: Int?

        public var decisions: Int { byStatus.values.reduce(0) { $0 + $1.count } }

        public var text: String {
            var lines: [String] = []
            let kind = changes == nil ? "review" : "rerun"
            lines.append(
                (dryRun ? "[dry run, nothing saved] " : "") + "\(kind) \(reviewNumber) of batch \(month): "
                    + "\(linesRead) lines = \(decisions) decisions + \(quarantined) quarantined")
            for status in DecisionStatus.allCases {
                let entry = byStatus[status] ?? (0, .zero, .zero)
                var line = "  \(status.rawValue): \(entry.count)"
                if status == .accepted {
                    line +=
                        ", requested \(entry.requested.yuanText), entitled \(entitled.yuanText), payable \(entry.payable.yuanText)"
                    if cutByBalance > .zero { line += ", cut by balance \(cutByBalance.yuanText)" }
                }
                lines.append(line)
            }
            if !topRejections.isEmpty {
                lines.append(
                    "  top rejection codes: " + topRejections.map { "\($0.code) \($0.count)" }.joined(separator: ", "))
            }
            if let changes { lines.append("  changes since the previous review: \(changes) (diff.csv)") }
            lines.append("  publicity: \(window.firstDay) to \(window.lastDay)")
            lines.append("  outputs: \(outputDirectory)")
            return lines.joined(separator: "\n")
        }
    }

    let context: StageContext

    public init(_ context: StageContext) { self.context = context }

    public func run(_ options: Options) throws -> Summary {
        let month = options.month
        let recorder = RunRecorder(connection: connection)
        try recorder.lock(month)
        defer { recorder.unlock(month) }
        try recorder.abandonStaleRuns(month)

        guard options.asOf > month.lastDay else {
            throw SettleError.refused(
                "batch \(month) has not ended as of \(options.asOf); it can be reviewed from \(month.next.firstDay)")
        }
        let previous = try DecisionStore(connection: connection).currentReview(month: month)
        if options.rerunReason == nil, let previous {
            throw SettleError.refused(
                "batch \(month) is already reviewed (review \(previous.reviewNumber) as of \(previous.businessDate)); "
                    + "use `settle rerun --month \(month) --reason …` to review it again")
        }
        if options.rerunReason != nil, previous == nil {
            throw SettleError.refused("batch \(month) has not been reviewed yet; use `settle review --month \(month)`")
        }
        let window: PublicityWindow
        do {
            window = try policies.calendar.publicityWindow(
                opening: options.asOf, workingDays: policies.policy(for: month.year).publicityWorkingDays)
        } catch {
            throw SettleError.usage(
                "publicity window: \(error). Add the missing year's calendar to \(configuration.calendarDirectory)/"
                    + "<year>.toml from the State Council's holiday notice — `year = <year>`, `holidays = [dates]`, "
                    + "`workdays = [make-up working weekend dates]` (docs/operations/yearly-upkeep.md) — and check it "
                    + "with `settle calendar check --year <year>`")
        }

        if var bundle = options.rerunBundle {
            bundle.allowReviewedMonth = true
            let ingested = try IngestStage(connection: connection, logger: logger).run(bundle)
            logger.info("\(ingested.alreadyIngested ? ingested.text : ingested.conservationLine)")
        }
        let bundles = BundleStore(connection: connection)
        guard let bundle = try bundles.current(month: month), let linesRead = bundle.linesRead else {
            throw SettleError.inputRefused(
                "no bundle has been ingested for \(month): run `settle ingest <inbox>/\(month)` first")
        }
        let bundleID = bundle.id
        let inputs = try bundles.fileHashes(bundleID: bundleID)

        for action in try OutputRecovery.recover(connection, out: options.out, month: month) {
            logger.warning("\(action)")
        }
        let identity = StagedRun.Identity(
            stage: .review, month: month, businessDate: options.asOf, policyHash: policies.hash, inputs: inputs,
            reason: options.rerunReason)
        let result = try StagedRun(connection: connection, recorder: recorder).perform(
            identity, out: options.out, dryRun: options.dryRun,
            summary: { (summary: Summary) in "\(summary.decisions) decisions, \(summary.quarantined) quarantined" }
        ) { run, directory in
            var log = logger
            log[metadataKey: "run"] = "\(run.id)"
            log.info("reviewing batch \(month) as of \(options.asOf)")
            let summary = try review(
                run: run, bundleID: bundleID, linesRead: linesRead, previousRunID: previous?.runID,
                options: options, window: window, inputs: inputs, output: directory)
            guard summary.decisions + summary.quarantined == summary.linesRead else {
                throw SettleError(
                    .unexpected,
                    "lines do not add up: \(summary.linesRead) read, \(summary.decisions) decided, \(summary.quarantined) quarantined"
                )
            }
            return summary
        }
        var summary = result.value
        summary.outputDirectory = result.outputs
        return summary
    }

    func review(
        run: RunRecord, bundleID: Int64, linesRead: Int, previousRunID: Int64?, options: Options,
        window: PublicityWindow, inputs: [String: String], output: OutputDirectory
    ) throws -> Summary {
        let month = options.month
        var paymentHistory: [ByteString: PaymentHistory] = [:]
        if let previousRunID {
            paymentHistory = try RerunPreparation(connection: connection, month: month, runID: run.id)
                .prepare(previousRunID: previousRunID)
        }
        try DecisionStore(connection: connection).recordReview(
            runID: run.id, month: month, reviewNumber: run.number, bundleID: bundleID, businessDate: options.asOf,
            window: window)
        // The reader sees what was committed when the review began (the bundle, the roster,
        // earlier months' reviews) and reads it while this session writes.
        let reader = try SnapshotReader(sharing: connection)
        defer { reader.close() }
        let preparation = ReviewPreparation(
            connection: connection, reader: reader.connection, bundleID: bundleID, month: month, runID: run.id,
            policies: policies)
        let triage = try preparation.triage()

        // The reader resolves the roster, then opens the allocation order it sorted during triage;
        // this session meanwhile finds the contested claims and the notices sent before, then — as
        // soon as the roster is resolved — writes the accounts' limits.
        let reading = BackgroundJob()
        let opened = ReaderHandover()
        let rostersResolved = Handoff<Void>()
        let listing = ReviewListing(reader: reader.connection)
        reading.start {
            do {
                try listing.create()
                opened.quotas = try preparation.resolveRosters()
            } catch {
                rostersResolved.fail(error)
                throw error
            }
            rostersResolved.give(())
            let cursor = try preparation.reading.allocationCursor(triage.plan)
            opened.cursor = cursor
            opened.first = try cursor.next()
        }
        let claims: (registry: ClaimRegistry, tracked: Set<ClaimKey>)
        let accounts: (book: BalanceBook, ids: [AccountKey: Int64])
        // An event notified before (by a rerun's previous review, or an earlier month's) keeps its
        // notice and is not listed again.
        var notifiedBefore = NoticeIDSet()
        do {
            claims = try preparation.contestedClaims()
            try preparation.workspace.forEachNotifiedBefore { notifiedBefore.insert($0) }
            try rostersResolved.take()
            accounts = try preparation.accounts(opened.quotas)
            opened.quotas = []  // one per account of the batch: not kept through the loop
        } catch {
            try? reading.wait()
            throw error
        }
        try reading.wait()
        guard let cursor = opened.cursor else { throw SettleError(.unexpected, "the batch's reader did not open") }

        var reviewer = BatchReviewer(claims: claims.registry, balances: accounts.book, policies: policies.policies)
        reviewer.trackedKeys = claims.tracked
        reviewer.paymentHistory = paymentHistory
        let ledgerSpool = try LedgerSpool()
        let writer = DecisionWriter(
            connection: connection, runID: run.id, month: month, accountIDs: accounts.ids, ledgerSpool: ledgerSpool,
            contestedKeys: claims.tracked)
        let notices = NoticeWriter(connection: connection, templates: configuration.noticeTemplates)
        let noticeStore = NoticeStore(connection: connection)
        var seq = 0
        // The report's breakdowns, counted as the decisions are made (checked against the stored
        // decisions when the figures are read).
        var tally = DecisionTally()
        let progress = ProgressReporter(label: "review \(month)")
        // Page i is reviewed — its notices made, its rows encoded for COPY — while one background
        // job stores the pages decided before it (decisions, claims, spooled ledger entries,
        // notices; at most two waiting) on this session and another reads page i + 1 on the
        // reader's: the client and both of the server's processes at work at once. Each session is
        // touched by one job at a time; the reading job is waited for before the next page, the
        // storing job once the last page is sent. The reader also keeps the rows of the publicity
        // list as they are decided. decisions.csv and notices.csv are written from the decisions
        // and notices as they are made (allocation order).
        //
        // 审核结果.xlsx is written on a thread of its own from the loop on: 明细 from the rows of
        // decisions.csv as they are written, 公示 from the rows of publicity.csv as the reader
        // writes them; its other sheets once the decisions are stored.
        let workbook = BackgroundJob()
        let details = PageChannel<[[String]]>()
        let publicityRows = PageChannel<[[String]]>()
        let workbookEnd = Handoff<FinanceWorkbooks.ReviewEnd>()
        workbook.start {
            do {
                try FinanceWorkbooks.review(
                    businessDate: options.asOf, output: output, counts: (triage.kept, triage.quarantined),
                    details: details, publicity: publicityRows
                ) { try workbookEnd.take() }
            } catch {
                details.abandon()
                publicityRows.abandon()
                throw error
            }
        }
        // The decided pages are stored in order by a job of their own, at most two pages behind
        // the loop (`toStore`); it alone uses this session until it has finished, and a failure
        // of it stops the loop at the next page.
        let storing = BackgroundJob()
        let toStore = PageChannel<StoredPage>(capacity: 2)
        storing.start {
            do {
                while let page = try toStore.receive() {
                    try writer.write(page.decisions)
                    if let notices = page.notices { try noticeStore.append(notices) }
                }
            } catch {
                toStore.abandon()
                throw error
            }
        }
        /// Ends the storing job (after the pages sent, or at once with `error`) and waits for it.
        func endStoring(_ error: (any Error)?) throws {
            if let error { toStore.fail(error) } else { toStore.finish() }
            try storing.wait()
        }
        // The stored decisions' totals, read after the loop, for the publicity list's check.
        let storedTotals = Handoff<ReviewFigures>()
        do {
            // notices.csv (the new notices, in the order of decisions.csv) is written beside it.
            let written = try output.stream("notices.csv", private: true) { noticesFile in
                var list = try NoticeList(file: noticesFile)
                let decisions = try output.stream("decisions.csv") { file in
                    var csv = DecisionsCSV(try CSVStream(file: file, header: ReviewFiles.decisionColumns))
                    var rows = opened.first
                    var decided: StoredPage?
                    while !rows.isEmpty {
                        let previous = decided
                        let following = JobOutput<[ReviewWorkspace.AllocationRow]>([])
                        if let previous { toStore.send(previous) }
                        // The storing job failed: its error ends the loop (the reader is idle here).
                        if toStore.isAbandoned { try endStoring(nil) }
                        reading.start {
                            following.value = try cursor.next()
                            if let previous { try listing.append(previous.listing) }
                        }
                        do {
                            var page: [(seq: Int, line: Int, decision: Decision)] = []
                            var cells: [[String]] = []
                            var made: [NoticeStore.Row] = []
                            page.reserveCapacity(rows.count)
                            cells.reserveCapacity(rows.count)
                            for row in rows {
                                let input = try ReviewRowReader.input(row)
                                seq += 1
                                let decision = reviewer.review(input)
                                try tally.add(decision)
                                cells.append(try csv.append(decision))
                                page.append((seq, row.line, decision))
                                let notice = notices.reviewNotice(
                                    decision, mobile: row.contactMobile, window: window, policies: policies)
                                if !notifiedBefore.contains(notice.noticeID) {
                                    try list.append(notice)
                                    made.append(notice)
                                }
                                progress.tick(seq)
                            }
                            details.send(cells)
                            let encoded = try NoticeStore.encode(made, runID: run.id, month: month)
                            decided = StoredPage(
                                decisions: try writer.prepare(page), notices: encoded,
                                listing: try ReviewListing.Page(decisions: page.lazy.map(\.decision)))
                        } catch {
                            try? reading.wait()
                            throw error
                        }
                        try reading.wait()
                        rows = following.value
                    }
                    if let decided {
                        toStore.send(decided)
                        try listing.append(decided.listing)
                    }
                    try endStoring(nil)
                    try cursor.close()
                    return (rows: csv.document.rows, payable: csv.payable)
                }
                return (decisions: decisions, notices: list.summary)
            }
            details.finish()
            progress.finish(seq)
            // The publicity list is sorted and written on the reader from here on — beside the
            // checks below, the figures and the ledger's append on this session — and checked
            // against what is stored once it is written.
            let lists = ReviewLists(
                listing: listing, month: month, window: window, policies: policies,
                contact: configuration.publicityContact, output: output)
            reading.start { try lists.write(totals: { try storedTotals.take() }, publicityRows: publicityRows) }
            guard seq == triage.kept else {
                throw SettleError(.unexpected, "\(triage.kept) lines were kept but \(seq) were reviewed")
            }
            let noticesStored = try noticeStore.count(runID: run.id)
            guard written.notices.produced == noticesStored else {
                throw SettleError(
                    .unexpected,
                    "notices.csv lists \(written.notices.produced) notices; the database stored \(noticesStored)")
            }
            try output.stream("quarantine.csv") {
                try ReviewFiles(connection: connection, runID: run.id).quarantine($0)
            }

            let totals = try ReviewFigures.totals(connection, runID: run.id)
            storedTotals.give(totals)
            workbookEnd.give(FinanceWorkbooks.ReviewEnd(totals: totals, quarantined: triage.quarantined))
            do {
                try Ledger(connection: connection).append(ledgerSpool)
            } catch {
                try? reading.wait()
                throw error
            }
            return try finish(
                run: run, previousRunID: previousRunID, options: options, window: window, inputs: inputs,
                triage: (triage.kept, triage.quarantined), linesRead: linesRead, decisions: written.decisions,
                tally: tally, output: output, workbook: (workbook, totals), lists: (reading, written.notices))
        } catch {
            // The storing job is done before anything else uses this session (it already is when
            // the error came after the loop).
            try? endStoring(error)
            details.fail(error)
            workbookEnd.fail(error)
            // A publicity list already written waits for the totals: it ends with this error.
            storedTotals.fail(error)
            try? reading.wait()
            // The reader's job (the only sender) is done: a workbook still waiting for 公示 stops.
            publicityRows.fail(error)
            try? workbook.wait()
            throw error
        }
    }

    /// After the batch is decided: the figures, the files, the notices' list and the manifest.
    func finish(
        run: RunRecord, previousRunID: Int64?, options: Options, window: PublicityWindow, inputs: [String: String],
        triage: (kept: Int, quarantined: Int), linesRead: Int, decisions: (rows: Int, payable: Fen),
        tally: DecisionTally, output: OutputDirectory, workbook: (job: BackgroundJob, totals: ReviewFigures),
        lists: (job: BackgroundJob, notices: NoticeWriter.Summary)
    ) throws -> Summary {
        let month = options.month
        // The totals are the decisions' alone: read before the ledger append, for the workbook.
        let figures = try ReviewFigures.load(
            connection, runID: run.id, policy: policies.policy(for: month.year), tally: tally, totals: workbook.totals)
        var summary = summarize(figures, run: run, window: window, dryRun: options.dryRun, output: output)
        summary.quarantined = triage.quarantined
        summary.linesRead = linesRead
        try writeFiles(
            run: run, previousRunID: previousRunID, options: options, inputs: inputs, figures: figures,
            decisions: decisions, output: output, workbook: workbook.job, lists: lists, summary: &summary)
        return summary
    }

    /// The terminal summary, from the figures the report shows (aggregated once by the database).
    func summarize(
        _ figures: ReviewFigures, run: RunRecord, window: PublicityWindow, dryRun: Bool, output: OutputDirectory
    )
        -> Summary
    {
        var summary = Summary(
            month: run.month, reviewNumber: run.number, outputDirectory: output.finalPath, dryRun: dryRun,
            window: window)
        for (status, count) in figures.statusCounts { summary.byStatus[status] = (count, .zero, .zero) }
        summary.byStatus[.accepted] = (figures.statusCounts[.accepted] ?? 0, figures.requestedAccepted, figures.payable)
        summary.entitled = figures.entitled
        summary.cutByBalance = figures.cutByBalance
        summary.topRejections = figures.codes.filter { $0.severity == "reject" }.prefix(5).map { ($0.code, $0.count) }
        return summary
    }

    func writeFiles(
        run: RunRecord, previousRunID: Int64?, options: Options, inputs: [String: String], figures: ReviewFigures,
        decisions: (rows: Int, payable: Fen), output: OutputDirectory, workbook: BackgroundJob,
        lists: (job: BackgroundJob, notices: NoticeWriter.Summary), summary: inout Summary
    ) throws {
        let files = ReviewFiles(connection: connection, runID: run.id)
        var changes: [[String]]?
        if let previousRunID {
            let diff = try output.stream("diff.csv") { try files.diff(previousRunID: previousRunID, into: $0) }
            summary.changes = diff.count
            changes = diff.rows
        }
        // The finance report: report.html and the summary-*.csv files.
        let report = FinanceReport(
            month: run.month, reviewNumber: run.number, businessDate: options.asOf, window: summary.window,
            figures: figures, decisionsFile: (decisions.rows, decisions.payable), quarantined: summary.quarantined,
            changes: changes,
            warnings: YearlyUpkeep.warnings(policies, asOf: options.asOf, configuration: configuration))
        try output.write("report.html", text: report.html())
        for (name, document) in report.summaryCSVs() { try output.write(name, document.bytes) }
        let accepted = summary.byStatus[.accepted] ?? (0, .zero, .zero)
        var counts: [String: Int] = [
            "lines": summary.linesRead, "quarantined": summary.quarantined, "decisions": summary.decisions,
        ]
        for status in DecisionStatus.allCases { counts[status.rawValue] = summary.byStatus[status]?.count ?? 0 }
        // Made, listed and stored with the decisions (the publicity list is written by the
        // reader's job).
        try lists.job.wait()
        let notices = lists.notices
        try workbook.wait()
        counts["notices"] = notices.produced
        counts["notices_without_mobile"] = notices.withoutMobile
        let manifest = Manifest(
            batch: run.month, runNumber: run.number, kind: previousRunID == nil ? "review" : "rerun",
            businessDate: options.asOf, policyHash: policies.hash, inputs: inputs, counts: counts,
            totals: [
                "payable": accepted.payable, "requested_accepted": accepted.requested, "entitled": summary.entitled,
            ],
            extra: [
                "publicity_first_day": summary.window.firstDay.description,
                "publicity_last_day": summary.window.lastDay.description,
            ].merging(options.rerunReason.map { ["reason": $0] } ?? [:]) { $1 })
        try output.write("manifest.json", text: manifest.json(files: output.files))
    }
}
