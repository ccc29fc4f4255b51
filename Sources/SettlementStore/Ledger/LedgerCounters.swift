import SettlementCore

/// The voucher accounts' counters (`reserved_fen`, `paid_fen`) are a cache of the ledger entries,
/// kept by the ledger trigger for speed. Nothing but the trigger may write them; a role that can
/// (the owner, a superuser) could still edit them, so every review and disbursement compares the
/// counters of the accounts it touches with the sums of their entries first, and `settle check`
/// compares all of them.
public enum LedgerCounters {
    /// An account whose counters disagree with its entries, or whose entries overspend it.
    public struct Discrepancy: Sendable, Equatable, CustomStringConvertible {
        public let uscc: String
        public let year: Int
        public let limit: Fen
        public let counterReserved: Fen
        public let counterPaid: Fen
        public let entriesReserved: Fen
        public let entriesPaid: Fen

        public var countersAgree: Bool { counterReserved == entriesReserved && counterPaid == entriesPaid }
        public var overspent: Bool {
            (entriesReserved.adding(entriesPaid) ?? Fen(Int64.max)) > max(limit, .zero)
                || entriesReserved < .zero || entriesPaid < .zero
        }

        public var description: String {
            var text = "voucher account \(uscc)/\(year): "
            if !countersAgree {
                text +=
                    "the counters say reserved \(counterReserved.yuanText), paid \(counterPaid.yuanText) but its "
                    + "ledger entries give reserved \(entriesReserved.yuanText), paid \(entriesPaid.yuanText)"
            }
            if overspent {
                text +=
                    (countersAgree ? "" : "; ") + "its ledger entries reserve \(entriesReserved.yuanText) and pay "
                    + "\(entriesPaid.yuanText) against a limit of \(limit.yuanText)"
            }
            return text
        }
    }

    /// Which accounts to compare.
    public enum Scope: Sendable {
        case accounts([Int64])
        /// The accounts with an entry of this batch month.
        case month(BatchMonth)
        case all
    }

    public static func accountCount(_ connection: Connection) throws -> Int {
        try connection.queryRow("SELECT count(*) AS accounts FROM voucher_accounts").int("accounts")
    }

    /// The accounts in `scope` whose counters differ from their entries or whose entries overspend them.
    public static func discrepancies(_ connection: Connection, in scope: Scope) throws -> [Discrepancy] {
        // $1 the account ids, $2 the month, both NULL for every account.
        let parameters: [String?]
        switch scope {
        case .accounts(let ids):
            guard !ids.isEmpty else { return [] }
            parameters = ["{" + ids.map(String.init).joined(separator: ",") + "}", nil]
        case .month(let month):
            parameters = [nil, month.description]
        case .all:
            parameters = [nil, nil]
        }
        let rows = try connection.query(
            """
            SELECT a.uscc, a.year, a.limit_fen, a.reserved_fen, a.paid_fen, s.reserved, s.paid
              FROM voucher_accounts a
              CROSS JOIN LATERAL (
                    SELECT coalesce(sum(CASE WHEN e.kind IN ('reservation', 'return') THEN e.amount
                                             WHEN e.kind IN ('release', 'payment', 'supplement', 'repayment',
                                                             'reinstatement') THEN -e.amount
                                             ELSE 0 END), 0) AS reserved,
                           coalesce(sum(CASE WHEN e.kind IN ('payment', 'repayment', 'supplement', 'reinstatement')
                                                  THEN e.amount
                                             WHEN e.kind = 'return' THEN -e.amount
                                             ELSE 0 END), 0) AS paid
                      FROM ledger_entries e WHERE e.account_id = a.id) s
             WHERE ($1::bigint[] IS NULL OR a.id = ANY($1::bigint[]))
               AND ($2::text IS NULL OR a.id IN (SELECT account_id FROM ledger_entries WHERE month = $2::text))
               AND (a.reserved_fen <> s.reserved OR a.paid_fen <> s.paid OR s.reserved < 0 OR s.paid < 0
                    OR (s.reserved + s.paid > greatest(a.limit_fen, 0)
                        AND EXISTS (SELECT 1 FROM ledger_entries g WHERE g.account_id = a.id AND g.kind = 'reservation')))
             ORDER BY a.year, a.uscc COLLATE "C"
            """, parameters)
        return try rows.rows.map { row in
            Discrepancy(
                uscc: try row.text("uscc"), year: try row.int("year"), limit: try row.fen("limit_fen"),
                counterReserved: try row.fen("reserved_fen"), counterPaid: try row.fen("paid_fen"),
                entriesReserved: try row.fen("reserved"), entriesPaid: try row.fen("paid"))
        }
    }
}
