import SettlementCore
import SettlementStore

/// After the bank's answer changed what reached an enterprise (a return, or a disputed answer
/// settled by hand), what the ledger holds owed on each item is set to what its current decision
/// still owes against the money that reached it (`PaidItemAdjustment`). A return of money for an
/// item a rerun has since lowered or rejected is not owed again beyond the new payable amount.
enum OwedItemSettlement {
    /// Returns a sentence for every item whose owed amount or overpayment changed.
    static func settle(_ connection: Connection, month: BatchMonth, requestIDs: [String], runID: Int64) throws
        -> [String]
    {
        let store = OwedItemStore(connection: connection)
        let ledger = Ledger(connection: connection)
        var notes: [String] = []
        let distinct = Set(requestIDs).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for requestID in distinct {
            guard let item = try store.item(month: month, requestID: requestID) else { continue }
            let adjustment = PaidItemAdjustment(payable: item.payable, history: item.history)
            if adjustment.owed != item.liveOwed {
                let note =
                    "current payable \(item.payable.yuanText), reached the enterprise \(item.history.net.yuanText): "
                    + "owed \(adjustment.owed.yuanText)"
                try ledger.replaceOwed(item, with: adjustment.owed, note: note, runID: runID)
                notes.append("\(requestID): owed \(item.liveOwed.yuanText) → \(adjustment.owed.yuanText) (\(note))")
            }
            if item.recordedOverpayment > adjustment.overpaid {
                notes.append(
                    "\(requestID): an overpayment of \(item.recordedOverpayment.yuanText) was recorded; with the money "
                        + "the bank returned, \(adjustment.overpaid.yuanText) remains to recover")
            }
        }
        return notes
    }
}
