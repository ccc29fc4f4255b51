import SettlementCore

/// What the ledger says one item (a request of a batch) is owed and has been sent: read after a
/// bank return (`settle reconcile`), when a disputed answer is settled (`settle resolve`) and
/// before a rerun. The entries that change it are written by `Ledger`.
public struct OwedItemStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// The payment history of every request of a batch that moved money.
    public func histories(month: BatchMonth) throws -> [ByteString: PaymentHistory] {
        var histories: [ByteString: PaymentHistory] = [:]
        for row in try connection.query(
            """
            SELECT request_id,
                   coalesce(sum(amount) FILTER (WHERE kind = ANY($2::text[])), 0) AS sent,
                   coalesce(sum(amount) FILTER (WHERE kind = 'return'), 0) AS returned
              FROM ledger_entries
             WHERE month = $1 AND (kind = ANY($2::text[]) OR kind = 'return')
             GROUP BY request_id
            """, [month.description, LedgerEntry.Kind.array(LedgerEntry.Kind.sent)]
        ).rows {
            histories[ByteString(try row.text("request_id"))] = PaymentHistory(
                sent: try row.fen("sent"), returned: try row.fen("returned"))
        }
        return histories
    }

    /// One item (a request of a batch) as the ledger has it.
    public struct Item: Sendable {
        public let requestID: String
        public let month: BatchMonth
        /// The current review's payable amount (0 unless accepted).
        public let payable: Fen
        public let history: PaymentHistory
        /// Live entries that make money owed: reservations and bank returns not yet corrected.
        public let live: [LedgerEntry.Live]
        public let accountID: Int64
        public let revision: Int
        /// Overpayments recorded for the item (informational entries).
        public let recordedOverpayment: Fen

        public var liveOwed: Fen { Fen.sum(live.map(\.amount)) ?? .zero }
    }

    /// The item, or nil when the ledger has no entry for it.
    public func item(month: BatchMonth, requestID: String) throws -> Item? {
        guard
            let row = try connection.query(
                """
                SELECT (SELECT CASE WHEN d.status = 'accepted' THEN d.payable ELSE 0 END
                          FROM decisions d JOIN reviews v ON v.run_id = d.run_id AND v.is_current AND v.month = $1
                         WHERE d.request_id = $2) AS payable,
                       coalesce(sum(e.amount) FILTER (WHERE e.kind = ANY($3::text[])), 0) AS sent,
                       coalesce(sum(e.amount) FILTER (WHERE e.kind = 'return'), 0) AS returned,
                       coalesce(sum(e.amount) FILTER (WHERE e.kind = 'overpayment'), 0) AS overpaid,
                       (array_agg(e.account_id ORDER BY e.id DESC))[1] AS account_id,
                       (array_agg(e.revision ORDER BY e.id DESC))[1] AS revision
                  FROM ledger_entries e WHERE e.month = $1 AND e.request_id = $2
                """, [month.description, requestID, LedgerEntry.Kind.array(LedgerEntry.Kind.sent)]
            ).first, let accountID = try row.optionalInt64("account_id")
        else { return nil }
        let live = try connection.query(
            """
            SELECT r.id, r.kind, r.amount FROM ledger_entries r
             WHERE r.month = $1 AND r.request_id = $2 AND r.kind = ANY($3::text[])
               AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = r.id)
             ORDER BY r.id
            """, [month.description, requestID, LedgerEntry.Kind.array(LedgerEntry.Kind.owing)]
        ).rows.map { row in
            guard let kind = LedgerEntry.Kind(rawValue: try row.text("kind")) else {
                throw DatabaseError(message: "unknown ledger kind \(try row.text("kind"))", context: "owed item")
            }
            return LedgerEntry.Live(id: try row.int64("id"), kind: kind, amount: try row.fen("amount"))
        }
        return Item(
            requestID: requestID, month: month,
            // No current decision for the request: nothing is payable for it any more.
            payable: try row.optionalFen("payable") ?? .zero,
            history: PaymentHistory(sent: try row.fen("sent"), returned: try row.fen("returned")), live: live,
            accountID: accountID, revision: try row.int("revision"), recordedOverpayment: try row.fen("overpaid"))
    }
}
