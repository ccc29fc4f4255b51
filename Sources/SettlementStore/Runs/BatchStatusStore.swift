import SettlementCore

/// 批次状态: where each batch stands, aggregated by the database for `settle status`.
public struct BatchStatusStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    public struct BatchStatus: Sendable {
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
        /// Payment batches prepared and not yet released or rejected (待复核), their payments and
        /// total: counted above as sent, though nothing has left until a second person releases them.
        public var awaitingRelease: Int = 0
        public var awaitingPayments: Int = 0
        public var awaitingTotal: Fen = .zero

        public init(month: String) { self.month = month }
    }

    /// Every batch with a bundle or a review (or only `month`), in order.
    public func batches(month: BatchMonth?) throws -> [BatchStatus] {
        try connection.query(
            """
            WITH m AS (SELECT DISTINCT month FROM bundles UNION SELECT DISTINCT month FROM reviews)
            SELECT m.month, b.lines_read, b.lines_kept, b.lines_quarantined,
                   r.review_no, r.business_date, r.publicity_first, r.publicity_last,
                   (SELECT count(*) FILTER (WHERE status = 'accepted') FROM decisions WHERE run_id = r.run_id)
                       AS accepted,
                   (SELECT count(*) FILTER (WHERE status = 'needs_correction') FROM decisions WHERE run_id = r.run_id)
                       AS needs_correction,
                   (SELECT count(*) FILTER (WHERE status = 'rejected') FROM decisions WHERE run_id = r.run_id)
                       AS rejected,
                   (SELECT coalesce(sum(payable), 0) FROM decisions WHERE run_id = r.run_id) AS payable,
                   (SELECT count(*) FROM disbursements WHERE month = m.month) AS disbursements,
                   (SELECT count(*) FROM ledger_entries WHERE month = m.month AND kind IN ('payment', 'supplement', 'repayment'))
                       AS paid_count,
                   (SELECT coalesce(sum(amount), 0) FROM ledger_entries
                     WHERE month = m.month AND kind IN ('payment', 'supplement', 'repayment')) AS paid_total,
                   (SELECT coalesce(sum(e.amount), 0) FROM ledger_entries e
                     WHERE e.month = m.month AND e.kind IN ('reservation', 'return')
                       AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = e.id)) AS still_reserved,
                   (SELECT count(*) FROM ledger_entries WHERE month = m.month AND kind = 'return') AS returned,
                   (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE month = m.month AND kind = 'return')
                       AS returned_total,
                   (SELECT count(*) FROM ledger_entries WHERE month = m.month AND kind = 'repayment') AS repaid_count,
                   (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE month = m.month AND kind = 'repayment')
                       AS repaid_total,
                   (SELECT coalesce(sum(CASE WHEN kind = 'return' THEN -amount ELSE amount END), 0) FROM ledger_entries
                     WHERE month = m.month AND kind IN ('payment', 'supplement', 'repayment', 'reinstatement', 'return'))
                       AS net_total,
                   (SELECT count(*) FROM disbursements WHERE month = m.month AND release_state = 'prepared')
                       AS awaiting_release,
                   w.awaiting_payments, w.awaiting_total
              FROM m
              CROSS JOIN LATERAL (
                  SELECT count(*) AS awaiting_payments, coalesce(sum(p.amount), 0) AS awaiting_total
                    FROM payment_lines p JOIN disbursements d ON d.run_id = p.run_id
                   WHERE d.month = m.month AND d.release_state = 'prepared') w
              LEFT JOIN bundles b ON b.month = m.month AND b.is_current
              LEFT JOIN reviews r ON r.month = m.month AND r.is_current
             WHERE $1::text IS NULL OR m.month = $1
             ORDER BY m.month
            """, [month?.description]
        ).rows.map { row in
            var batch = BatchStatus(month: try row.text("month"))
            batch.linesRead = try row.optionalInt("lines_read")
            batch.linesKept = try row.optionalInt("lines_kept")
            batch.linesQuarantined = try row.optionalInt("lines_quarantined")
            batch.reviewNumber = try row.optionalInt("review_no")
            batch.businessDate = try row.optionalText("business_date")
            batch.publicityFirst = try row.optionalText("publicity_first")
            batch.publicityLast = try row.optionalText("publicity_last")
            if batch.reviewNumber != nil {
                batch.accepted = try row.int("accepted")
                batch.needsCorrection = try row.int("needs_correction")
                batch.rejected = try row.int("rejected")
                batch.payable = try row.fen("payable")
            }
            batch.disbursements = try row.int("disbursements")
            batch.paidCount = try row.int("paid_count")
            batch.paidTotal = try row.fen("paid_total")
            batch.stillReserved = try row.fen("still_reserved")
            batch.returned = try row.int("returned")
            batch.returnedTotal = try row.fen("returned_total")
            batch.repaidCount = try row.int("repaid_count")
            batch.repaidTotal = try row.fen("repaid_total")
            batch.netTotal = try row.fen("net_total")
            batch.awaitingRelease = try row.int("awaiting_release")
            batch.awaitingPayments = try row.int("awaiting_payments")
            batch.awaitingTotal = try row.fen("awaiting_total")
            return batch
        }
    }
}
