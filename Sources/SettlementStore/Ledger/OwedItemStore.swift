import SettlementCore

/// What the ledger says one item of a batch is owed, and the entries that change it outside a
/// review: after a bank return (`settle reconcile`) and after a disputed answer is settled
/// (`settle resolve`).
public struct OwedItemStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// The ledger kinds that sent money to an enterprise (`PaymentHistory.sent`); `return` takes it
    /// back. Every query that sums an item's history uses this list.
    public static let sentKinds = "('payment', 'repayment', 'supplement', 'reinstatement')"

    /// The payment history of every request of a batch that moved money.
    public func histories(month: BatchMonth) throws -> [ByteString: PaymentHistory] {
        var histories: [ByteString: PaymentHistory] = [:]
        for row in try connection.query(
            """
            SELECT request_id,
                   coalesce(sum(amount) FILTER (WHERE kind IN \(OwedItemStore.sentKinds)), 0),
                   coalesce(sum(amount) FILTER (WHERE kind = 'return'), 0)
              FROM ledger_entries
             WHERE month = $1 AND (kind IN \(OwedItemStore.sentKinds) OR kind = 'return')
             GROUP BY request_id
            """, [month.description]
        ).rows {
            guard let sent = row.int64(1), let returned = row.int64(2) else { continue }
            histories[ByteString(row.string(0))] = PaymentHistory(sent: Fen(sent), returned: Fen(returned))
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
        public let live: [(id: Int64, kind: String, amount: Fen)]
        public let accountID: Int64
        public let revision: Int
        /// Overpayments recorded for the item (informational entries).
        public let recordedOverpayment: Fen

        public var liveOwed: Fen { Fen.sum(live.map(\.amount)) ?? .zero }
    }

    public func item(month: BatchMonth, requestID: String) throws -> Item? {
        guard
            let row = try connection.query(
                """
                SELECT (SELECT CASE WHEN d.status = 'accepted' THEN d.payable ELSE 0 END
                          FROM decisions d JOIN reviews v ON v.run_id = d.run_id AND v.is_current AND v.month = $1
                         WHERE d.request_id = $2),
                       coalesce(sum(e.amount) FILTER (WHERE e.kind IN \(OwedItemStore.sentKinds)), 0),
                       coalesce(sum(e.amount) FILTER (WHERE e.kind = 'return'), 0),
                       coalesce(sum(e.amount) FILTER (WHERE e.kind = 'overpayment'), 0),
                       (array_agg(e.account_id ORDER BY e.id DESC))[1],
                       (array_agg(e.revision ORDER BY e.id DESC))[1]
                  FROM ledger_entries e WHERE e.month = $1 AND e.request_id = $2
                """, [month.description, requestID]
            ).first, let accountID = row.int64(4), let revision = row.int(5), let sent = row.int64(1),
            let returned = row.int64(2), let overpaid = row.int64(3)
        else { return nil }
        let live = try connection.query(
            """
            SELECT r.id, r.kind, r.amount FROM ledger_entries r
             WHERE r.month = $1 AND r.request_id = $2 AND r.kind IN ('reservation', 'return')
               AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = r.id)
             ORDER BY r.id
            """, [month.description, requestID]
        ).rows.compactMap { row -> (Int64, String, Fen)? in
            guard let id = row.int64(0), let amount = row.int64(2) else { return nil }
            return (id, row.string(1), Fen(amount))
        }
        return Item(
            requestID: requestID, month: month, payable: Fen(row.int64(0) ?? 0),
            history: PaymentHistory(sent: Fen(sent), returned: Fen(returned)), live: live.map { ($0.0, $0.1, $0.2) },
            accountID: accountID, revision: revision, recordedOverpayment: Fen(overpaid))
    }

    /// Replaces what is owed on the item: releases its live entries and reserves `owed` (if any).
    public func replaceOwed(_ item: Item, with owed: Fen, note: String, runID: Int64) throws {
        for entry in item.live {
            try connection.execute(
                """
                INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, corrects, note)
                SELECT $1, account_id, month, request_id, revision, 'release', amount, id, $3
                  FROM ledger_entries WHERE id = $2
                """, [String(runID), String(entry.id), "released: " + note])
        }
        if owed > .zero {
            try append(item, kind: "reservation", amount: owed, corrects: nil, note: note, runID: runID)
        }
    }

    /// Appends an entry for the item (a reservation, a return, a reinstatement or an overpayment).
    public func append(_ item: Item, kind: String, amount: Fen, corrects: Int64?, note: String, runID: Int64) throws {
        try connection.execute(
            """
            INSERT INTO ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, corrects, note)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """,
            [
                String(runID), String(item.accountID), item.month.description, item.requestID, String(item.revision),
                kind, String(amount.value), corrects.map(String.init), note,
            ])
    }
}
