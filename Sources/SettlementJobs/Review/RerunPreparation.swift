import SettlementCore
import SettlementStore

/// Before a batch is reviewed again: the previous review stops being current, everything the batch
/// still owes is released — live reservations, and amounts a bank return had made owed again —,
/// its claims dropped (and the earlier revisions' claims it had dropped restored). Items whose
/// money moved stay frozen: their payment history (sent, returned) is returned so that the review
/// settles the difference against what actually reached the enterprise (`PaidItemAdjustment`):
/// a payment, repayment or supplement of what is still owed, or an overpayment to recover —
/// never a second payment, never an overpayment for money the bank sent back.
struct RerunPreparation {
    let connection: Connection
    let month: BatchMonth
    let runID: Int64

    func prepare(previousRunID: Int64) throws -> [ByteString: PaymentHistory] {
        try DecisionStore(connection: connection).retire(runID: previousRunID)
        try Ledger(connection: connection).releaseEverythingOwed(month: month, runID: runID)
        try ClaimStore(connection: connection).releaseForRerun(month: month, previousRunID: previousRunID)
        return try OwedItemStore(connection: connection).histories(month: month)
    }
}
