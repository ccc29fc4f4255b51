import Foundation
import Logging
import SettlementCore
import SettlementStore

/// `settle cycle`, the cron entry: as of a business date, ingest the bundles not yet ingested,
/// review every ended month not yet reviewed, disburse every reviewed batch whose publicity has
/// closed, and apply bank result files found. Running it twice does nothing new the second time.
/// Work that can go on does go on; the exit code is the worst outcome met.
public struct CycleStage: ContextualStage {
    public struct Options: Sendable {
        public var asOf: CivilDate
        public var inbox: String
        public var out: String
        public var dryRun = false
        public var encoding: BundleEncoding = .utf8
        public var verifyAttachments = false
        public var allowEmpty = false

        public init(asOf: CivilDate, inbox: String, out: String) {
            self.asOf = asOf
            self.inbox = inbox
            self.out = out
        }
    }

    public struct Summary: Sendable {
        public var actions: [String] = []
        public var problems: [String] = []
        /// Yearly data the next 90 days need and that is missing (not an error: exit 0).
        public var warnings: [String] = []
        /// The worst exit code met (0 when everything due was done).
        public var exitCode: Int32 = 0

        mutating func record(_ error: Error, doing: String) {
            let (code, message): (Int32, String) =
                switch error {
                case let settle as SettleError: (settle.exitCode, settle.message)
                default: (1, "\(error)")
                }
            problems.append("\(doing): \(message)")
            exitCode = max(exitCode, code)
        }

        public var text: String {
            var lines = actions.isEmpty ? ["nothing was due"] : actions
            lines += problems.map { "problem: " + $0 }
            lines += warnings.map { "warning: " + $0 }
            return lines.joined(separator: "\n")
        }
    }

    static let cycleLock: Int64 = 7_300_000_000

    let context: StageContext

    public init(_ context: StageContext) { self.context = context }

    public func run(_ options: Options) throws -> Summary {
        guard
            try connection.tryAdvisoryLock(CycleStage.cycleLock)
                || (try LockHolder.endIfDead(connection, key: CycleStage.cycleLock))
        else {
            throw SettleError(
                .lockHeld,
                "another cycle is running (server process \(try connection.advisoryLockHolder(CycleStage.cycleLock) ?? 0))"
            )
        }
        defer { _ = try? connection.releaseAdvisoryLock(CycleStage.cycleLock) }
        var summary = Summary()
        summary.warnings =
            YearlyUpkeep.warnings(policies, asOf: options.asOf, configuration: configuration)
            + (try ReleaseReminder.warnings(connection, asOf: options.asOf, configuration: configuration))
        for warning in summary.warnings { logger.warning("\(warning)") }
        try ingest(options, &summary)
        try review(options, &summary)
        try disburse(options, &summary)
        try reconcile(options, &summary)
        return summary
    }

    /// Bundle directories of the inbox, by month.
    func bundles(_ inbox: String) -> [(BatchMonth, String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: inbox)) ?? []
        return names.compactMap { name in BatchMonth(name).map { ($0, inbox + "/" + name) } }.sorted { $0.0 < $1.0 }
    }

    func ingest(_ options: Options, _ summary: inout Summary) throws {
        guard FileManager.default.fileExists(atPath: options.inbox) else {
            summary.record(SettleError.inputRefused("the inbox \(options.inbox) does not exist"), doing: "inbox")
            return
        }
        for (month, directory) in bundles(options.inbox) {
            if options.dryRun {
                let fingerprintKnown = try BundleStore(connection: connection).isCurrent(
                    month: month, directory: directory)
                if !fingerprintKnown { summary.actions.append("would ingest \(directory)") }
                continue
            }
            do {
                var stage = IngestStage.Options(bundleDirectory: directory, encoding: options.encoding)
                stage.verifyAttachments = options.verifyAttachments
                stage.allowEmpty = options.allowEmpty
                let result = try IngestStage(connection: connection, logger: logger).run(stage)
                if !result.alreadyIngested { summary.actions.append("ingested \(month): \(result.conservationLine)") }
            } catch {
                summary.record(error, doing: "ingest \(month)")
            }
        }
    }

    func review(_ options: Options, _ summary: inout Summary) throws {
        let due = try BundleStore(connection: connection).monthsAwaitingReview().filter { $0.lastDay < options.asOf }
        for month in due {
            do {
                var stage = ReviewStage.Options(month: month, asOf: options.asOf, out: options.out)
                stage.dryRun = options.dryRun
                let result = try ReviewStage(context).run(stage)
                summary.actions.append(result.text)
            } catch {
                summary.record(error, doing: "review \(month)")
            }
        }
    }

    func disburse(_ options: Options, _ summary: inout Summary) throws {
        let due = try DisbursementStore(connection: connection).monthsDue(asOf: options.asOf)
        for month in due {
            do {
                var stage = DisburseStage.Options(month: month, asOf: options.asOf, out: options.out)
                stage.dryRun = options.dryRun
                let result = try DisburseStage(context).run(stage)
                summary.actions.append(result.text)
            } catch let error as SettleError where error.cause == .nothingNew {
                continue
            } catch {
                summary.record(error, doing: "disburse \(month)")
            }
        }
    }

    func reconcile(_ options: Options, _ summary: inout Summary) throws {
        let directory = options.inbox + "/bank-results"
        // CSV result files and pain.002 status reports (`ReconcileStage` tells them apart), by name.
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
            let name = $0.lowercased()
            return name.hasSuffix(".csv") || name.hasSuffix(".xml")
        }.sorted { $0.bytesPrecede($1) }
        for name in names {
            let path = directory + "/" + name
            do {
                if options.dryRun {
                    summary.actions.append("would apply bank results \(path) (unless applied already)")
                    continue
                }
                let result = try ReconcileStage(connection: connection, configuration: configuration, logger: logger)
                    .run(ReconcileStage.Options(file: path, out: options.out))
                if !result.alreadyApplied { summary.actions.append(result.text) }
            } catch {
                summary.record(error, doing: "reconcile \(name)")
            }
        }
    }
}
