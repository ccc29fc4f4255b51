import Foundation
import Logging
import SettlementCore
import SettlementStore

/// `settle resolve --payment-id ID --paid|--returned --reason TEXT --by NAME`: settles by hand a
/// payment whose bank answers contradict each other (recorded with who and why, in a run of its
/// own, `resolve-NN/`).
/// - `--paid`: the money arrived. A return recorded for it is reversed (a `reinstatement`); if the
///   returned amount had already been paid again, the second payment is an overpayment to recover.
/// - `--returned`: the money came back. A return is recorded if none was.
/// Then the item owes what its current decision still owes (`OwedItemSettlement`).
public struct ResolveStage {
    public struct Options: Sendable {
        public var paymentID: String
        public var resolution: BankAnswerStore.Status
        public var reason: String
        public var person: String
        public var out: String

        public init(paymentID: String, resolution: BankAnswerStore.Status, reason: String, person: String, out: String)
        {
            self.paymentID = paymentID
            self.resolution = resolution
            self.reason = reason
            self.person = person
            self.out = out
        }
    }

    public struct Summary: Sendable {
        public var paymentID: String
        public var actions: [String] = []
        public var outputDirectory = ""

        public var text: String {
            (["payment \(paymentID): dispute settled"] + actions.map { "  " + $0 }
                + (outputDirectory.isEmpty ? [] : ["  outputs: " + outputDirectory])).joined(separator: "\n")
        }
    }

    let connection: Connection
    let logger: Logger

    public init(connection: Connection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    public func run(_ options: Options) throws -> Summary {
        let store = BankAnswerStore(connection: connection)
        guard let found = try store.payment(endToEndID: options.paymentID) else {
            throw SettleError.usage("no payment line has the id \(options.paymentID)")
        }
        guard !OperatorIdentity.folded(options.reason).isEmpty, !OperatorIdentity.folded(options.person).isEmpty
        else { throw SettleError.usage("--reason and --by must not be empty") }
        let recorder = RunRecorder(connection: connection)
        try recorder.lock(found.month)
        defer { recorder.unlock(found.month) }
        try recorder.abandonStaleRuns(found.month)
        // Read again under the lock.
        guard let payment = try store.payment(endToEndID: options.paymentID), let dispute = payment.openDispute else {
            throw SettleError.refused("payment \(options.paymentID) is not disputed: there is nothing to resolve")
        }
        let identity = StagedRun.Identity(
            stage: .resolve, month: payment.month, businessDate: nil, policyHash: nil, inputs: [:],
            reason: options.reason, operatorName: options.person)
        let result = try StagedRun(connection: connection, recorder: recorder).perform(
            identity, out: options.out, dryRun: false,
            summary: { (summary: Summary) in summary.actions.joined(separator: "; ") }
        ) { run, directory in
            var summary = Summary(paymentID: payment.endToEndID)
            let ledger = Ledger(connection: connection)
            guard
                let item = try OwedItemStore(connection: connection).item(
                    month: payment.month, requestID: payment.requestID)
            else {
                throw SettleError(.unexpected, "payment \(payment.endToEndID) has no ledger entries")
            }
            let note = "settled by \(options.person): \(options.reason)"
            switch (options.resolution, payment.returnEntry) {
            case (.paid, let returned?) where returned.live:
                try ledger.append(
                    item, kind: .reinstatement, amount: payment.amount, corrects: returned.id, note: note,
                    runID: run.id)
                summary.actions.append(
                    "the recorded return of \(payment.amount.yuanText) is reversed: the money arrived")
            case (.paid, _?):
                try ledger.append(
                    item, kind: .overpayment, amount: payment.amount, corrects: nil,
                    note: "paid after all, and paid again after the return: recover \(payment.amount.yuanText); "
                        + note,
                    runID: run.id)
                summary.actions.append(
                    "the money arrived and was paid again after the return: \(payment.amount.yuanText) to recover")
            case (.paid, nil):
                summary.actions.append("recorded as paid; nothing was owed for it")
            case (.returned, nil):
                try ledger.append(
                    item, kind: .return, amount: payment.amount, corrects: payment.ledgerEntry, note: note,
                    runID: run.id)
                summary.actions.append("recorded as returned: \(payment.amount.yuanText) is owed again")
            case (.returned, _?):
                summary.actions.append("recorded as returned; the return was already in the ledger")
            }
            try store.resolve(
                payment, as: options.resolution, by: options.person, reason: options.reason, runID: run.id)
            summary.actions += try OwedItemSettlement.settle(
                connection, month: payment.month, requestIDs: [payment.requestID], runID: run.id)
            let manifest = Manifest(
                batch: payment.month, runNumber: run.number, kind: "resolve", businessDate: nil, policyHash: "",
                inputs: [:], counts: [:], totals: ["amount": payment.amount],
                extra: [
                    "payment_id": payment.endToEndID, "first_answer": dispute.recorded.rawValue,
                    "contradicting_answer": dispute.claimed.rawValue, "resolution": options.resolution.rawValue,
                    "resolved_by": options.person, "reason": options.reason,
                    "actions": summary.actions.joined(separator: "; "),
                ])
            try directory.write("manifest.json", text: manifest.json(files: directory.files))
            return summary
        }
        var summary = result.value
        summary.outputDirectory = result.outputs
        return summary
    }
}
