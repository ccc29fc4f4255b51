import SettlementCore

/// The notices produced (`notices`) and the facts each stage's notices are made from.
public struct NoticeStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// One notice as stored and as `notices.csv` lists it.
    public struct Row: Sendable {
        public var noticeID: String
        public var requestID: String
        public var revision: Int
        public var kind: String
        public var enterpriseUSCC: String
        public var enterpriseName: String
        public var contactMobile: String
        public var mobileProblem: String?
        public var orderNumber: String
        public var text: String

        public init(
            noticeID: String, requestID: String, revision: Int, kind: String, enterpriseUSCC: String,
            enterpriseName: String, contactMobile: String, mobileProblem: String?, orderNumber: String, text: String
        ) {
            self.noticeID = noticeID
            self.requestID = requestID
            self.revision = revision
            self.kind = kind
            self.enterpriseUSCC = enterpriseUSCC
            self.enterpriseName = enterpriseName
            self.contactMobile = contactMobile
            self.mobileProblem = mobileProblem
            self.orderNumber = orderNumber
            self.text = text
        }
    }

    /// Stores notices for run `runID`; a notice whose id exists already (the same event, notified
    /// before) is not stored again. Call inside the run's transaction, page by page.
    public func record(_ rows: [Row], runID: Int64, month: BatchMonth) throws {
        guard !rows.isEmpty else { return }
        try connection.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS page_notices (LIKE notices INCLUDING DEFAULTS) ON COMMIT DROP;
            TRUNCATE page_notices;
            """)
        try connection.copyIn(
            """
            COPY page_notices (notice_id, run_id, month, request_id, revision, kind, enterprise_uscc, enterprise_name,
                               contact_mobile, mobile_problem, order_no, text) FROM STDIN
            """
        ) { writer in
            for row in rows {
                try writer.write([
                    row.noticeID, String(runID), month.description, row.requestID, String(row.revision), row.kind,
                    row.enterpriseUSCC, row.enterpriseName, row.contactMobile, row.mobileProblem, row.orderNumber,
                    row.text,
                ])
            }
        }
        try connection.execute(
            "INSERT INTO notices SELECT DISTINCT ON (notice_id) * FROM page_notices ORDER BY notice_id ON CONFLICT (notice_id) DO NOTHING"
        )
    }

    /// Notices of run `runID` encoded ahead for `append(_:)` (none for no rows).
    public static func encode(_ rows: [Row], runID: Int64, month: BatchMonth) throws -> EncodedCopy? {
        guard !rows.isEmpty else { return nil }
        return try EncodedCopy.encode(
            """
            COPY notices (notice_id, run_id, month, request_id, revision, kind, enterprise_uscc, enterprise_name,
                          contact_mobile, mobile_problem, order_no, text) FROM STDIN
            """
        ) { writer in
            let monthText = month.description
            for row in rows {
                writer.cell(row.noticeID)
                writer.cell(runID)
                writer.cell(monthText)
                writer.cell(row.requestID)
                writer.cell(row.revision)
                writer.cell(row.kind)
                writer.cell(row.enterpriseUSCC)
                writer.cell(row.enterpriseName)
                writer.cell(row.contactMobile)
                writer.cell(row.mobileProblem)
                writer.cell(row.orderNumber)
                writer.cell(row.text)
                try writer.endRow()
            }
        }
    }

    /// Stores notices encoded by `encode` as they are: the caller has left out the events notified
    /// before (`ReviewWorkspace.forEachNotifiedBefore`), and the primary key refuses a notice whose id
    /// exists all the same (the run fails rather than list an event twice). Call inside the run's
    /// transaction, page by page.
    public func append(_ encoded: EncodedCopy) throws {
        try connection.copyIn(encoded)
    }

    /// The notices run `runID` produced (new events only), in request order.
    public func produced(runID: Int64, _ body: (Row) throws -> Void) throws {
        try connection.forEachPage(
            """
            SELECT notice_id, request_id, revision, kind, enterprise_uscc, enterprise_name, contact_mobile,
                   mobile_problem, order_no, text
              FROM notices WHERE run_id = $1 ORDER BY request_id COLLATE "C", notice_id
            """, [String(runID)], pageSize: 5_000
        ) { rows in
            for row in rows { try body(try NoticeStore.row(row)) }
        }
    }

    /// How many notices run `runID` stored.
    public func count(runID: Int64) throws -> Int {
        try connection.queryRow("SELECT count(*) AS n FROM notices WHERE run_id = $1", [String(runID)]).int("n")
    }

    /// A notice as `produced` selects it.
    static func row(_ row: QueryResult.Row) throws -> Row {
        Row(
            noticeID: try row.text("notice_id"), requestID: try row.text("request_id"),
            revision: try row.int("revision"), kind: try row.text("kind"),
            enterpriseUSCC: try row.text("enterprise_uscc"), enterpriseName: try row.text("enterprise_name"),
            contactMobile: try row.text("contact_mobile"), mobileProblem: try row.optionalText("mobile_problem"),
            orderNumber: try row.text("order_no"), text: try row.text("text"))
    }

    /// A money event of a run: a payment line (paid or repaid), a return, or a withdrawal.
    public struct MoneyFact: Sendable {
        public let kind: NoticeKind
        public let requestID: String
        public let revision: Int
        public let paymentID: String?
        public let enterpriseUSCC: String
        public let enterpriseName: String
        public let orderNumber: String
        public let amount: Fen?
        public let accountNumber: String
        public let detail: String
        public let contactMobile: String
    }

    /// The money events run `runID` recorded: payments and repayments it wrote, returns it applied,
    /// items it withdrew.
    public func moneyFacts(runID: Int64, _ body: ([MoneyFact]) throws -> Void) throws {
        try connection.forEachPage(
            """
            SELECT CASE WHEN e.kind = 'repayment' THEN 'repaid' WHEN e.kind = 'return' THEN 'returned'
                        WHEN e.kind = 'release' THEN 'withdrawn' ELSE 'paid' END AS notice_kind,
                   e.request_id, e.revision, p.end_to_end_id, d.enterprise_uscc, d.enterprise_name, d.order_no,
                   e.amount, coalesce(p.account_number, '') AS account_number, coalesce(e.note, '') AS note,
                   -- The contact mobile of the latest roster row of the account: the latest bundle wins.
                   coalesce((SELECT x.contact_mobile FROM roster_rows x JOIN bundles b ON b.id = x.bundle_id AND b.is_current
                      WHERE x.uscc = d.enterprise_uscc AND x.year = d.voucher_year AND x.defect IS NULL
                      ORDER BY b.month DESC, x.line DESC LIMIT 1), '') AS contact_mobile
              FROM ledger_entries e
              LEFT JOIN payment_lines p ON p.ledger_entry = CASE WHEN e.kind = 'return' THEN e.corrects ELSE e.id END
              JOIN LATERAL (SELECT d.* FROM decisions d JOIN reviews v ON v.run_id = d.run_id
                             WHERE d.request_id = e.request_id AND v.month = e.month
                             ORDER BY v.is_current DESC, v.run_id DESC LIMIT 1) d ON true
             WHERE e.run_id = $1 AND (e.kind IN ('payment', 'supplement', 'repayment', 'return')
                                      OR (e.kind = 'release' AND e.note = 'objection upheld'))
             ORDER BY e.id
            """, [String(runID)], pageSize: 5_000
        ) { rows in
            try body(
                rows.map { row in
                    guard let kind = NoticeKind(rawValue: try row.text("notice_kind")) else {
                        throw DatabaseError(message: "unknown notice kind", context: "money notices")
                    }
                    return MoneyFact(
                        kind: kind, requestID: try row.text("request_id"), revision: try row.int("revision"),
                        paymentID: try row.optionalText("end_to_end_id"),
                        enterpriseUSCC: try row.text("enterprise_uscc"),
                        enterpriseName: try row.text("enterprise_name"), orderNumber: try row.text("order_no"),
                        amount: try row.fen("amount"), accountNumber: try row.text("account_number"),
                        detail: try row.text("note"), contactMobile: try row.text("contact_mobile"))
                })
        }
    }
}
