import Foundation
import Logging
import SettlementCore
import SettlementStore

/// `settle reconcile FILE`: applies a bank result file (`BankResultFile`). A paid line is recorded;
/// a returned line puts the amount back as owed (a `return` entry), so that the next disbursement
/// pays it again once the account is corrected — as far as the current decision still owes it.
///
/// The file is streamed into the store and checked whole before anything is applied:
/// - a line that cannot be read, names no payment of this system, or names a payment another line
///   names too refuses the file (exit 3), every such line listed;
/// - a line that contradicts an answer recorded before for the same payment (成功 after 退回, or the
///   reverse), or names a disputed payment, refuses the file (exit 3) and marks the payment
///   *disputed*: nothing repays it until `settle resolve` settles it.
/// Each line names its batch through its payment id; every batch of the file is locked, then
/// applied in a run of its own (`reconcile-NN/`). A file already applied to a batch changes
/// nothing there again; the check is made under the batch's lock.
public struct ReconcileStage {
    public struct Options: Sendable {
        public var file: String
        public var out: String
        /// A schema to validate a pain.002 report against (`--xsd`).
        public var xsd: String?

        public init(file: String, out: String, xsd: String? = nil) {
            self.file = file
            self.out = out
            self.xsd = xsd
        }
    }

    public struct Summary: Sendable {
        public var file: String
        public var alreadyApplied = false
        public var paid = 0
        public var returned = 0
        public var returnedTotal = Fen.zero
        /// Answers that repeat what was recorded before (nothing changed for them).
        public var repeated = 0
        public var notes: [String] = []
        public var outputDirectories: [String] = []

        public var text: String {
            if alreadyApplied { return "\(file) was already applied: nothing to do" }
            var lines = [
                "bank results \(file): \(paid) paid, \(returned) returned (\(returnedTotal.yuanText) owed again)"
                    + (repeated > 0 ? ", \(repeated) already recorded" : "")
            ]
            lines += notes.map { "  " + $0 }
            lines += outputDirectories.map { "  outputs: " + $0 }
            return lines.joined(separator: "\n")
        }
    }

    /// How many bad or conflicting lines a refusal names.
    static let listedLines = 200

    let connection: Connection
    let configuration: SettleConfiguration
    let logger: Logger

    public init(connection: Connection, configuration: SettleConfiguration, logger: Logger) {
        self.connection = connection
        self.configuration = configuration
        self.logger = logger
    }

    public func run(_ options: Options) throws -> Summary {
        var summary = Summary(file: options.file)
        let name = (options.file as NSString).lastPathComponent
        let store = BankAnswerStore(connection: connection)
        let staged: Int
        if Pain002File.isXML(options.file) {
            let report = try Pain002File(path: options.file).stage(into: store, schema: options.xsd)
            summary.notes += report.notFinal.map { "not applied: " + $0 }
            staged = try store.stagedCount()
        } else {
            staged = try BankResultFile(path: options.file).stage(into: store)
        }
        let hash = try IngestStage.hash(path: options.file).sha256
        if staged == 0 && !summary.notes.isEmpty { return summary }
        guard staged > 0 else { throw SettleError.inputRefused("\(options.file) has no result lines") }
        let bad = try store.badLines(limit: ReconcileStage.listedLines)
        guard bad.total == 0 else {
            throw SettleError.inputRefused(
                "\(options.file): \(bad.total) of \(staged) lines cannot be applied; nothing was applied:\n"
                    + bad.lines.map { "  line \($0.line): \($0.problem)" }.joined(separator: "\n")
                    + (bad.total > bad.lines.count ? "\n  … and \(bad.total - bad.lines.count) more" : ""))
        }
        // Answers for files that were never released: the two-key release was bypassed somewhere.
        for batch in try store.unreleasedBatches() {
            let note =
                "\(batch.lines) answers name payments of \(batch.month) payment-"
                + BatchPaymentFile.pad(batch.paymentNumber, 2) + ", which was never released (still 待复核): the "
                + "bank should not have had its files before `settle approve`; applied as the bank answered"
            logger.critical("\(note)")
            summary.notes.append(note)
        }
        let months = try store.months()
        let recorder = RunRecorder(connection: connection)
        var locked: [BatchMonth] = []
        defer { for month in locked { recorder.unlock(month) } }
        for month in months {
            try recorder.lock(month)
            locked.append(month)
            try recorder.abandonStaleRuns(month)
        }
        let applied = try store.appliedMonths(fileSHA256: hash)
        let pending = months.filter { !applied.contains($0) }
        guard !pending.isEmpty else {
            summary.alreadyApplied = true
            return summary
        }
        let conflicts = try store.conflicts()
        guard conflicts.isEmpty else {
            try connection.transaction { try store.openDisputes(conflicts, fileSHA256: hash, fileName: name) }
            let listed = conflicts.prefix(ReconcileStage.listedLines).map { conflict in
                conflict.alreadyDisputed
                    ? "  line \(conflict.line): \(conflict.endToEndID) is disputed; settle it with `settle resolve`"
                    : "  line \(conflict.line): \(conflict.endToEndID) says \(conflict.claimed.rawValue) but the bank "
                        + "said \(conflict.recorded.rawValue) before; it is now disputed and nothing repays it until "
                        + "`settle resolve --payment-id \(conflict.endToEndID)` settles it"
            }
            throw SettleError.inputRefused(
                "\(options.file): \(conflicts.count) lines contradict earlier bank answers; nothing was applied:\n"
                    + listed.joined(separator: "\n"))
        }
        for month in pending {
            let identity = StagedRun.Identity(
                stage: .reconcile, month: month, businessDate: nil, policyHash: nil, inputs: [name: hash], reason: nil)
            let result = try StagedRun(connection: connection, recorder: recorder).perform(
                identity, out: options.out, dryRun: false,
                summary: { (summary: Summary) in "\(summary.paid) paid, \(summary.returned) returned" }
            ) { run, directory in
                try apply(store, month: month, run: run, hash: hash, fileName: name, directory: directory, summary)
            }
            summary = result.value
            summary.outputDirectories.append(result.outputs)
        }
        return summary
    }

    func apply(
        _ store: BankAnswerStore, month: BatchMonth, run: RunRecord, hash: String, fileName: String,
        directory: OutputDirectory, _ start: Summary
    ) throws -> Summary {
        var summary = start
        let returnedRequests = try store.apply(month: month, runID: run.id, fileSHA256: hash)
        let notes = try OwedItemSettlement.settle(
            connection, month: month, requestIDs: returnedRequests, runID: run.id)
        summary.notes += notes
        var counts = (paid: 0, returned: 0, repeated: 0, returnedTotal: Fen.zero)
        try directory.stream("results.csv", private: true) { file in
            var document = try CSVStream(
                file: file, header: ["line", "end_to_end_id", "request_id", "amount", "status", "detail", "recorded"])
            try store.forEachApplied(month: month, runID: run.id) { line in
                if line.alreadyRecorded {
                    counts.repeated += 1
                } else if line.status == .paid {
                    counts.paid += 1
                } else {
                    counts.returned += 1
                    counts.returnedTotal = counts.returnedTotal.adding(line.amount) ?? counts.returnedTotal
                }
                try document.append([
                    String(line.line), line.endToEndID, line.requestID, line.amount.yuanText, line.status.rawValue,
                    line.detail, line.alreadyRecorded ? "already recorded" : "now",
                ])
            }
        }
        summary.paid += counts.paid
        summary.returned += counts.returned
        summary.repeated += counts.repeated
        summary.returnedTotal = summary.returnedTotal.adding(counts.returnedTotal) ?? summary.returnedTotal
        var extra: [String: String] = [:]
        for (index, note) in notes.enumerated() { extra["note \(index + 1)"] = note }
        extra["notices"] = try NoticeWriter(connection: connection, templates: configuration.noticeTemplates).money(
            runID: run.id, month: month, date: nil, output: directory
        ).manifestLine
        let manifest = Manifest(
            batch: month, runNumber: run.number, kind: "reconcile", businessDate: nil,
            policyHash: "", inputs: [fileName: hash],
            counts: ["paid": counts.paid, "returned": counts.returned, "already_recorded": counts.repeated],
            totals: ["returned": counts.returnedTotal], extra: extra)
        try directory.write("manifest.json", text: manifest.json(files: directory.files))
        return summary
    }
}
