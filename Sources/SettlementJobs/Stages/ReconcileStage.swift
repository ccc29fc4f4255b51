import Foundation
import Logging
import SettlementCore
import SettlementStore

/// `settle reconcile FILE`: applies a bank result file. A paid line is recorded; a returned line
/// puts the amount back as owed (a `return` entry in the ledger), so that the next disbursement
/// pays it again once the account is corrected. Applying the same file twice changes nothing.
///
/// The file is CSV (UTF-8, or GBK as banks often send) with a header naming at least the payment
/// id and its status: `企业流水号,状态,说明` or `end_to_end_id,status,detail`. Status `paid`,
/// `success`, `成功` is paid; `returned`, `failed`, `退回`, `失败` is returned.
public struct ReconcileStage {
    public struct Options: Sendable {
        public var file: String
        public var out: String

        public init(file: String, out: String) {
            self.file = file
            self.out = out
        }
    }

    public struct Summary: Sendable {
        public var file: String
        public var alreadyApplied = false
        public var paid = 0
        public var returned = 0
        public var returnedTotal = Fen.zero
        public var problems: [String] = []
        public var outputDirectory = ""

        public var text: String {
            if alreadyApplied { return "\(file) was already applied: nothing to do" }
            var lines = [
                "bank results \(file): \(paid) paid, \(returned) returned (\(returnedTotal.yuanText) owed again)"
            ]
            lines += problems.map { "  not applied: " + $0 }
            if !outputDirectory.isEmpty { lines.append("  outputs: \(outputDirectory)") }
            return lines.joined(separator: "\n")
        }
    }

    struct Row {
        var line: Int
        var id: String
        var paid: Bool
        var detail: String
    }

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
        let hash = try IngestStage.hash(path: options.file).sha256
        if try connection.query("SELECT 1 FROM bank_results WHERE file_sha256 = $1 LIMIT 1", [hash]).first != nil {
            summary.alreadyApplied = true
            return summary
        }
        let (rows, problems) = try read(options.file)
        summary.problems = problems
        guard let firstID = rows.first?.id,
            let month = try connection.query(
                "SELECT d.month FROM payment_lines p JOIN disbursements d ON d.run_id = p.run_id WHERE p.end_to_end_id = $1",
                [firstID]
            ).first.flatMap({ BatchMonth($0.string(0)) })
        else {
            throw SettleError.inputRefused("\(options.file): no line names a payment this system made")
        }
        let recorder = RunRecorder(connection: connection)
        try recorder.lock(month)
        defer { recorder.unlock(month) }
        try recorder.abandonStaleRuns(month)
        for action in try OutputRecovery.recover(connection, out: options.out, month: month) {
            logger.warning("\(action)")
        }
        let identity = StagedRun.Identity(
            stage: .reconcile, month: month, businessDate: nil, policyHash: nil,
            inputs: [(options.file as NSString).lastPathComponent: hash], reason: nil)
        let result = try StagedRun(connection: connection, recorder: recorder).perform(
            identity, out: options.out, dryRun: false,
            summary: { (summary: Summary) in "\(summary.paid) paid, \(summary.returned) returned" }
        ) { run, directory in
            try apply(
                rows, run: run, hash: hash, month: month, file: options.file, directory: directory, summary: summary)
        }
        summary = result.value
        summary.outputDirectory = result.outputs
        return summary
    }

    func apply(
        _ rows: [Row], run: RunRecord, hash: String, month: BatchMonth, file: String, directory: OutputDirectory,
        summary start: Summary
    ) throws -> Summary {
        var summary = start
        var results = CSVDocument(header: ["end_to_end_id", "request_id", "amount", "status", "detail"])
        for row in rows.sorted(by: { $0.line < $1.line }) {
            guard
                let payment = try connection.query(
                    """
                    SELECT p.ledger_entry, p.request_id, p.amount,
                           EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = p.ledger_entry)
                      FROM payment_lines p WHERE p.end_to_end_id = $1
                    """, [row.id]
                ).first
            else {
                summary.problems.append("line \(row.line): \(row.id) is not a payment of this system")
                continue
            }
            try connection.execute(
                "INSERT INTO bank_results (run_id, end_to_end_id, status, detail, file_sha256) VALUES ($1, $2, $3, $4, $5)",
                [String(run.id), row.id, row.paid ? "paid" : "returned", row.detail, hash])
            if !row.paid {
                if payment.bool(3) == true {
                    summary.problems.append("line \(row.line): \(row.id) was already returned")
                    continue
                }
                try connection.execute(
                    """
                    INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, corrects, note)
                    SELECT $1, account_id, month, request_id, revision, 'return', amount, id, $3
                      FROM ledger_entries WHERE id = $2
                    """, [String(run.id), payment.string(0), "returned by the bank: " + row.detail])
                summary.returned += 1
                summary.returnedTotal =
                    summary.returnedTotal.adding(Fen(payment.int64(2) ?? 0)) ?? summary.returnedTotal
            } else {
                summary.paid += 1
            }
            results.append([
                row.id, payment.string(1), Fen(payment.int64(2) ?? 0).yuanText, row.paid ? "paid" : "returned",
                row.detail,
            ])
        }
        try directory.write("results.csv", results.bytes, private: true)
        let manifest = Manifest(
            batch: month, runNumber: run.number, kind: "reconcile", businessDate: nil,
            policyHash: "", inputs: [(file as NSString).lastPathComponent: hash],
            counts: ["paid": summary.paid, "returned": summary.returned, "problems": summary.problems.count],
            totals: ["returned": summary.returnedTotal])
        try directory.write("manifest.json", text: manifest.json(files: directory.files))
        return summary
    }

    /// Reads the result file: UTF-8, else GB18030.
    func read(_ path: String) throws -> ([Row], [String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettleError.inputRefused("\(path) cannot be read")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var validator = UTF8Validator()
        let invalid = bytes.withUnsafeBytes { validator.feed($0, at: 0) } ?? validator.finish()
        if invalid != nil {
            guard let text = String(data: Data(bytes), encoding: BundleEncoding.foundationGB18030) else {
                throw SettleError.inputRefused("\(path) is neither UTF-8 nor GB18030")
            }
            bytes = Array(text.utf8)
        }
        var records: [CSVRecord] = []
        var parser = CSVParser()
        parser.feed(bytes) { records.append($0) }
        parser.finish { records.append($0) }
        guard let header = records.first?.fields else { throw SettleError.inputRefused("\(path) is empty") }
        let idColumn = header.firstIndex { ["企业流水号", "end_to_end_id", "EndToEndId"].contains($0) }
        let statusColumn = header.firstIndex { ["状态", "status"].contains($0) }
        let detailColumn = header.firstIndex { ["说明", "detail", "备注"].contains($0) }
        guard let idColumn, let statusColumn else {
            throw SettleError.inputRefused("\(path): the header must name 企业流水号/end_to_end_id and 状态/status")
        }
        var rows: [Row] = []
        var problems: [String] = []
        for record in records.dropFirst() {
            let cell = { (index: Int) in index < record.fields.count ? record.fields[index] : "" }
            let status = cell(statusColumn).lowercased()
            let paid = ["paid", "success", "成功"].contains(status)
            let returned = ["returned", "failed", "退回", "失败"].contains(status)
            guard paid || returned, !cell(idColumn).isEmpty else {
                problems.append("line \(record.line): status '\(cell(statusColumn))' or payment id not understood")
                continue
            }
            rows.append(Row(line: record.line, id: cell(idColumn), paid: paid, detail: detailColumn.map(cell) ?? ""))
        }
        return (rows, problems)
    }
}
