import Foundation
import SettlementCore
import SettlementStore

/// `settle status`: where each batch stands — ingested, reviewed (publicity until …), disbursed,
/// reconciled — with counts and totals, and any run left unfinished.
public struct StatusReport {
    public struct Batch: Sendable {
        public var month: String
        public var linesRead: Int?
        public var linesKept: Int?
        public var linesQuarantined: Int?
        public var reviewNumber: Int?
        public var businessDate: String?
        public var publicityFirst: String?
        public var publicityLast: String?
        public var accepted: Int?
        public var needsCorrection: Int?
        public var rejected: Int?
        public var payable: Fen?
        public var disbursements: Int = 0
        public var paidCount: Int = 0
        public var paidTotal: Fen = .zero
        public var stillReserved: Fen = .zero
        public var returned: Int = 0
        public var returnedTotal: Fen = .zero
        public var repaidCount: Int = 0
        public var repaidTotal: Fen = .zero
        /// What reached the enterprises: sent (payments, supplements, repayments, reinstatements) less returned.
        public var netTotal: Fen = .zero
    }

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
        let filter = month.map { "WHERE m.month = '\($0)'" } ?? ""
        for row in try connection.query(
            """
            WITH m AS (SELECT DISTINCT month FROM bundles UNION SELECT DISTINCT month FROM reviews)
            SELECT m.month, b.lines_read, b.lines_kept, b.lines_quarantined,
                   r.review_no, r.business_date, r.publicity_first, r.publicity_last,
                   (SELECT count(*) FILTER (WHERE status = 'accepted') FROM decisions WHERE run_id = r.run_id),
                   (SELECT count(*) FILTER (WHERE status = 'needs_correction') FROM decisions WHERE run_id = r.run_id),
                   (SELECT count(*) FILTER (WHERE status = 'rejected') FROM decisions WHERE run_id = r.run_id),
                   (SELECT sum(payable) FROM decisions WHERE run_id = r.run_id),
                   (SELECT count(*) FROM disbursements WHERE month = m.month),
                   (SELECT count(*) FROM ledger_entries WHERE month = m.month AND kind IN ('payment', 'supplement', 'repayment')),
                   (SELECT coalesce(sum(amount), 0) FROM ledger_entries
                     WHERE month = m.month AND kind IN ('payment', 'supplement', 'repayment')),
                   (SELECT coalesce(sum(e.amount), 0) FROM ledger_entries e
                     WHERE e.month = m.month AND e.kind IN ('reservation', 'return')
                       AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = e.id)),
                   (SELECT count(*) FROM ledger_entries WHERE month = m.month AND kind = 'return'),
                   (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE month = m.month AND kind = 'return'),
                   (SELECT count(*) FROM ledger_entries WHERE month = m.month AND kind = 'repayment'),
                   (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE month = m.month AND kind = 'repayment'),
                   (SELECT coalesce(sum(CASE WHEN kind = 'return' THEN -amount ELSE amount END), 0) FROM ledger_entries
                     WHERE month = m.month AND kind IN ('payment', 'supplement', 'repayment', 'reinstatement', 'return'))
              FROM m
              LEFT JOIN bundles b ON b.month = m.month AND b.is_current
              LEFT JOIN reviews r ON r.month = m.month AND r.is_current
              \(filter)
             ORDER BY m.month
            """
        ).rows {
            var batch = Batch(month: row.string(0))
            batch.linesRead = row.int(1)
            batch.linesKept = row.int(2)
            batch.linesQuarantined = row.int(3)
            batch.reviewNumber = row.int(4)
            batch.businessDate = row[5]
            batch.publicityFirst = row[6]
            batch.publicityLast = row[7]
            if batch.reviewNumber != nil {
                batch.accepted = row.int(8)
                batch.needsCorrection = row.int(9)
                batch.rejected = row.int(10)
                batch.payable = Fen(row.int64(11) ?? 0)
            }
            batch.disbursements = row.int(12) ?? 0
            batch.paidCount = row.int(13) ?? 0
            batch.paidTotal = Fen(row.int64(14) ?? 0)
            batch.stillReserved = Fen(row.int64(15) ?? 0)
            batch.returned = row.int(16) ?? 0
            batch.returnedTotal = Fen(row.int64(17) ?? 0)
            batch.repaidCount = row.int(18) ?? 0
            batch.repaidTotal = Fen(row.int64(19) ?? 0)
            batch.netTotal = Fen(row.int64(20) ?? 0)
            report.batches.append(batch)
        }
        report.unfinished = try connection.query(
            """
            SELECT stage, month, run_no, outcome, started_at::text, coalesce(summary, '') FROM runs
             WHERE outcome IN ('running', 'abandoned') \(month.map { "AND month = '\($0)'" } ?? "")
             ORDER BY id DESC LIMIT 20
            """
        ).rows.map {
            Run(
                stage: $0.string(0), month: $0.string(1), number: $0.int(2) ?? 0, outcome: $0.string(3),
                startedAt: $0.string(4), summary: $0.string(5))
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
        func optional(_ value: String?) -> String { value.map(ManifestJSON.string) ?? "null" }
        func number(_ value: Int?) -> String { value.map(String.init) ?? "null" }
        let items = batches.map { batch in
            "{"
                + [
                    "\"month\":\(ManifestJSON.string(batch.month))",
                    "\"lines_read\":\(number(batch.linesRead))", "\"lines_kept\":\(number(batch.linesKept))",
                    "\"lines_quarantined\":\(number(batch.linesQuarantined))",
                    "\"review\":\(number(batch.reviewNumber))", "\"business_date\":\(optional(batch.businessDate))",
                    "\"publicity_first\":\(optional(batch.publicityFirst))",
                    "\"publicity_last\":\(optional(batch.publicityLast))",
                    "\"accepted\":\(number(batch.accepted))", "\"needs_correction\":\(number(batch.needsCorrection))",
                    "\"rejected\":\(number(batch.rejected))", "\"payable\":\(optional(batch.payable?.yuanText))",
                    "\"disbursements\":\(batch.disbursements)", "\"payments\":\(batch.paidCount)",
                    "\"paid\":\(ManifestJSON.string(batch.paidTotal.yuanText))",
                    "\"still_reserved\":\(ManifestJSON.string(batch.stillReserved.yuanText))",
                    "\"returned\":\(batch.returned)",
                    "\"returned_total\":\(ManifestJSON.string(batch.returnedTotal.yuanText))",
                    "\"repaid\":\(batch.repaidCount)",
                    "\"repaid_total\":\(ManifestJSON.string(batch.repaidTotal.yuanText))",
                    "\"net\":\(ManifestJSON.string(batch.netTotal.yuanText))",
                ].joined(separator: ",") + "}"
        }
        let runs = unfinished.map { run in
            "{\"stage\":\(ManifestJSON.string(run.stage)),\"month\":\(ManifestJSON.string(run.month)),\"run\":\(run.number),"
                + "\"outcome\":\(ManifestJSON.string(run.outcome)),\"started_at\":\(ManifestJSON.string(run.startedAt))}"
        }
        let unpublishedItems = unpublished.map { run in
            "{\"run_id\":\(run.runID),\"stage\":\(ManifestJSON.string(run.stage)),"
                + "\"month\":\(ManifestJSON.string(run.month.description)),"
                + "\"output_dir\":\(ManifestJSON.string(run.outputDirectory))}"
        }
        let disputeItems = disputes.map { dispute in
            "{\"payment_id\":\(ManifestJSON.string(dispute.endToEndID)),\"request_id\":\(ManifestJSON.string(dispute.requestID)),"
                + "\"month\":\(ManifestJSON.string(dispute.month)),\"first\":\(ManifestJSON.string(dispute.recorded)),"
                + "\"then\":\(ManifestJSON.string(dispute.claimed))}"
        }
        return "{\"batches\":[" + items.joined(separator: ",") + "],\"unfinished_runs\":[" + runs.joined(separator: ",")
            + "],\"unpublished_runs\":[" + unpublishedItems.joined(separator: ",") + "],\"disputes\":["
            + disputeItems.joined(separator: ",") + "],\"warnings\":["
            + warnings.map(ManifestJSON.string).joined(separator: ",") + "]}"
    }
}
