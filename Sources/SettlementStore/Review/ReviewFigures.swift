import SettlementCore

/// The figures of a review for the finance report: the totals by status aggregated by the
/// database from the decisions of the run (in the review's own transaction), the breakdowns as the
/// review tallied them (`DecisionTally`, checked against those totals), and what the ledger holds
/// after the review's append (voucher use per region, partial payments, overpayments, supplements).
public struct ReviewFigures: Sendable {
    /// A breakdown's line (tallied by the review as it decides: `DecisionTally`).
    public typealias Group = DecisionTally.Group
    /// A finding code's count and examples (tallied by the review as it decides).
    public typealias CodeCount = DecisionTally.CodeCount

    public struct Partial: Sendable {
        public var requestID: String
        public var enterprise: String
        public var claim: Fen
        public var payable: Fen
    }

    public struct Region: Sendable {
        public var name: String
        public var accounts: Int
        public var limit: Fen
        public var committed: Fen
    }

    public var statusCounts: [DecisionStatus: Int] = [:]
    public var requestedAll = Fen.zero
    public var requestedAccepted = Fen.zero
    public var entitled = Fen.zero
    public var payable = Fen.zero
    public var cutByBalance = Fen.zero
    public var cappedByEntitlement = Fen.zero
    public var byCity: [Group] = []
    public var byType: [Group] = []
    public var byCategory: [Group] = []
    public var codes: [CodeCount] = []
    public var partials: [Partial] = []
    public var regions: [Region] = []
    /// For a rerun after payment: amounts paid that are no longer owed (finance recovers them),
    /// and differences still to pay as supplements.
    public var overpayments: [(requestID: String, amount: Fen, note: String)] = []
    /// Amounts owed on items whose money had moved: supplements, and repayments after a bank return.
    public var supplements: [(requestID: String, amount: Fen, afterReturn: Bool)] = []

    public var decisionCount: Int { statusCounts.values.reduce(0, +) }

    /// Every figure of the review (after its ledger entries are appended: the regions' committed
    /// amounts and the overpayments and supplements are the ledger's). `totals`: the run's
    /// `totals` when they were read already. The breakdowns by city, type, category and code are
    /// `tally`'s, which the review counted as it decided; they must add up to the decisions the
    /// database stored (count and payable amount), or the figures are refused.
    public static func load(
        _ connection: Connection, runID: Int64, policy: Policy, tally: DecisionTally, totals: ReviewFigures? = nil
    ) throws -> ReviewFigures {
        var figures = try totals ?? self.totals(connection, runID: runID)
        var payable = Fen.zero
        for group in tally.byType { payable = try sum(payable, group.payable) }
        guard tally.decisions == figures.decisionCount, payable == figures.payable else {
            throw DatabaseError(
                message:
                    "the breakdowns count \(tally.decisions) decisions paying \(payable.yuanText); the database stored "
                    + "\(figures.decisionCount) paying \(figures.payable.yuanText)",
                context: "review figures")
        }
        do {
            figures.byCity = try tally.byCity()
        } catch {
            throw DatabaseError(message: "\(error)", context: "review figures")
        }
        figures.byType = tally.byType
        figures.byCategory = tally.byCategory
        figures.codes = tally.codeCounts
        try figures.loadLedgerFigures(connection, runID: runID, policy: policy)
        return figures
    }

    /// The decisions' counts by status and their amounts (`statusCounts`, `requestedAll`,
    /// `requestedAccepted`, `entitled`, `payable`, `cutByBalance`, `cappedByEntitlement`), which
    /// the decisions alone give; every other figure is left empty.
    public static func totals(_ connection: Connection, runID: Int64) throws -> ReviewFigures {
        var figures = ReviewFigures()
        let run = String(runID)
        for row in try connection.query(
            """
            SELECT status, count(*) AS decisions, coalesce(sum(requested), 0) AS requested,
                   coalesce(sum(entitlement), 0) AS entitled, coalesce(sum(payable), 0) AS payable,
                   coalesce(sum(cut_by_balance), 0) AS cut_by_balance,
                   coalesce(sum(greatest(requested - entitlement, 0)), 0) AS capped
              FROM decisions WHERE run_id = $1 GROUP BY status
            """, [run]
        ).rows {
            guard let status = DecisionStatus(rawValue: try row.text("status")) else { continue }
            let requested = try row.fen("requested")
            figures.statusCounts[status] = try row.int("decisions")
            figures.requestedAll = try sum(figures.requestedAll, requested)
            if status == .accepted {
                figures.requestedAccepted = requested
                figures.entitled = try row.fen("entitled")
                figures.payable = try row.fen("payable")
                figures.cutByBalance = try row.fen("cut_by_balance")
                figures.cappedByEntitlement = try row.fen("capped")
            }
        }
        return figures
    }

    /// The partial payments, regions, overpayments and supplements.
    mutating func loadLedgerFigures(_ connection: Connection, runID: Int64, policy: Policy) throws {
        let run = String(runID)
        partials = try connection.query(
            """
            SELECT request_id, enterprise_name, payable + cut_by_balance AS claim, payable FROM decisions
             WHERE run_id = $1 AND status = 'accepted' AND cut_by_balance > 0 ORDER BY seq
            """, [run]
        ).rows.map {
            Partial(
                requestID: try $0.text("request_id"), enterprise: try $0.text("enterprise_name"),
                claim: try $0.fen("claim"), payable: try $0.fen("payable"))
        }
        // Each account of the batch once (with the city of its decisions: one per enterprise), summed
        // by city code in the database — a few dozen rows, not one per account — then by region.
        var regions: [String: Region] = [:]
        for row in try connection.query(
            """
            SELECT x.city_code, count(*) AS accounts, sum(greatest(a.limit_fen, 0)) AS limit_fen,
                   sum(a.reserved_fen + a.paid_fen) AS committed
              FROM (SELECT enterprise_uscc, voucher_year, min(city_code COLLATE "C") AS city_code
                      FROM decisions WHERE run_id = $1 AND city_code <> ''
                     GROUP BY enterprise_uscc, voucher_year) x
              JOIN voucher_accounts a ON a.uscc = x.enterprise_uscc AND a.year = x.voucher_year
             GROUP BY x.city_code
             ORDER BY x.city_code COLLATE "C"
            """, [run]
        ).rows {
            let name = policy.isNorthern(cityCode: try row.text("city_code")) ? "苏北五市" : "其他地区"
            var region = regions[name] ?? Region(name: name, accounts: 0, limit: .zero, committed: .zero)
            region.accounts += try row.int("accounts")
            region.limit = try ReviewFigures.sum(region.limit, try row.fen("limit_fen"))
            region.committed = try ReviewFigures.sum(region.committed, try row.fen("committed"))
            regions[name] = region
        }
        self.regions = ["苏北五市", "其他地区"].compactMap { regions[$0] }
        overpayments = try connection.query(
            """
            SELECT request_id, amount, coalesce(note, '') AS note FROM ledger_entries
             WHERE run_id = $1 AND kind = 'overpayment' ORDER BY id
            """, [run]
        ).rows.map { (try $0.text("request_id"), try $0.fen("amount"), try $0.text("note")) }
        supplements = try connection.query(
            """
            SELECT request_id, amount, note LIKE 'repayment%' AS after_return FROM ledger_entries
             WHERE run_id = $1 AND kind = 'reservation' AND (note LIKE 'supplement%' OR note LIKE 'repayment%')
             ORDER BY id
            """, [run]
        ).rows.map { (try $0.text("request_id"), try $0.fen("amount"), try $0.bool("after_return")) }
    }

    static func sum(_ a: Fen, _ b: Fen) throws -> Fen {
        guard let total = a.adding(b) else {
            throw DatabaseError(message: "a total of the review overflows", context: "review figures")
        }
        return total
    }
}
