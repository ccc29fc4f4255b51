import SettlementCore

/// 审核结果: the reviews of a batch and what each decided — decisions and findings. Written a page
/// at a time in bulk (COPY) inside the review's transaction.
public struct DecisionStore {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    // MARK: Reviews

    /// The current review of a batch.
    public struct CurrentReview: Sendable {
        public let runID: Int64
        public let reviewNumber: Int
        public let businessDate: CivilDate
    }

    public func currentReview(month: BatchMonth) throws -> CurrentReview? {
        try connection.query(
            "SELECT run_id, review_no, business_date FROM reviews WHERE month = $1 AND is_current", [month.description]
        ).first.map { row in
            CurrentReview(
                runID: try row.int64("run_id"), reviewNumber: try row.int("review_no"),
                businessDate: try row.date("business_date"))
        }
    }

    /// The latest batch month from `month` on that has a current review (a bundle for an earlier
    /// month would change the allocation order after the fact).
    public func latestReviewedMonth(from month: BatchMonth) throws -> String? {
        try connection.queryRow(
            "SELECT max(month) AS month FROM reviews WHERE is_current AND month >= $1", [month.description]
        ).optionalText("month")
    }

    /// The review of run `runID` stops being current (a rerun replaces it).
    public func retire(runID: Int64) throws {
        try connection.execute("UPDATE reviews SET is_current = false WHERE run_id = $1", [String(runID)])
    }

    public func recordReview(
        runID: Int64, month: BatchMonth, reviewNumber: Int, bundleID: Int64, businessDate: CivilDate,
        window: PublicityWindow
    ) throws {
        try connection.execute(
            """
            INSERT INTO reviews (run_id, month, review_no, bundle_id, business_date, publicity_first, publicity_last)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """,
            [
                String(runID), month.description, String(reviewNumber), String(bundleID), businessDate.description,
                window.firstDay.description, window.lastDay.description,
            ])
    }

    // MARK: Decisions

    /// A page of decisions of run `runID` (`seq` is the allocation order, `line` the input line)
    /// and their findings, encoded ahead for `write(_:)`. The keys a decision claims are its
    /// request line's (`decision_claim_keys`), taken by `ClaimStore.take`.
    public static func encode(runID: Int64, _ page: [(seq: Int, line: Int, decision: Decision)]) throws
        -> [EncodedCopy]
    {
        guard !page.isEmpty else { return [] }
        let decisions = try EncodedCopy.encode(
            """
            COPY decisions (run_id, seq, line, request_id, revision, order_no, enterprise_uscc, enterprise_name,
                enterprise_type, city_code, shop_id, provider_name, voucher_year, status, codes, invoice_total,
                contract_amount, requested, entitlement, payable, remaining_after, cut_by_balance, categories,
                drops_earlier_claims) FROM STDIN
            """
        ) { writer in
            for (seq, line, d) in page {
                writer.cell(runID)
                writer.cell(seq)
                writer.cell(line)
                writer.cell(d.requestID)
                writer.cell(d.revision)
                writer.cell(d.orderNumber)
                writer.cell(d.enterpriseUSCC)
                writer.cell(d.enterpriseName)
                writer.cell(d.enterpriseType)
                writer.cell(d.cityCode)
                writer.cell(d.shopID)
                writer.cell(d.providerName)
                writer.cell(d.voucherYear)
                writer.cell(d.status.rawValue)
                writer.cell(d.codes)
                writer.cell(d.invoiceTotal.value)
                writer.cell(d.contractAmount.value)
                writer.cell(d.requested.value)
                writer.cell(d.entitlement.value)
                writer.cell(d.payable.value)
                writer.cell(d.remainingAfter.value)
                writer.cell(d.cutByBalance.value)
                writer.cell(joining: d.categories, separator: 0x1F)
                writer.cell(d.dropsEarlierClaims)
                try writer.endRow()
            }
        }
        let findings = try EncodedCopy.encode("COPY findings (run_id, request_id, code, severity, detail) FROM STDIN") {
            writer in
            for (_, _, d) in page {
                for finding in d.findings {
                    writer.cell(runID)
                    writer.cell(d.requestID)
                    writer.cell(finding.code.rawValue)
                    writer.cell(finding.severity.name)
                    writer.cell(finding.detail)
                    try writer.endRow()
                }
            }
        }
        return findings.rows > 0 ? [decisions, findings] : [decisions]
    }

    /// Stores a page encoded by `encode`.
    public func write(_ encoded: [EncodedCopy]) throws {
        for copy in encoded { try connection.copyIn(copy) }
    }
}
