import SettlementCore
import SettlementStore

/// The figures of a review for the finance report, aggregated by the database from the decisions
/// of the run (in the review's own transaction).
struct ReviewFigures {
    struct Group {
        var key: String
        var count: Int
        var accepted: Int
        var requested: Fen
        var payable: Fen
    }

    struct CodeCount {
        var code: String
        var severity: String
        var count: Int
        var examples: [String]
    }

    struct Partial {
        var requestID: String
        var enterprise: String
        var claim: Fen
        var payable: Fen
    }

    struct Region {
        var name: String
        var accounts: Int
        var limit: Fen
        var committed: Fen
    }

    var statusCounts: [DecisionStatus: Int] = [:]
    var requestedAll = Fen.zero
    var requestedAccepted = Fen.zero
    var entitled = Fen.zero
    var payable = Fen.zero
    var cutByBalance = Fen.zero
    var cappedByEntitlement = Fen.zero
    var byCity: [Group] = []
    var byType: [Group] = []
    var byCategory: [Group] = []
    var codes: [CodeCount] = []
    var partials: [Partial] = []
    var regions: [Region] = []
    /// For a rerun after payment: amounts paid that are no longer owed (finance recovers them),
    /// and differences still to pay as supplements.
    var overpayments: [(requestID: String, amount: Fen, note: String)] = []
    /// Amounts owed on items whose money had moved: supplements, and repayments after a bank return.
    var supplements: [(requestID: String, amount: Fen, afterReturn: Bool)] = []

    var decisionCount: Int { statusCounts.values.reduce(0, +) }

    static func load(_ connection: Connection, runID: Int64, policy: Policy) throws -> ReviewFigures {
        var figures = ReviewFigures()
        let run = String(runID)
        for row in try connection.query(
            """
            SELECT status, count(*), coalesce(sum(requested), 0), coalesce(sum(entitlement), 0), coalesce(sum(payable), 0),
                   coalesce(sum(cut_by_balance), 0), coalesce(sum(greatest(requested - entitlement, 0)), 0)
              FROM decisions WHERE run_id = $1 GROUP BY status
            """, [run]
        ).rows {
            guard let status = DecisionStatus(rawValue: row.string(0)) else { continue }
            figures.statusCounts[status] = row.int(1) ?? 0
            figures.requestedAll = figures.requestedAll.adding(Fen(row.int64(2) ?? 0)) ?? figures.requestedAll
            if status == .accepted {
                figures.requestedAccepted = Fen(row.int64(2) ?? 0)
                figures.entitled = Fen(row.int64(3) ?? 0)
                figures.payable = Fen(row.int64(4) ?? 0)
                figures.cutByBalance = Fen(row.int64(5) ?? 0)
                figures.cappedByEntitlement = Fen(row.int64(6) ?? 0)
            }
        }
        func groups(_ keySQL: String, from source: String = "decisions d") throws -> [Group] {
            try connection.query(
                """
                SELECT * FROM (
                    SELECT \(keySQL) AS key, count(*), count(*) FILTER (WHERE status = 'accepted'),
                           coalesce(sum(requested), 0), coalesce(sum(payable), 0)
                      FROM \(source) WHERE d.run_id = $1 GROUP BY 1) g
                 ORDER BY key COLLATE "C"
                """, [run]
            ).rows.map {
                Group(
                    key: $0.string(0), count: $0.int(1) ?? 0, accepted: $0.int(2) ?? 0,
                    requested: Fen($0.int64(3) ?? 0), payable: Fen($0.int64(4) ?? 0))
            }
        }
        figures.byCity = try groups("CASE WHEN d.city_code = '' THEN '' ELSE substr(d.city_code, 1, 4) END")
        figures.byType = try groups("d.enterprise_type")
        figures.byCategory = try groups(
            "c.category",
            from: "decisions d CROSS JOIN LATERAL unnest(string_to_array(d.categories, E'\\x1f')) AS c(category)")
        figures.codes = try connection.query(
            """
            SELECT f.code, f.severity, count(*), (array_agg(f.request_id ORDER BY d.seq))[1:3]
              FROM findings f JOIN decisions d ON d.run_id = f.run_id AND d.request_id = f.request_id
             WHERE f.run_id = $1 GROUP BY f.code, f.severity ORDER BY count(*) DESC, f.code
            """, [run]
        ).rows.map {
            CodeCount(
                code: $0.string(0), severity: $0.string(1), count: $0.int(2) ?? 0,
                examples: $0.string(3).trimmingCharacters(in: ["{", "}"]).split(separator: ",").map(String.init))
        }
        figures.partials = try connection.query(
            """
            SELECT request_id, enterprise_name, payable + cut_by_balance, payable FROM decisions
             WHERE run_id = $1 AND status = 'accepted' AND cut_by_balance > 0 ORDER BY seq
            """, [run]
        ).rows.map {
            Partial(
                requestID: $0.string(0), enterprise: $0.string(1), claim: Fen($0.int64(2) ?? 0),
                payable: Fen($0.int64(3) ?? 0))
        }
        var regions: [String: Region] = [:]
        for row in try connection.query(
            """
            SELECT DISTINCT ON (a.id) d.city_code, a.limit_fen, a.reserved_fen + a.paid_fen
              FROM decisions d JOIN voucher_accounts a ON a.uscc = d.enterprise_uscc AND a.year = d.voucher_year
             WHERE d.run_id = $1 AND d.city_code <> ''
            """, [run]
        ).rows {
            let name = policy.isNorthern(cityCode: row.string(0)) ? "苏北五市" : "其他地区"
            var region = regions[name] ?? Region(name: name, accounts: 0, limit: .zero, committed: .zero)
            region.accounts += 1
            region.limit = region.limit.adding(Fen(max(row.int64(1) ?? 0, 0))) ?? region.limit
            region.committed = region.committed.adding(Fen(row.int64(2) ?? 0)) ?? region.committed
            regions[name] = region
        }
        figures.regions = ["苏北五市", "其他地区"].compactMap { regions[$0] }
        figures.overpayments = try connection.query(
            "SELECT request_id, amount, coalesce(note, '') FROM ledger_entries WHERE run_id = $1 AND kind = 'overpayment' ORDER BY id",
            [run]
        ).rows.map { ($0.string(0), Fen($0.int64(1) ?? 0), $0.string(2)) }
        figures.supplements = try connection.query(
            """
            SELECT request_id, amount, note LIKE 'repayment%' FROM ledger_entries
             WHERE run_id = $1 AND kind = 'reservation' AND (note LIKE 'supplement%' OR note LIKE 'repayment%')
             ORDER BY id
            """, [run]
        ).rows.map { ($0.string(0), Fen($0.int64(1) ?? 0), $0.bool(2) ?? false) }
        return figures
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
