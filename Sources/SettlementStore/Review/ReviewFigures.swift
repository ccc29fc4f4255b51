import SettlementCore

/// The figures of a review for the finance report, aggregated by the database from the decisions
/// of the run (in the review's own transaction).
public struct ReviewFigures: Sendable {
    public struct Group: Sendable {
        public var key: String
        public var count: Int
        public var accepted: Int
        public var requested: Fen
        public var payable: Fen
    }

    public struct CodeCount: Sendable {
        public var code: String
        public var severity: String
        public var count: Int
        public var examples: [String]
    }

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
    /// `totals` when they were read already.
    public static func load(_ connection: Connection, runID: Int64, policy: Policy, totals: ReviewFigures? = nil)
        throws -> ReviewFigures
    {
        var figures = try totals ?? self.totals(connection, runID: runID)
        try figures.loadGroups(connection, runID: runID, policy: policy)
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

    /// The groups, codes, partial payments, regions, overpayments and supplements.
    mutating func loadGroups(_ connection: Connection, runID: Int64, policy: Policy) throws {
        let run = String(runID)
        // By city (the prefecture: the first four digits of the code), by enterprise type, by category.
        for row in try connection.query(
            """
            SELECT grouping, key, count(*) AS decisions, count(*) FILTER (WHERE status = 'accepted') AS accepted,
                   coalesce(sum(requested), 0) AS requested, coalesce(sum(payable), 0) AS payable
              FROM (SELECT 'city' AS grouping,
                           CASE WHEN d.city_code = '' THEN '' ELSE substr(d.city_code, 1, 4) END AS key,
                           d.status, d.requested, d.payable
                      FROM decisions d WHERE d.run_id = $1
                    UNION ALL
                    SELECT 'type', d.enterprise_type, d.status, d.requested, d.payable
                      FROM decisions d WHERE d.run_id = $1
                    UNION ALL
                    SELECT 'category', c.category, d.status, d.requested, d.payable
                      FROM decisions d CROSS JOIN LATERAL unnest(string_to_array(d.categories, E'\\x1f')) AS c(category)
                     WHERE d.run_id = $1) g
             GROUP BY grouping, key
             ORDER BY grouping, key COLLATE "C"
            """, [run]
        ).rows {
            let group = Group(
                key: try row.text("key"), count: try row.int("decisions"), accepted: try row.int("accepted"),
                requested: try row.fen("requested"), payable: try row.fen("payable"))
            switch try row.text("grouping") {
            case "city": byCity.append(group)
            case "type": byType.append(group)
            default: byCategory.append(group)
            }
        }
        codes = try connection.query(
            """
            SELECT f.code, f.severity, count(*) AS findings, (array_agg(f.request_id ORDER BY d.seq))[1:3] AS examples
              FROM findings f JOIN decisions d ON d.run_id = f.run_id AND d.request_id = f.request_id
             WHERE f.run_id = $1 GROUP BY f.code, f.severity ORDER BY count(*) DESC, f.code COLLATE "C"
            """, [run]
        ).rows.map {
            CodeCount(
                code: try $0.text("code"), severity: try $0.text("severity"), count: try $0.int("findings"),
                examples: try $0.text("examples").trimmingCharacters(in: ["{", "}"]).split(separator: ",").map(
                    String.init))
        }
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

extension String {
    func trimmingCharacters(in characters: Set<Character>) -> String {
        var text = Substring(self)
        while let first = text.first, characters.contains(first) { text = text.dropFirst() }
        while let last = text.last, characters.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
