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
        let previous = String(previousRunID)
        try connection.execute("UPDATE reviews SET is_current = false WHERE run_id = $1", [previous])
        try connection.execute(
            """
            INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, corrects, note)
            SELECT $1::bigint, r.account_id, r.month, r.request_id, r.revision, 'release', r.amount, r.id,
                   CASE r.kind WHEN 'return' THEN 'owed after a bank return, released by a rerun'
                               ELSE 'released by a rerun' END
              FROM ledger_entries r
             WHERE r.month = $2 AND r.kind IN ('reservation', 'return')
               AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = r.id)
             ORDER BY r.id
            """, [String(runID), month.description])
        try connection.execute("DELETE FROM claims WHERE month = $1", [month.description])
        // Earlier revisions whose claims the previous review had dropped get them back; the
        // new review drops them again if the request is still resubmitted.
        try connection.execute(
            """
            INSERT INTO claims (kind, key, request_id, revision, month, run_id)
            SELECT dc.kind, dc.key, dc.request_id, d.revision, r.month, r.run_id
              FROM decisions dropped
              JOIN LATERAL (
                    SELECT r.run_id, r.month FROM reviews r JOIN decisions e ON e.run_id = r.run_id
                     WHERE r.is_current AND r.month < $2 AND e.request_id = dropped.request_id
                     ORDER BY r.month DESC LIMIT 1) r ON true
              JOIN decisions d ON d.run_id = r.run_id AND d.request_id = dropped.request_id
              JOIN decision_claims dc ON dc.run_id = r.run_id AND dc.request_id = dropped.request_id
             WHERE dropped.run_id = $1 AND dropped.drops_earlier_claims
            ON CONFLICT (kind, key) DO NOTHING
            """, [previous, month.description])
        return try OwedItemStore(connection: connection).histories(month: month)
    }
}
