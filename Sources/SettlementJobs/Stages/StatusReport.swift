import Foundation
import SettlementCore
import SettlementFormats
import SettlementStore

/// `settle status`: where each batch stands — ingested, reviewed (publicity until …), disbursed,
/// reconciled — with counts and totals, and any run left unfinished.
public struct StatusReport {
    public typealias Batch = BatchStatusStore.BatchStatus

    public struct Run: Sendable {
        public var stage: String
        public var month: String
        public var number: Int
        public var outcome: String
        public var startedAt: String
        public var summary: String
    }

    public var batches: [Batch] = []
    public var unfinished: [Run] = []
    /// Committed runs whose outputs are not published (recovery could not finish them).
    public var unpublished: [PublicationStore.Unpublished] = []
    /// Payments whose bank answers contradict each other, waiting for `settle resolve`.
    public var disputes: [BankAnswerStore.OpenDispute] = []
    /// Yearly data the next 90 days need and that is missing (`YearlyUpkeep`).
    public var warnings: [String] = []

    public static func load(_ connection: Connection, month: BatchMonth?) throws -> StatusReport {
        var report = StatusReport()
        report.batches = try BatchStatusStore(connection: connection).batches(month: month)
        report.unfinished = try RunStore(connection: connection).unfinished(month: month).map {
            Run(
                stage: $0.stage, month: $0.month, number: $0.number, outcome: $0.outcome, startedAt: $0.startedAt,
                summary: $0.summary)
        }
        report.unpublished = try PublicationStore(connection: connection).unpublished(month: month)
        report.disputes = try BankAnswerStore(connection: connection).openDisputes().filter {
            month == nil || $0.month == month?.description
        }
        return report
    }

    public var text: String {
        var lines: [String] = warnings.map { "WARNING: " + $0 }
        guard !batches.isEmpty else { return (lines + ["no batch has been ingested yet"]).joined(separator: "\n") }
        for batch in batches {
            var line = "\(batch.month): "
            if let read = batch.linesRead {
                line +=
                    "ingested (\(read) lines = \(batch.linesKept ?? 0) kept + \(batch.linesQuarantined ?? 0) quarantined)"
            } else {
                line += "no current bundle"
            }
            lines.append(line)
            if let number = batch.reviewNumber {
                lines.append(
                    "  reviewed: review \(number) as of \(batch.businessDate ?? ""), publicity \(batch.publicityFirst ?? "") to \(batch.publicityLast ?? "")"
                        + " — accepted \(batch.accepted ?? 0), needs correction \(batch.needsCorrection ?? 0), rejected \(batch.rejected ?? 0),"
                        + " payable \(batch.payable?.yuanText ?? "0.00")")
            } else {
                lines.append("  not reviewed")
            }
            if batch.disbursements > 0 {
                lines.append(
                    "  disbursed: \(batch.disbursements) payment run(s); sent \(batch.paidCount) payments, gross "
                        + "\(batch.paidTotal.yuanText)"
                        + (batch.repaidCount > 0
                            ? " (of which \(batch.repaidCount) repaid, \(batch.repaidTotal.yuanText))" : "")
                        + (batch.returned > 0
                            ? "; returned by the bank \(batch.returned), \(batch.returnedTotal.yuanText)" : "")
                        + "; net reached the enterprises \(batch.netTotal.yuanText)"
                        + (batch.stillReserved > .zero ? "; still owed \(batch.stillReserved.yuanText)" : ""))
                if batch.awaitingRelease > 0 {
                    lines.append(
                        "  awaiting release (待复核): \(batch.awaitingRelease) payment batch(es), "
                            + "\(batch.awaitingPayments) payments, \(batch.awaitingTotal.yuanText) — counted above as sent, "
                            + "but nothing has left until a second person releases them (`settle approve`)")
                }
            }
        }
        for run in unfinished where run.outcome == "running" {
            lines.append("unfinished: \(run.stage) run \(run.number) of \(run.month), started \(run.startedAt)")
        }
        for run in unpublished {
            lines.append(
                "UNPUBLISHED: \(run.stage) run \(run.runID) of \(run.month) committed but its outputs are not at "
                    + run.outputDirectory)
        }
        for dispute in disputes {
            lines.append(
                "DISPUTED: payment \(dispute.endToEndID) (\(dispute.requestID), \(dispute.month)): the bank said "
                    + "\(dispute.recorded), then \(dispute.claimed) (\(dispute.fileName) line \(dispute.line)); nothing "
                    + "repays it until `settle resolve --payment-id \(dispute.endToEndID) --paid|--returned` settles it"
            )
        }
        let abandoned = unfinished.filter { $0.outcome == "abandoned" }
        if !abandoned.isEmpty {
            lines.append(
                "abandoned runs (rolled back): "
                    + abandoned.prefix(5).map { "\($0.stage) \($0.month) #\($0.number)" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    public var json: String {
        func optional(_ value: String?) -> String { value.map(JSONText.string) ?? "null" }
        func number(_ value: Int?) -> String { value.map(String.init) ?? "null" }
        let items = batches.map { batch in
            "{"
                + [
                    "\"month\":\(JSONText.string(batch.month))",
                    "\"lines_read\":\(number(batch.linesRead))", "\"lines_kept\":\(number(batch.linesKept))",
                    "\"lines_quarantined\":\(number(batch.linesQuarantined))",
                    "\"review\":\(number(batch.reviewNumber))", "\"business_date\":\(optional(batch.businessDate))",
                    "\"publicity_first\":\(optional(batch.publicityFirst))",
                    "\"publicity_last\":\(optional(batch.publicityLast))",
                    "\"accepted\":\(number(batch.accepted))", "\"needs_correction\":\(number(batch.needsCorrection))",
                    "\"rejected\":\(number(batch.rejected))", "\"payable\":\(optional(batch.payable?.yuanText))",
                    "\"disbursements\":\(batch.disbursements)", "\"payments\":\(batch.paidCount)",
                    "\"paid\":\(JSONText.string(batch.paidTotal.yuanText))",
                    "\"still_reserved\":\(JSONText.string(batch.stillReserved.yuanText))",
                    "\"returned\":\(batch.returned)",
                    "\"returned_total\":\(JSONText.string(batch.returnedTotal.yuanText))",
                    "\"repaid\":\(batch.repaidCount)",
                    "\"repaid_total\":\(JSONText.string(batch.repaidTotal.yuanText))",
                    "\"net\":\(JSONText.string(batch.netTotal.yuanText))",
                    "\"awaiting_release\":\(batch.awaitingRelease)", "\"awaiting_payments\":\(batch.awaitingPayments)",
                    "\"awaiting_total\":\(JSONText.string(batch.awaitingTotal.yuanText))",
                ].joined(separator: ",") + "}"
        }
        let runs = unfinished.map { run in
            "{\"stage\":\(JSONText.string(run.stage)),\"month\":\(JSONText.string(run.month)),\"run\":\(run.number),"
                + "\"outcome\":\(JSONText.string(run.outcome)),\"started_at\":\(JSONText.string(run.startedAt))}"
        }
        let unpublishedItems = unpublished.map { run in
            "{\"run_id\":\(run.runID),\"stage\":\(JSONText.string(run.stage)),"
                + "\"month\":\(JSONText.string(run.month.description)),"
                + "\"output_dir\":\(JSONText.string(run.outputDirectory))}"
        }
        let disputeItems = disputes.map { dispute in
            "{\"payment_id\":\(JSONText.string(dispute.endToEndID)),\"request_id\":\(JSONText.string(dispute.requestID)),"
                + "\"month\":\(JSONText.string(dispute.month)),\"first\":\(JSONText.string(dispute.recorded)),"
                + "\"then\":\(JSONText.string(dispute.claimed))}"
        }
        return "{\"batches\":[" + items.joined(separator: ",") + "],\"unfinished_runs\":[" + runs.joined(separator: ",")
            + "],\"unpublished_runs\":[" + unpublishedItems.joined(separator: ",") + "],\"disputes\":["
            + disputeItems.joined(separator: ",") + "],\"warnings\":["
            + warnings.map(JSONText.string).joined(separator: ",") + "]}"
    }
}
