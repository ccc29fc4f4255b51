import Foundation
import Logging
import SettlementCore
import SettlementStore

/// Two keys before money leaves (maker–checker): `settle disburse` *prepares* a payment batch
/// (`payment-NN/`, 待复核); `settle approve` by a second person checks that every file on disk still
/// has the SHA-256 recorded when it was written (and that no file was added or removed), then
/// *releases* it: copies it to `<out>/outbox/<YYYY-MM>-payment-NN/` for upload. `settle reject`
/// voids a prepared batch; its amounts are owed again and the next disbursement prepares them anew.
/// Both are recorded in the audit trail.
public struct ReleaseStage {
    public struct Options: Sendable {
        public var month: BatchMonth
        public var paymentNumber: Int
        public var person: String
        public var note: String?
        public var out: String

        public init(month: BatchMonth, paymentNumber: Int, person: String, note: String?, out: String) {
            self.month = month
            self.paymentNumber = paymentNumber
            self.person = person
            self.note = note
            self.out = out
        }
    }

    public struct Summary: Sendable {
        public var text: String
        public var outbox: String?
    }

    let connection: Connection
    let configuration: SettleConfiguration
    let logger: Logger

    public init(connection: Connection, configuration: SettleConfiguration, logger: Logger) {
        self.connection = connection
        self.configuration = configuration
        self.logger = logger
    }

    func preparedBatch(_ options: Options, recorder: RunRecorder) throws -> ReleaseStore.Batch {
        guard !OperatorIdentity.folded(options.person).isEmpty else {
            throw SettleError.usage("--by NAME is required: who decides")
        }
        try recorder.lock(options.month)
        try recorder.abandonStaleRuns(options.month)
        let name = "payment-" + BatchPaymentFile.pad(options.paymentNumber, 2)
        guard
            let batch = try ReleaseStore(connection: connection).batch(
                month: options.month, paymentNumber: options.paymentNumber)
        else { throw SettleError.usage("batch \(options.month) has no \(name)") }
        guard batch.state == .prepared else {
            throw SettleError.refused(
                "\(options.month) \(name) is already \(batch.state.rawValue) by \(batch.decidedBy ?? "?")")
        }
        return batch
    }

    /// The files of the batch on disk, checked against what was recorded when they were written.
    func verifiedFiles(_ batch: ReleaseStore.Batch) throws -> (directory: String, names: [String]) {
        guard let directory = batch.outputDirectory else {
            throw SettleError(.unexpected, "payment run \(batch.runID) recorded no output directory")
        }
        let recorded = try AuditStore(connection: connection).files(runID: batch.runID)
        guard !recorded.isEmpty else {
            throw SettleError(.unexpected, "payment run \(batch.runID) recorded no files to check")
        }
        let problems = FileCheck.problems(directory: directory, expected: recorded)
        guard problems.isEmpty else {
            throw SettleError.refused(
                "\(directory) does not match what was written; nothing is released: " + problems.joined(separator: "; ")
            )
        }
        return (directory, recorded.map(\.name))
    }

    public func approve(_ options: Options) throws -> Summary {
        let recorder = RunRecorder(connection: connection)
        defer { recorder.unlock(options.month) }
        let batch = try preparedBatch(options, recorder: recorder)
        if OperatorIdentity.samePerson(batch.preparedBy, options.person) {
            guard configuration.singlePersonRelease else {
                throw SettleError.refused(
                    "\(options.person) prepared this batch and cannot also approve it: a second person must "
                        + "(or set [release] single_person = true for a test set-up)")
            }
            logger.critical(
                "ONE-PERSON RELEASE: \(options.person) prepared and approves \(options.month) payment \(batch.paymentNumber) ([release] single_person = true)"
            )
        }
        let files = try verifiedFiles(batch)
        let name = "\(options.month)-payment-" + BatchPaymentFile.pad(options.paymentNumber, 2)
        let outbox = options.out + "/outbox"
        try OutputDirectory.makeRealDirectory(outbox, createParents: true)
        let final = outbox + "/" + name
        var status = stat()
        guard lstat(final, &status) != 0 else { throw SettleError.refused("\(final) already exists") }
        // Like every run's outputs: staged under the run's id, renamed into place after the commit; a
        // process killed in between leaves work that the next command finishes (`OutputRecovery`).
        var staging: String?
        let run: RunRecord
        try connection.begin()
        do {
            run = try recorder.begin(
                .approve, month: options.month, businessDate: nil, policyHash: nil, inputs: [:],
                reason: options.note, operatorName: options.person, outputDirectory: final)
            let path = outbox + "/." + name + ".partial-\(run.id)"
            staging = path
            guard mkdir(path, 0o700) == 0 else { throw OutputError("cannot create \(path)") }
            for file in files.names {
                try FileCheck.copyPrivately(from: files.directory + "/" + file, to: path + "/" + file)
            }
            let copied = FileCheck.problems(
                directory: path, expected: try AuditStore(connection: connection).files(runID: batch.runID))
            guard copied.isEmpty else {
                throw OutputError("the outbox copy differs: " + copied.joined(separator: "; "))
            }
            try ReleaseStore(connection: connection).markReleased(
                batch, by: options.person, note: options.note, outbox: final)
            try AuditStore(connection: connection).append(
                action: "approve", month: options.month.description, runID: batch.runID,
                operatorName: options.person, businessDate: "",
                content: "approved payment-\(BatchPaymentFile.pad(batch.paymentNumber, 2)) prepared by "
                    + "\(batch.preparedBy): \(batch.payments) payments, \(batch.total.yuanText); files checked: "
                    + files.names.joined(separator: ", ") + "; released to \(final)"
                    + (options.note.map { "; note: \($0)" } ?? ""))
            try recorder.commit(run, summary: "released \(batch.payments) payments, \(batch.total.yuanText)")
            try connection.commit()
        } catch {
            connection.rollback()
            if let staging { try? FileManager.default.removeItem(atPath: staging) }
            throw error
        }
        FaultInjection.point("after-commit")
        guard let staged = staging, rename(staged, final) == 0 else { throw OutputError("cannot publish \(final)") }
        try PublicationStore(connection: connection).markPublished(runID: run.id)
        return Summary(
            text: "\(options.month) payment \(batch.paymentNumber) released by \(options.person) (prepared by "
                + "\(batch.preparedBy)): \(batch.payments) payments, \(batch.total.yuanText); files for the bank in \(final)",
            outbox: final)
    }

    public func reject(_ options: Options) throws -> Summary {
        let recorder = RunRecorder(connection: connection)
        defer { recorder.unlock(options.month) }
        let batch = try preparedBatch(options, recorder: recorder)
        guard let reason = options.note, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SettleError.usage("--reason is required: why the batch is rejected")
        }
        let (count, total) = try connection.transaction { () throws -> (Int, Fen) in
            let run = try recorder.begin(
                .reject, month: options.month, businessDate: nil, policyHash: nil, inputs: [:], reason: reason,
                operatorName: options.person)
            let voided = try ReleaseStore(connection: connection).reject(
                batch, by: options.person, reason: reason, runID: run.id)
            try AuditStore(connection: connection).append(
                action: "reject", month: options.month.description, runID: batch.runID, operatorName: options.person,
                businessDate: "",
                content: "rejected payment-\(BatchPaymentFile.pad(batch.paymentNumber, 2)) prepared by "
                    + "\(batch.preparedBy): \(voided.0) payments, \(voided.1.yuanText) owed again; reason: \(reason)")
            try recorder.commit(run, summary: "rejected; \(voided.0) payments owed again")
            return voided
        }
        return Summary(
            text: "\(options.month) payment \(batch.paymentNumber) rejected by \(options.person): \(count) payments, "
                + "\(total.yuanText) owed again; the next disbursement prepares them anew",
            outbox: nil)
    }
}

/// Files on disk against the hashes recorded when they were written.
enum FileCheck {
    /// What differs: a file missing, changed, or added to the directory.
    static func problems(directory: String, expected: [(name: String, sha256: String, bytes: Int64)]) -> [String] {
        var problems: [String] = []
        let present = Set(
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.hasPrefix(".") })
        for file in expected {
            let path = directory + "/" + file.name
            var status = stat()
            guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
                problems.append("\(file.name) is missing")
                continue
            }
            guard let hash = try? IngestStage.hash(path: path) else {
                problems.append("\(file.name) cannot be read")
                continue
            }
            if hash.sha256 != file.sha256 || hash.bytes != file.bytes {
                problems.append(
                    "\(file.name) was changed (SHA-256 \(hash.sha256.prefix(12))…, expected \(file.sha256.prefix(12))…)"
                )
            }
        }
        for extra in present.subtracting(expected.map(\.name)).sorted() {
            problems.append("\(extra) was added")
        }
        return problems
    }

    /// Copies a file in 1 MiB pieces (a pain001.xml of a million payments is 0.4 GB) into a new
    /// file of mode 0600.
    static func copyPrivately(from source: String, to target: String) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard input >= 0 else { throw OutputError("cannot read \(source)") }
        defer { close(input) }
        let output = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard output >= 0 else { throw OutputError("cannot create \(target)") }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw OutputError("cannot read \(source)") }
            if count == 0 { break }
            var done = 0
            while done < count {
                let written = buffer.withUnsafeBytes { write(output, $0.baseAddress.map { $0 + done }, count - done) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw OutputError("cannot write \(target)") }
                done += written
            }
        }
        guard fsync(output) == 0 else { throw OutputError("cannot write \(target)") }
    }
}
