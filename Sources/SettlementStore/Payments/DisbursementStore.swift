import SettlementCore

/// 拨付: what a disbursement reads and writes besides the ledger — its row in `disbursements`,
/// the items owed money, its payment lines (the bank files are written from them) and the items
/// it did not pay, with why. Every statement runs inside the disbursement's transaction.
public struct DisbursementStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    // MARK: The disbursement

    /// The current review of a batch, as a disbursement needs it.
    public struct CurrentReview: Sendable {
        public let runID: Int64
        public let reviewNumber: Int
        public let publicityLastDay: CivilDate
        public let bundleDirectory: String
        public let bundleEncoding: String
    }

    public func currentReview(month: BatchMonth) throws -> CurrentReview? {
        guard
            let row = try connection.query(
                """
                SELECT r.run_id, r.publicity_last, b.directory, b.encoding, r.review_no
                  FROM reviews r JOIN bundles b ON b.id = r.bundle_id
                 WHERE r.month = $1 AND r.is_current
                """, [month.description]
            ).first
        else { return nil }
        return CurrentReview(
            runID: try row.int64("run_id"), reviewNumber: try row.int("review_no"),
            publicityLastDay: try row.date("publicity_last"), bundleDirectory: try row.text("directory"),
            bundleEncoding: try row.text("encoding"))
    }

    /// Batch months whose publicity closed before `date` and that were never disbursed or still
    /// owe something, in order.
    public func monthsDue(asOf date: CivilDate) throws -> [BatchMonth] {
        try connection.query(
            """
            SELECT r.month FROM reviews r
             WHERE r.is_current AND r.publicity_last < $1
               AND (NOT EXISTS (SELECT 1 FROM disbursements d WHERE d.month = r.month)
                    OR EXISTS (SELECT 1 FROM ledger_entries e
                                WHERE e.month = r.month AND e.kind IN ('reservation', 'return')
                                  AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = e.id)))
             ORDER BY r.month
            """, [date.description]
        ).rows.map { try $0.month("month") }
    }

    /// Records the disbursement run (its count and total are set by `setTotals` at the end).
    public func begin(
        runID: Int64, month: BatchMonth, paymentNumber: Int, messageID: String, businessDate: CivilDate,
        objectionsSHA256: String?
    ) throws {
        try connection.execute(
            """
            INSERT INTO disbursements (run_id, month, payment_no, msg_id, business_date, payment_count, payment_total,
                                       objections_sha256)
            VALUES ($1, $2, $3, $4, $5, 0, 0, $6)
            """,
            [
                String(runID), month.description, String(paymentNumber), messageID, businessDate.description,
                objectionsSHA256,
            ])
    }

    public func setTotals(runID: Int64, count: Int, total: Fen) throws {
        try connection.execute(
            "UPDATE disbursements SET payment_count = $2, payment_total = $3 WHERE run_id = $1",
            [String(runID), String(count), String(total.value)])
    }

    // MARK: Items owed money

    /// An item of the batch that is owed money: a live reservation, or a live bank return.
    public struct OwedItem: Sendable {
        public var requestID: String
        public var revision: Int
        public var orderNumber: String
        public var enterpriseName: String
        /// The live entry this payment corrects (a reservation or a return).
        public var owingEntryID: Int64
        public var accountID: Int64
        public var amount: Fen
        /// The live entry is a bank return (the amount is owed again as it was).
        public var isReturn: Bool
        /// The money already moved for the item in this batch.
        public var history: PaymentHistory
        /// When the item's latest payment line was returned by the bank: the account it went to
        /// (number, bank code, name); paying it again waits for a corrected account.
        public var returnedTo: [String]?
        /// A bank answered its payment twice, differently, and nobody has settled it yet.
        public var disputed: Bool
        /// The bank data of the latest roster row (the latest bundle wins for data that can change).
        public var bank: VoucherAccount?

        /// The ledger kind of paying it now.
        public var paymentKind: LedgerEntry.Kind {
            LedgerEntry.Kind(isReturn ? .repayment : OwedPaymentKind(history: history))
        }
    }

    /// Takes, once and set-based, what the items' money history was before this run: the sums
    /// sent and returned per request, the account of its latest payment line if the bank returned
    /// it, and whether a bank answer about it is disputed. (Joined to the items' cursor instead of
    /// being looked up per row: the payment lines this run writes would otherwise change under a
    /// plan made when there were none, and a lookup per row became a scan per row.)
    public func takeItemHistories(month: BatchMonth) throws {
        try connection.execute(
            """
            CREATE TEMP TABLE item_history ON COMMIT DROP AS
            SELECT request_id,
                   coalesce(sum(amount) FILTER (WHERE kind = ANY($2::text[])), 0) AS sent,
                   coalesce(sum(amount) FILTER (WHERE kind = 'return'), 0) AS returned
              FROM ledger_entries WHERE month = $1
             GROUP BY request_id
            """, [month.description, LedgerEntry.Kind.array(LedgerEntry.Kind.sent)])
        try connection.execute(
            """
            CREATE TEMP TABLE item_last_line ON COMMIT DROP AS
            SELECT DISTINCT ON (pl.request_id) pl.request_id, pl.account_number, pl.bank_code, pl.account_name,
                   EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = pl.ledger_entry AND c.kind = 'return')
                       AS returned
              FROM payment_lines pl
              JOIN disbursements dd ON dd.run_id = pl.run_id AND dd.release_state <> 'rejected'
             WHERE pl.request_id IN (SELECT request_id FROM ledger_entries WHERE month = $1)
             ORDER BY pl.request_id, pl.ledger_entry DESC
            """, [month.description])
        try connection.execute(
            """
            CREATE TEMP TABLE item_disputed ON COMMIT DROP AS
            SELECT DISTINCT pl.request_id FROM payment_disputes pd JOIN payment_lines pl ON pl.end_to_end_id = pd.end_to_end_id
             WHERE pd.resolution IS NULL
            """)
        try connection.execute("ANALYZE item_history; ANALYZE item_last_line; ANALYZE item_disputed")
    }

    /// The accepted items of the current review (run `reviewRunID`) that still hold a reservation
    /// (or were returned by the bank), in allocation order, a page at a time. Call
    /// `takeItemHistories` first.
    public func forEachOwedItemPage(
        month: BatchMonth, reviewRunID: Int64, pageSize: Int = 5_000, _ body: ([OwedItem]) throws -> Void
    ) throws {
        try connection.forEachPage(
            """
            SELECT d.seq, d.request_id, d.revision, d.order_no, d.enterprise_name, r.id AS owing_entry,
                   r.account_id, r.amount, r.kind = 'return' AS is_return,
                   coalesce(h.sent, 0) AS sent, coalesce(h.returned, 0) AS returned,
                   last.returned AS last_returned, last.account_number AS last_account_number,
                   last.bank_code AS last_bank_code, last.account_name AS last_account_name,
                   x.request_id IS NOT NULL AS disputed,
                   ro.year AS roster_year, ro.uscc AS roster_uscc, ro.enterprise_name AS roster_enterprise_name,
                   ro.bank_name, ro.bank_code, ro.account_name, ro.account_number
              FROM decisions d
              JOIN ledger_entries r ON r.request_id = d.request_id AND r.month = $1 AND r.kind IN ('reservation', 'return')
                                   AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = r.id)
              LEFT JOIN item_history h ON h.request_id = d.request_id
              LEFT JOIN item_last_line last ON last.request_id = d.request_id
              LEFT JOIN item_disputed x ON x.request_id = d.request_id
              LEFT JOIN LATERAL (
                    SELECT x.* FROM roster_rows x JOIN bundles b ON b.id = x.bundle_id AND b.is_current
                     WHERE x.uscc = d.enterprise_uscc AND x.year = d.voucher_year AND x.defect IS NULL
                     ORDER BY b.month DESC, x.line DESC LIMIT 1) ro ON true
             WHERE d.run_id = $2 AND (d.status = 'accepted' OR r.kind = 'return')
             ORDER BY d.seq, r.id
            """, [month.description, String(reviewRunID)], pageSize: pageSize
        ) { rows in
            try body(try rows.map(DisbursementStore.owedItem))
        }
    }

    static func owedItem(_ row: QueryResult.Row) throws -> OwedItem {
        var bank: VoucherAccount?
        if let year = try row.optionalInt("roster_year") {
            bank = VoucherAccount(
                year: year, uscc: try row.text("roster_uscc"), enterpriseName: try row.text("roster_enterprise_name"),
                enterpriseType: "", cityCode: "", qualificationNumber: "", qualifiedOn: CivilDate(daysSinceEpoch: 0),
                priorYearRevenue: .zero, status: "", grantedOn: CivilDate(daysSinceEpoch: 0), quota: .zero,
                usedBefore: .zero, bankName: try row.text("bank_name"), bankCode: try row.text("bank_code"),
                accountName: try row.text("account_name"), accountNumber: try row.text("account_number"))
        }
        var returnedTo: [String]?
        if try row.optionalBool("last_returned") == true {
            returnedTo = [
                try row.text("last_account_number"), try row.text("last_bank_code"), try row.text("last_account_name"),
            ]
        }
        return OwedItem(
            requestID: try row.text("request_id"), revision: try row.int("revision"),
            orderNumber: try row.text("order_no"), enterpriseName: try row.text("enterprise_name"),
            owingEntryID: try row.int64("owing_entry"), accountID: try row.int64("account_id"),
            amount: try row.fen("amount"), isReturn: try row.bool("is_return"),
            history: PaymentHistory(sent: try row.fen("sent"), returned: try row.fen("returned")),
            returnedTo: returnedTo, disputed: try row.bool("disputed"), bank: bank)
    }

    /// Of the orders named by objections, which are in the review (run `reviewRunID`) and whether
    /// each still holds a live reservation to withdraw or hold.
    public func objectionTargets(orders: [String], reviewRunID: Int64, month: BatchMonth) throws
        -> [ByteString: Bool]
    {
        var known: [ByteString: Bool] = [:]
        for row in try connection.query(
            """
            SELECT d.order_no,
                   EXISTS (SELECT 1 FROM ledger_entries r WHERE r.request_id = d.request_id AND r.month = $3
                            AND r.kind = 'reservation'
                            AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = r.id)) AS reserved
              FROM decisions d WHERE d.run_id = $1 AND d.order_no = ANY($2::text[])
            """, [String(reviewRunID), PostgresArray.text(orders), month.description]
        ).rows {
            known[ByteString(try row.text("order_no"))] = try row.bool("reserved")
        }
        return known
    }

    // MARK: Payment lines

    /// A payment line as recorded: the bank files are written from these rows.
    public struct NewPaymentLine: Sendable {
        public var endToEndID: String
        public var ledgerEntry: Int64
        public var fileNumber: Int
        public var seq: Int
        public var requestID: String
        public var enterpriseName: String
        public var accountName: String
        public var accountNumber: String
        public var bankCode: String
        public var bankName: String
        public var amount: Fen

        public init(
            endToEndID: String, ledgerEntry: Int64, fileNumber: Int, seq: Int, requestID: String,
            enterpriseName: String, accountName: String, accountNumber: String, bankCode: String, bankName: String,
            amount: Fen
        ) {
            self.endToEndID = endToEndID
            self.ledgerEntry = ledgerEntry
            self.fileNumber = fileNumber
            self.seq = seq
            self.requestID = requestID
            self.enterpriseName = enterpriseName
            self.accountName = accountName
            self.accountNumber = accountNumber
            self.bankCode = bankCode
            self.bankName = bankName
            self.amount = amount
        }
    }

    public func recordPaymentLines(runID: Int64, _ lines: [NewPaymentLine]) throws {
        guard !lines.isEmpty else { return }
        try connection.copyIn(
            """
            COPY payment_lines (run_id, end_to_end_id, ledger_entry, file_no, seq, request_id, enterprise_name,
                                account_name, account_number, bank_code, bank_name, amount) FROM STDIN
            """
        ) { writer in
            for line in lines {
                try writer.write([
                    String(runID), line.endToEndID, String(line.ledgerEntry), String(line.fileNumber), String(line.seq),
                    line.requestID, line.enterpriseName, line.accountName, line.accountNumber, line.bankCode,
                    line.bankName, String(line.amount.value),
                ])
            }
        }
    }

    /// A payment line of a run as the bank files carry it.
    public struct RecordedLine: Sendable {
        public let seq: Int
        public let endToEndID: String
        public let requestID: String
        public let amount: Fen
        public let accountName: String
        public let accountNumber: String
        public let bankCode: String
        public let bankName: String
    }

    /// The payment lines of run `runID` whose ledger entry pays the same amount, in order, a page
    /// at a time.
    public func forEachPaymentLine(runID: Int64, _ body: (RecordedLine) throws -> Void) throws {
        try connection.forEachRow(
            """
            SELECT p.seq, p.end_to_end_id, p.request_id, p.amount, p.account_name, p.account_number, p.bank_code,
                   p.bank_name
              FROM payment_lines p JOIN ledger_entries l ON l.id = p.ledger_entry AND l.amount = p.amount
             WHERE p.run_id = $1 ORDER BY p.seq
            """, [String(runID)]
        ) { row in
            try body(
                RecordedLine(
                    seq: try row.int("seq"), endToEndID: try row.text("end_to_end_id"),
                    requestID: try row.text("request_id"), amount: try row.fen("amount"),
                    accountName: try row.text("account_name"), accountNumber: try row.text("account_number"),
                    bankCode: try row.text("bank_code"), bankName: try row.text("bank_name")))
        }
    }

    /// The count and total of run `runID`'s payment lines.
    public func paymentLineTotals(runID: Int64) throws -> (count: Int, total: Fen) {
        let row = try connection.queryRow(
            "SELECT count(*) AS lines, coalesce(sum(amount), 0) AS total FROM payment_lines WHERE run_id = $1",
            [String(runID)])
        return (try row.int("lines"), try row.fen("total"))
    }

    // MARK: Items not paid

    /// Why an item owed money was not paid by a run.
    public enum ExclusionOutcome: String, Sendable, CaseIterable {
        /// 撤销: an upheld objection released it.
        case withdrawn
        /// 暂缓: a pending objection or a disputed bank answer holds it.
        case held
        /// 无法支付: no account, a bad or returned account, a name outside GBK.
        case blocked
        /// 金额为零: accepted with nothing payable.
        case zero
    }

    public struct Exclusion: Sendable {
        public var requestID: String
        public var outcome: ExclusionOutcome
        public var code: String?
        public var detail: String

        public init(requestID: String, outcome: ExclusionOutcome, code: String?, detail: String) {
            self.requestID = requestID
            self.outcome = outcome
            self.code = code
            self.detail = detail
        }
    }

    public func recordExclusions(runID: Int64, _ exclusions: [Exclusion]) throws {
        guard !exclusions.isEmpty else { return }
        try connection.copyIn("COPY disbursement_exclusions (run_id, request_id, outcome, code, detail) FROM STDIN") {
            writer in
            for exclusion in exclusions {
                try writer.write([
                    String(runID), exclusion.requestID, exclusion.outcome.rawValue, exclusion.code, exclusion.detail,
                ])
            }
        }
    }

    /// The accepted requests of review `reviewRunID` with nothing payable, excluded as `zero`.
    public func excludeZeroPayable(runID: Int64, reviewRunID: Int64, detail: String) throws {
        try connection.execute(
            """
            INSERT INTO disbursement_exclusions (run_id, request_id, outcome, code, detail)
            SELECT $1, request_id, 'zero', NULL, $3
              FROM decisions WHERE run_id = $2 AND status = 'accepted' AND payable = 0
            """, [String(runID), String(reviewRunID), detail])
    }

    /// The items run `runID` did not pay, by outcome and request.
    public func exclusions(runID: Int64) throws -> [Exclusion] {
        try connection.query(
            """
            SELECT request_id, outcome, code, detail FROM disbursement_exclusions WHERE run_id = $1
             ORDER BY outcome COLLATE "C", request_id COLLATE "C"
            """, [String(runID)]
        ).rows.map { row in
            guard let outcome = ExclusionOutcome(rawValue: try row.text("outcome")) else {
                throw DatabaseError(message: "unknown exclusion outcome", context: "disbursement exclusions")
            }
            return Exclusion(
                requestID: try row.text("request_id"), outcome: outcome, code: try row.optionalText("code"),
                detail: try row.text("detail"))
        }
    }
}
