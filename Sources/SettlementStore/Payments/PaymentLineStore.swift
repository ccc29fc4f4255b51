import SettlementCore

/// The payment lines of a disbursement as finance reads them: what each line is (payment,
/// supplement, repayment and the returned payment it replaces).
public struct PaymentLineStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    public struct Line: Sendable {
        public let seq: Int
        public let endToEndID: String
        public let requestID: String
        /// The ledger kind: `payment`, `supplement` or `repayment`.
        public let kind: String
        /// For a repayment, the payment the bank returned.
        public let replacesPaymentID: String?
        public let accountName: String
        public let accountNumber: String
        public let bankCode: String
        public let bankName: String
        public let amount: Fen
    }

    /// The lines of run `runID` in order (the first `limit`, or all), a page at a time.
    public func forEachLine(runID: Int64, limit: Int? = nil, _ body: (Line) throws -> Void) throws {
        try connection.forEachPage(
            """
            SELECT p.seq, p.end_to_end_id, p.request_id, e.kind,
                   (SELECT r.end_to_end_id FROM ledger_entries t JOIN payment_lines r ON r.ledger_entry = t.corrects
                     WHERE e.kind = 'repayment' AND t.kind = 'return' AND t.request_id = e.request_id
                       AND t.month = e.month AND t.id < e.id
                     ORDER BY t.id DESC LIMIT 1) AS replaces,
                   p.account_name, p.account_number, p.bank_code, p.bank_name, p.amount
              FROM payment_lines p JOIN ledger_entries e ON e.id = p.ledger_entry
             WHERE p.run_id = $1 ORDER BY p.seq LIMIT $2
            """, [String(runID), limit.map(String.init)], pageSize: 5_000
        ) { rows in
            for row in rows {
                try body(
                    Line(
                        seq: try row.int("seq"), endToEndID: try row.text("end_to_end_id"),
                        requestID: try row.text("request_id"), kind: try row.text("kind"),
                        replacesPaymentID: try row.optionalText("replaces"), accountName: try row.text("account_name"),
                        accountNumber: try row.text("account_number"), bankCode: try row.text("bank_code"),
                        bankName: try row.text("bank_name"), amount: try row.fen("amount")))
            }
        }
    }
}
