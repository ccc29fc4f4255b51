import SettlementCore

/// 公示名单: the rows of a review's publicity list (its accepted decisions, by city code, enterprise
/// name and order number), kept on the review's `SnapshotReader` page by page as the review's own
/// session stores them, so that the list is sorted and read on the reader while the review's
/// session appends the ledger and aggregates the figures. A temporary table of the reader's
/// transaction. What the list shows is checked against what is stored: its count and total
/// against the stored decisions'.
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
            ) ON COMMIT DROP
            """)
    }

    /// A page's rows for the list, encoded ahead (on any thread, without the connection).
    public struct Page: Sendable {
        let publicity: EncodedCopy?

        /// The accepted ones of `decisions`.
        public init(decisions: some Sequence<Decision>) throws {
            var accepted = false
            let publicity = try EncodedCopy.encode(
                "COPY listed_publicity (city_code, enterprise_name, order_no, provider_name, contract_amount, payable) FROM STDIN"
            ) { writer in
                for d in decisions where d.status == .accepted {
                    accepted = true
                    writer.cell(d.cityCode)
                    writer.cell(d.enterpriseName)
                    writer.cell(d.orderNumber)
                    writer.cell(d.providerName)
                    writer.cell(d.contractAmount.value)
                    writer.cell(d.payable.value)
                    try writer.endRow()
                }
            }
            self.publicity = accepted ? publicity : nil
        }
    }

    public func append(_ page: Page) throws {
        if let publicity = page.publicity { try connection.copyIn(publicity) }
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
}
