import SettlementCore
import SettlementStore

/// `settle check`: every voucher account recomputed from its ledger entries and compared with its
/// counters; overspent accounts; open disputes and unpublished outputs, for the operator's eye.
public struct LedgerCheck: Sendable {
    public var accounts = 0
    public var discrepancies: [LedgerCounters.Discrepancy] = []
    public var unpublished: [PublicationStore.Unpublished] = []
    public var disputes: [BankAnswerStore.OpenDispute] = []

    public var problemCount: Int { discrepancies.count + unpublished.count }
    public var isClean: Bool { problemCount == 0 }

    public static func run(_ connection: Connection) throws -> LedgerCheck {
        var check = LedgerCheck()
        check.accounts = try LedgerCounters.accountCount(connection)
        check.discrepancies = try LedgerCounters.discrepancies(connection, in: .all)
        check.unpublished = try PublicationStore(connection: connection).unpublished()
        check.disputes = try BankAnswerStore(connection: connection).openDisputes()
        return check
    }

    public var text: String {
        var lines = ["ledger check: \(accounts) voucher accounts recomputed from their entries"]
        if discrepancies.isEmpty {
            lines.append("  every account's counters agree with its entries; none is overspent")
        }
        lines += discrepancies.map { "  PROBLEM: " + $0.description }
        lines += unpublished.map {
            "  PROBLEM: \($0.stage) run \($0.runID) of \($0.month) committed, outputs not published at \($0.outputDirectory)"
        }
        lines += disputes.map {
            "  disputed: payment \($0.endToEndID) (\($0.requestID)): \($0.recorded), then \($0.claimed) — settle resolve"
        }
        return lines.joined(separator: "\n")
    }
}
