import Foundation
import Logging
import SettlementCore
import SettlementStore

/// `settle disburse`: once a batch's publicity has closed, applies the objections, turns the
/// remaining reservations into payments in the ledger and writes `payment-<NN>/`: the GBK batch
/// files, `pain001.xml`, the report and the manifest. Nothing is ever paid twice.
public struct DisburseStage: ContextualStage {
    public struct Options: Sendable {
        public var month: BatchMonth
        public var asOf: CivilDate
        public var out: String
        public var dryRun = false
        /// An objections file handed over directly (else `<bundle>/objections.csv` if present).
        public var objections: String?
        /// A schema the bank supplied (else the configuration's `bank.xsd`).
        public var xsd: String?

        public init(month: BatchMonth, asOf: CivilDate, out: String) {
            self.month = month
            self.asOf = asOf
            self.out = out
        }
    }

    public struct Summary: Sendable {
        public var month: BatchMonth
        public var paymentNumber: Int
        public var dryRun: Bool
        public var outputDirectory = ""
        public var payments = 0
        public var total = Fen.zero
        public var files: [String] = []
        public var withdrawn: [String] = []
        public var held: [String] = []
        public var blocked: [String] = []
        public var ignoredObjections: [String] = []

        public var text: String {
            var lines = [
                (dryRun ? "[dry run, nothing saved] " : "")
                    + "disbursement \(paymentNumber) of batch \(month): \(payments) payments, total \(total.yuanText)"
            ]
            if files.count > 4 {
                lines.append(
                    "  files: \(files[0]) … \(files[files.count - 2]) (\(files.count - 1) batch files), \(files[files.count - 1])"
                )
            } else if !files.isEmpty {
                lines.append("  files: " + files.joined(separator: ", "))
            }
            if !withdrawn.isEmpty {
                lines.append("  withdrawn (objection upheld): " + withdrawn.joined(separator: ", "))
            }
            if !held.isEmpty {
                lines.append("  held (objection pending, still reserved): " + held.joined(separator: ", "))
            }
            for entry in blocked { lines.append("  not paid, still reserved: " + entry) }
            for entry in ignoredObjections { lines.append("  objection ignored: " + entry) }
            lines.append("  outputs: \(outputDirectory)")
            if !dryRun && payments > 0 {
                lines.append(
                    "  prepared (待复核): a second person releases it with `settle approve --month \(month) "
                        + "--payment \(paymentNumber) --by NAME`, or voids it with `settle reject …`")
            }
            return lines.joined(separator: "\n")
        }
    }

    let context: StageContext

    public init(_ context: StageContext) { self.context = context }

    public func run(_ options: Options) throws -> Summary {
        let month = options.month
        if let problem = configuration.payerProblem() {
            throw SettleError.usage("the paying account is not configured: \(problem) (see Jobs/settlement.toml)")
        }
        let recorder = RunRecorder(connection: connection)
        try recorder.lock(month)
        defer { recorder.unlock(month) }
        try recorder.abandonStaleRuns(month)

        guard let review = try DisbursementStore(connection: connection).currentReview(month: month) else {
            throw SettleError.refused("batch \(month) has not been reviewed: nothing to disburse")
        }
        let lastDay = review.publicityLastDay
        guard options.asOf > lastDay else {
            throw SettleError.refused(
                "the publicity of batch \(month) closes on \(lastDay): it can be disbursed from \(lastDay.adding(days: 1))"
            )
        }
        let encoding = BundleEncoding(name: review.bundleEncoding) ?? .utf8
        let objectionsPath = options.objections ?? (review.bundleDirectory + "/objections.csv")
        // Anything at the path is read (and a link, even a dangling one, refused): an objection
        // file that cannot be read could be one that holds a payment back.
        let objections =
            SafeFile.isPresent(objectionsPath)
            ? try ObjectionList.load(path: objectionsPath, encoding: encoding) : ObjectionList.none

        var inputs = ["review_run": String(review.runID)]
        if let sha = objections.sha256 { inputs["objections.csv"] = sha }
        for action in try OutputRecovery.recover(connection, out: options.out, month: month) {
            logger.warning("\(action)")
        }
        // A refusal ("nothing new") rolls back with its run row: it leaves no trace.
        let identity = StagedRun.Identity(
            stage: .disburse, month: month, businessDate: options.asOf, policyHash: policies.hash, inputs: inputs,
            reason: nil)
        let result = try StagedRun(connection: connection, recorder: recorder).perform(
            identity, out: options.out, dryRun: options.dryRun,
            summary: { (summary: Summary) in "\(summary.payments) payments, \(summary.total.yuanText)" }
        ) { run, directory in
            var log = logger
            log[metadataKey: "run"] = "\(run.id)"
            return try Disbursement(
                connection: connection, configuration: configuration, run: run, reviewRunID: review.runID,
                reviewNumber: review.reviewNumber, policyHash: policies.hash, options: options,
                objections: objections, output: directory, logger: log
            ).perform()
        }
        var summary = result.value
        summary.outputDirectory = result.outputs
        return summary
    }
}
