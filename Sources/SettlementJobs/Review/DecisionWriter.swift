import SettlementCore
import SettlementStore

/// Records a page of decisions: the decisions with their findings, and the ledger's reservations
/// and overpayments. The claims are taken once the whole batch is decided (`ClaimStore.takeClaims`).
struct DecisionWriter {
    let connection: Connection
    let runID: Int64
    let month: BatchMonth
    let accountIDs: [AccountKey: Int64]

    func write(_ page: [(seq: Int, line: Int, decision: Decision)]) throws {
        guard !page.isEmpty else { return }
        try DecisionStore(connection: connection).write(runID: runID, page)
        try Ledger(connection: connection).append(try ledgerEntries(page.map(\.decision)))
    }

    /// A reservation of what each decision leaves owed, and an overpayment where more reached the
    /// enterprise than is now payable.
    func ledgerEntries(_ decisions: [Decision]) throws -> [Ledger.NewEntry] {
        var entries: [Ledger.NewEntry] = []
        for d in decisions where d.reservation > .zero || d.overpayment > .zero {
            guard let account = accountIDs[d.account] else {
                throw SettleError(.unexpected, "no voucher account for \(d.account.uscc)/\(d.account.year)")
            }
            if case .owe(let amount, let kind) = d.adjustment, amount > .zero {
                let note =
                    kind == .payment && d.history == .none
                    ? nil
                    : "\(kind.rawValue): payable \(d.payable.yuanText), reached before \(d.previouslyPaid.yuanText)"
                entries.append(
                    Ledger.NewEntry(
                        runID: runID, accountID: account, month: month, requestID: d.requestID, revision: d.revision,
                        kind: .reservation, amount: d.reservation, note: note))
            }
            if d.overpayment > .zero {
                entries.append(
                    Ledger.NewEntry(
                        runID: runID, accountID: account, month: month, requestID: d.requestID, revision: d.revision,
                        kind: .overpayment, amount: d.overpayment,
                        note:
                            "reached \(d.previouslyPaid.yuanText), now payable \(d.payable.yuanText): recover the difference"
                    ))
            }
        }
        return entries
    }
}
