import SettlementCore

/// 公示名单与通知清单: the rows of a review's two sorted lists — the publicity list (its accepted
/// decisions, by city code, enterprise name and order number) and its new notices (by request) —
/// kept on the review's `SnapshotReader` page by page as the review's own session stores them, so
/// that the lists are sorted and read on the reader while the review's session appends the ledger
/// and aggregates the figures. Temporary tables of the reader's transaction; the notices are the
/// very bytes stored. What the lists show is checked against what is stored: the publicity's count
/// and total against the stored decisions', the notices' count against the rows stored.
public struct ReviewListing {
    let connection: Connection

    /// The listing on `reader`, the session of the review's `SnapshotReader`.
    public init(reader: Connection) { connection = reader }

    public func create() throws {
        try connection.execute(
            """
            CREATE TEMP TABLE listed_publicity (
                city_code text NOT NULL, enterprise_name text NOT NULL, order_no text NOT NULL,
                provider_name text NOT NULL, contract_amount bigint NOT NULL, payable bigint NOT NULL
            ) ON COMMIT DROP;
            CREATE TEMP TABLE listed_notices (LIKE notices) ON COMMIT DROP
            """)
    }

    /// A page's rows for the lists, encoded ahead (on any thread, without the connection).
    public struct Page: Sendable {
        let publicity: EncodedCopy?
        let notices: EncodedCopy?

        /// The accepted ones of `decisions` for the publicity list, and the notices as encoded for
        /// storing (`NoticeStore.encode`).
        public init(decisions: some Sequence<Decision>, notices: EncodedCopy?) throws {
            var accepted = false
            let publicity = try EncodedCopy.encode(
                "COPY listed_publicity (city_code, enterprise_name, order_no, provider_name, contract_amount, payable) FROM STDIN"
            ) { writer in
                for d in decisions where d.status == .accepted {
                    accepted = true
                    try writer.write([
                        d.cityCode, d.enterpriseName, d.orderNumber, d.providerName, String(d.contractAmount.value),
                        String(d.payable.value),
                    ])
                }
            }
            self.publicity = accepted ? publicity : nil
            // The columns of `NoticeStore.encode`, in its order.
            self.notices = notices?.sent(
                as: """
                    COPY listed_notices (notice_id, run_id, month, request_id, revision, kind, enterprise_uscc,
                                         enterprise_name, contact_mobile, mobile_problem, order_no, text) FROM STDIN
                    """)
        }
    }

    public func append(_ page: Page) throws {
        if let publicity = page.publicity { try connection.copyIn(publicity) }
        if let notices = page.notices { try connection.copyIn(notices) }
    }

    // MARK: 公示名单

    /// The count and total payable of the accepted decisions listed.
    public func publicityTotals() throws -> (count: Int, total: Fen) {
        let row = try connection.queryRow(
            "SELECT count(*) AS accepted, coalesce(sum(payable), 0) AS payable FROM listed_publicity")
        return (try row.int("accepted"), try row.fen("payable"))
    }

    /// An accepted decision as the publicity list shows it.
    public struct PublicityRow: Sendable {
        public let enterpriseName: String
        public let cityCode: String
        public let providerName: String
        public let orderNumber: String
        public let contractAmount: Fen
        public let payable: Fen
    }

    /// Ordered by city code, enterprise name and order number (bytes).
    public func forEachPublicityRow(_ body: (PublicityRow) throws -> Void) throws {
        try connection.forEachRow(
            """
            SELECT enterprise_name, city_code, provider_name, order_no, contract_amount, payable FROM listed_publicity
             ORDER BY city_code COLLATE "C", enterprise_name COLLATE "C", order_no COLLATE "C"
            """
        ) { row in
            try body(
                PublicityRow(
                    enterpriseName: try row.text("enterprise_name"), cityCode: try row.text("city_code"),
                    providerName: try row.text("provider_name"), orderNumber: try row.text("order_no"),
                    contractAmount: try row.fen("contract_amount"), payable: try row.fen("payable")))
        }
    }

    // MARK: 通知清单

    /// The new notices listed, in request order (as `NoticeStore.produced` lists a run's).
    public func forEachNotice(_ body: (NoticeStore.Row) throws -> Void) throws {
        try connection.forEachPage(
            """
            SELECT notice_id, request_id, revision, kind, enterprise_uscc, enterprise_name, contact_mobile,
                   mobile_problem, order_no, text
              FROM listed_notices ORDER BY request_id COLLATE "C", notice_id
            """, pageSize: 5_000
        ) { rows in
            for row in rows { try body(try NoticeStore.row(row)) }
        }
    }
}
