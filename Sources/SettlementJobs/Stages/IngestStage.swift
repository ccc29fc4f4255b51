import Foundation
import Logging
import SettlementCore
import SettlementDigest
import SettlementStore

/// `settle ingest`: loads one month's bundle so that every line can be traced to its file and line.
public struct IngestStage {
    public struct Options: Sendable {
        public var bundleDirectory: String
        public var encoding: BundleEncoding
        public var verifyAttachments: Bool
        /// Set by `rerun --bundle`: a reviewed month may then take a new bundle.
        public var allowReviewedMonth: Bool
        /// `--allow-empty`: a `redemptions.jsonl` without a single request line is a quiet month, not
        /// a failed export.
        public var allowEmpty = false

        public init(bundleDirectory: String, encoding: BundleEncoding = .utf8, verifyAttachments: Bool = false) {
            self.bundleDirectory = bundleDirectory
            self.encoding = encoding
            self.verifyAttachments = verifyAttachments
            self.allowReviewedMonth = false
        }
    }

    /// What an ingest did, for the terminal and the logs.
    public struct Summary: Sendable {
        public var month: BatchMonth
        public var bundleID: Int64
        public var alreadyIngested = false
        public var replacedBundle = false
        public var linesRead = 0
        public var linesKept = 0
        public var quarantined: [QuarantineReason: Int] = [:]
        public var rosterRows = 0
        public var rosterDefects: [RowDefect] = []
        public var providerRows = 0
        public var providerDefects: [RowDefect] = []
        public var attachmentMismatches = 0

        public var linesQuarantined: Int { quarantined.values.reduce(0, +) }

        /// The conservation line: lines read = kept + quarantined.
        public var conservationLine: String {
            let parts = QuarantineReason.allCases.compactMap { reason in
                quarantined[reason].map { "\(reason.rawValue) \($0)" }
            }
            let detail = parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
            return
                "redemptions.jsonl: \(linesRead) lines read = \(linesKept) kept + \(linesQuarantined) quarantined\(detail)"
        }

        public var text: String {
            if alreadyIngested { return "bundle \(month) is already ingested with the same files: nothing to do" }
            var lines = [
                "ingested bundle \(month)" + (replacedBundle ? " (replacing the earlier bundle of this month)" : ""),
                conservationLine,
                "vouchers.csv: \(rosterRows) rows, \(rosterDefects.count) quarantined",
            ]
            for defect in rosterDefects {
                lines.append("  vouchers.csv line \(defect.line) [\(defect.key)]: \(defect.detail)")
            }
            lines.append("providers.csv: \(providerRows) rows, \(providerDefects.count) quarantined")
            for defect in providerDefects {
                lines.append("  providers.csv line \(defect.line) [\(defect.key)]: \(defect.detail)")
            }
            if attachmentMismatches > 0 {
                lines.append(
                    "attachments: \(attachmentMismatches) requests with files that do not match their descriptors")
            }
            return lines.joined(separator: "\n")
        }
    }

    static let requiredFiles = ["vouchers.csv", "providers.csv", "redemptions.jsonl"]

    let connection: Connection
    let logger: Logger

    public init(connection: Connection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    public func run(_ options: Options) throws -> Summary {
        let directory = (options.bundleDirectory as NSString).standardizingPath
        let name = (directory as NSString).lastPathComponent
        guard let month = BatchMonth(name) else {
            throw SettleError.inputRefused("\(directory): a bundle directory must be named YYYY-MM (its batch month)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SettleError.inputRefused("\(directory): no such bundle directory")
        }
        for file in IngestStage.requiredFiles {
            guard FileManager.default.fileExists(atPath: directory + "/" + file) else {
                throw SettleError.inputRefused("\(directory): required file \(file) is missing")
            }
            // A link, a FIFO or a device is refused here, before anything is recorded (the files
            // are read later, on two threads).
            let handle = try IngestStage.openInput(directory + "/" + file)
            try? handle.close()
        }
        if !options.allowEmpty, try !IngestStage.hasContent(directory + "/redemptions.jsonl") {
            throw SettleError.inputRefused(
                "\(directory)/redemptions.jsonl is empty: a failed export looks like a quiet month, so the bundle is "
                    + "refused; if the month really had no request, ingest it with --allow-empty")
        }
        let hashing = BundleFileHashes(directory: directory)
        defer { _ = try? hashing.value() }

        let recorder = RunRecorder(connection: connection)
        try recorder.lock(month)
        defer { recorder.unlock(month) }
        try recorder.abandonStaleRuns(month)

        let current = try BundleStore(connection: connection).current(month: month)
        if let current,
            current.fingerprint == BundleFileHashes.fingerprint(try hashing.value(), encoding: options.encoding)
        {
            return Summary(month: month, bundleID: current.id, alreadyIngested: true)
        }
        if !options.allowReviewedMonth {
            if let reviewed = try DecisionStore(connection: connection).latestReviewedMonth(from: month) {
                throw SettleError.refused(
                    reviewed == month.description
                        ? "batch \(month) is already reviewed: a changed bundle goes through `settle rerun --month \(month) --bundle DIR --reason …`"
                        : "batch \(reviewed) is already reviewed: a bundle for the earlier month \(month) would change the allocation order after the fact; use `settle rerun`"
                )
            }
        }

        // The inputs are recorded once hashed (`load`).
        let run = try recorder.begin(
            .ingest, month: month, businessDate: nil, policyHash: nil, inputs: [:], reason: nil)
        var log = logger
        log[metadataKey: "run"] = "\(run.id)"
        log.info("ingesting \(directory)", metadata: ["month": "\(month)", "encoding": "\(options.encoding.rawValue)"])
        do {
            let summary = try connection.transaction {
                try load(
                    directory: directory, month: month, hashing: hashing, options: options, run: run,
                    replacing: current?.id)
            }
            log.info("\(summary.conservationLine)")
            // Once committed, in a statement of its own (ANALYZE holds its lock only that long, so
            // no other run waits for this one): the planner's statistics of the rows written, for
            // the review that may follow at once. The ingest stands without them.
            do {
                try BundleStore(connection: connection).refreshStatistics()
            } catch {
                log.warning("the planner's statistics of the bundle were not refreshed: \(error)")
            }
            return summary
        } catch let refusal as InputRefusal {
            recorder.fail(run, refusal, inputs: (try? hashing.value())?.mapValues(\.sha256))
            throw SettleError.inputRefused(refusal.description)
        } catch {
            recorder.fail(run, error, inputs: (try? hashing.value())?.mapValues(\.sha256))
            throw error
        }
    }

    func load(
        directory: String, month: BatchMonth, hashing: BundleFileHashes, options: Options, run: RunRecord,
        replacing previous: Int64?
    ) throws -> Summary {
        let bundles = BundleStore(connection: connection)
        let bundleID = try bundles.add(
            month: month, runID: run.id, directory: directory, encoding: options.encoding.rawValue,
            verifyAttachments: options.verifyAttachments, replacing: previous)
        var summary = Summary(month: month, bundleID: bundleID, replacedBundle: previous != nil)
        let roster = RosterLoader(connection: connection, bundleID: bundleID, encoding: options.encoding)
        let vouchers = try roster.loadVouchers(path: directory + "/vouchers.csv")
        summary.rosterRows = vouchers.rows
        summary.rosterDefects = vouchers.defects
        let providers = try roster.loadProviders(path: directory + "/providers.csv")
        summary.providerRows = providers.rows
        summary.providerDefects = providers.defects

        let requests = RequestLineLoader(
            connection: connection, bundleID: bundleID, month: month, encoding: options.encoding,
            verifier: options.verifyAttachments ? AttachmentVerifier(bundleDirectory: directory) : nil,
            progress: ProgressReporter(label: "redemptions.jsonl"))
        let loaded = try requests.load(path: directory + "/redemptions.jsonl")
        summary.linesRead = loaded.lines
        summary.attachmentMismatches = loaded.attachmentMismatches
        if loaded.malformed > 0 { summary.quarantined[.malformed] = loaded.malformed }
        if loaded.wrongBatch > 0 { summary.quarantined[.wrongBatch] = loaded.wrongBatch }
        try TriageRunner.run(connection, bundleID: bundleID, month: month) { results in
            for result in results {
                switch result.disposition {
                case .kept: summary.linesKept += 1
                case .quarantined(let reason, _): summary.quarantined[reason, default: 0] += 1
                }
            }
        }
        guard summary.linesKept + summary.linesQuarantined == summary.linesRead else {
            throw SettleError(
                .unexpected,
                "lines do not add up: \(summary.linesRead) read, \(summary.linesKept) kept, \(summary.linesQuarantined) quarantined"
            )
        }
        try bundles.setCounts(
            bundleID: bundleID, read: summary.linesRead, kept: summary.linesKept, quarantined: summary.linesQuarantined)
        let hashes = try hashing.value()
        try bundles.recordFiles(
            bundleID: bundleID, fingerprint: BundleFileHashes.fingerprint(hashes, encoding: options.encoding),
            files: hashes.keys.sorted().compactMap { name in hashes[name].map { (name, $0.sha256, $0.bytes) } })
        try RunRecorder(connection: connection).recordInputs(run, hashes.mapValues(\.sha256))
        try AuditStore(connection: connection).append(
            action: Stage.ingest.rawValue, month: month.description, runID: run.id,
            operatorName: RunRecorder.operatorName, businessDate: "",
            content: AuditContent.text(
                stage: "ingest", reason: nil, policyHash: nil, inputs: hashes.mapValues(\.sha256), outputs: [:],
                outputDirectory: nil, summary: summary.conservationLine))
        try RunRecorder(connection: connection).commit(run, summary: summary.conservationLine)
        return summary
    }

    struct FileHash: Sendable {
        let sha256: String
        let bytes: Int64
    }

    /// Whether a file has a byte other than a byte order mark or white space (read until one is found).
    static func hasContent(_ path: String) throws -> Bool {
        let handle = try IngestStage.openInput(path)
        defer { try? handle.close() }
        var first = true
        while let data = try handle.read(upToCount: 1 << 16), !data.isEmpty {
            var bytes = [UInt8](data)
            if first, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            first = false
            if bytes.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) { return true }
        }
        return false
    }

    /// An input file opened for reading, or refused (exit 3) when it is a link, a FIFO, a device.
    static func openInput(_ path: String) throws -> FileHandle {
        switch SafeFile.openInput(path) {
        case .success(let handle): return handle
        case .failure(let error): throw SettleError.inputRefused("\(path) \(error.description)")
        }
    }

    static func hash(path: String) throws -> FileHash {
        let handle = try IngestStage.openInput(path)
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
            data.withUnsafeBytes { hasher.update($0) }
            bytes += Int64(data.count)
        }
        return FileHash(sha256: hasher.finalizeHex(), bytes: bytes)
    }
}
