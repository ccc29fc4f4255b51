import SettlementFormats

/// A policy file that cannot be used, naming the key and the problem.
public struct PolicyError: Error, Equatable, Sendable, CustomStringConvertible {
    public let key: String
    public let problem: String
    public var description: String { key.isEmpty ? problem : "\(key): \(problem)" }

    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }
}

/// Reads a yearly policy file (TOML). Every key is optional and falls back to the spec's default;
/// an unknown key or a bad value is an error naming it.
public enum PolicyReader {
    /// The TOML table of a settings file, or an error saying where it is not valid TOML.
    public static func table(_ text: String) throws(PolicyError) -> TOMLTable {
        do {
            return try TOMLDocument.parse(text)
        } catch {
            throw PolicyError(key: "", problem: "not valid TOML: \(error)")
        }
    }

    public static func read(_ text: String, expectedYear: Int? = nil) throws(PolicyError) -> Policy {
        let table = try PolicyReader.table(text)
        var keys = KeyReader(table: table, prefix: "")
        guard let year = try keys.integer("year") else { throw PolicyError(key: "year", problem: "missing") }
        if let expectedYear, year != expectedYear {
            throw PolicyError(key: "year", problem: "is \(year), but the file is for \(expectedYear)")
        }
        var policy = Policy(year: year)
        if var quota = try keys.table("quota") {
            policy.quotaNorthern = try quota.money("northern") ?? policy.quotaNorthern
            policy.quotaElsewhere = try quota.money("elsewhere") ?? policy.quotaElsewhere
            if let prefixes = try quota.strings("northern_city_prefixes") {
                for prefix in prefixes where prefix.utf8.count != 4 || !CityCode.isJiangsu(prefix + "00") {
                    throw PolicyError(
                        key: "quota.northern_city_prefixes", problem: "'\(prefix)' is not a Jiangsu city prefix")
                }
                policy.northernCityPrefixes = prefixes
            }
            try quota.finish()
        }
        if var ratio = try keys.table("ratio") {
            policy.ratioNorthern = try ratio.ratio("northern") ?? policy.ratioNorthern
            policy.ratioElsewhere = try ratio.ratio("elsewhere") ?? policy.ratioElsewhere
            if let rounding = try ratio.string("rounding") {
                guard let mode = RoundingMode(rawValue: rounding) else {
                    throw PolicyError(key: "ratio.rounding", problem: "must be half_up or down, not '\(rounding)'")
                }
                policy.rounding = mode
            }
            for var entry in try ratio.tables("override") {
                let category = try entry.string("category")
                let type = try entry.string("enterprise_type")
                guard let value = try entry.ratio("ratio") else {
                    throw PolicyError(key: entry.prefix + "ratio", problem: "missing")
                }
                guard category != nil || type != nil else {
                    throw PolicyError(
                        key: entry.prefix.isEmpty ? "ratio.override" : String(entry.prefix.dropLast()),
                        problem: "needs a category or an enterprise_type")
                }
                try entry.finish()
                policy.ratioOverrides.append(RatioOverride(category: category, enterpriseType: type, ratio: value))
            }
            try ratio.finish()
        }
        if var payable = try keys.table("payable") {
            policy.capPerOrder = try payable.money("cap_per_order")
            if let shortfall = try payable.string("shortfall") {
                guard let value = ShortfallPolicy(rawValue: shortfall) else {
                    throw PolicyError(
                        key: "payable.shortfall", problem: "must be partial or reject, not '\(shortfall)'")
                }
                policy.shortfall = value
            }
            try payable.finish()
        }
        if var eligibility = try keys.table("eligibility") {
            policy.redemptionDeadline = try eligibility.date("redemption_deadline") ?? policy.redemptionDeadline
            policy.revenueLimit = try eligibility.money("revenue_limit") ?? policy.revenueLimit
            policy.highTechValidityYears =
                try eligibility.integer("high_tech_validity_years", in: 0...100) ?? policy.highTechValidityYears
            try eligibility.finish()
        }
        if var publicity = try keys.table("publicity") {
            policy.publicityWorkingDays =
                try publicity.integer("working_days", in: 1...60) ?? policy.publicityWorkingDays
            try publicity.finish()
        }
        if var attachments = try keys.table("attachments") {
            policy.maximumFileBytes =
                Int64(try attachments.integer("max_file_bytes", in: 1...Int.max) ?? Int(policy.maximumFileBytes))
            policy.maximumInvoiceFileBytes =
                Int64(
                    try attachments.integer("max_invoice_bytes", in: 1...Int.max) ?? Int(policy.maximumInvoiceFileBytes)
                )
            try attachments.finish()
        }
        try keys.finish()
        return policy
    }
}

/// Reads typed values from a TOML table, remembering which keys were used so that an unknown
/// key can be reported.
public struct KeyReader {
    public let table: TOMLTable
    public let prefix: String
    var used: Set<String> = []

    public init(table: TOMLTable, prefix: String) {
        self.table = table
        self.prefix = prefix
    }

    mutating func take(_ key: String) -> TOMLValue? {
        used.insert(key)
        return table[key]
    }

    func bad(_ key: String, _ problem: String) -> PolicyError { PolicyError(key: prefix + key, problem: problem) }

    /// Fails on the first key of the table that was never read.
    public func finish() throws(PolicyError) {
        for key in table.keys where !used.contains(key) {
            throw PolicyError(key: prefix + key, problem: "unknown key")
        }
    }

    public mutating func string(_ key: String) throws(PolicyError) -> String? {
        guard let value = take(key) else { return nil }
        guard case .string(let text) = value else { throw bad(key, "expected a string, found \(value.kindName)") }
        return text
    }

    public mutating func strings(_ key: String) throws(PolicyError) -> [String]? {
        guard let value = take(key) else { return nil }
        guard case .array(let elements) = value else { throw bad(key, "expected an array of strings") }
        var texts: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw bad(key, "expected an array of strings") }
            texts.append(text)
        }
        return texts
    }

    public mutating func bool(_ key: String) throws(PolicyError) -> Bool? {
        guard let value = take(key) else { return nil }
        guard case .bool(let flag) = value else { throw bad(key, "expected true or false") }
        return flag
    }

    public mutating func integer(_ key: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(PolicyError)
        -> Int?
    {
        guard let value = take(key) else { return nil }
        guard case .number(let text) = value, let number = Int(text) else {
            throw bad(key, "expected an integer, found \(value.kindName)")
        }
        guard range.contains(number) else { throw bad(key, "\(number) is out of range") }
        return number
    }

    public mutating func money(_ key: String) throws(PolicyError) -> Fen? {
        guard let value = take(key) else { return nil }
        switch value {
        case .string(let text), .number(let text):
            guard let amount = Fen(yuan: text) else { throw bad(key, "'\(text)' is not an amount in yuan") }
            return amount
        default:
            throw bad(key, "expected an amount in yuan, found \(value.kindName)")
        }
    }

    public mutating func ratio(_ key: String) throws(PolicyError) -> Ratio? {
        guard let value = take(key) else { return nil }
        switch value {
        case .string(let text), .number(let text):
            guard let ratio = Ratio(decimal: text) else {
                throw bad(key, "'\(text)' is not a ratio between 0 and 1 in steps of 0.0001")
            }
            return ratio
        default:
            throw bad(key, "expected a ratio, found \(value.kindName)")
        }
    }

    public mutating func date(_ key: String) throws(PolicyError) -> CivilDate? {
        guard let value = take(key) else { return nil }
        switch value {
        case .date(let text), .string(let text):
            guard let date = CivilDate(iso: text) else { throw bad(key, "'\(text)' is not a YYYY-MM-DD date") }
            return date
        default: throw bad(key, "expected a date, found \(value.kindName)")
        }
    }

    public mutating func dates(_ key: String) throws(PolicyError) -> [CivilDate]? {
        guard let value = take(key) else { return nil }
        guard case .array(let elements) = value else { throw bad(key, "expected an array of dates") }
        var dates: [CivilDate] = []
        for element in elements {
            switch element {
            case .date(let text), .string(let text):
                guard let date = CivilDate(iso: text) else { throw bad(key, "'\(text)' is not a YYYY-MM-DD date") }
                dates.append(date)
            default: throw bad(key, "expected an array of dates")
            }
        }
        return dates
    }

    public mutating func table(_ key: String) throws(PolicyError) -> KeyReader? {
        guard let value = take(key) else { return nil }
        guard case .table(let inner) = value else { throw bad(key, "expected a table, found \(value.kindName)") }
        return KeyReader(table: inner, prefix: prefix + key + ".")
    }

    public mutating func tables(_ key: String) throws(PolicyError) -> [KeyReader] {
        guard let value = take(key) else { return [] }
        guard case .array(let elements) = value else { throw bad(key, "expected an array of tables") }
        var readers: [KeyReader] = []
        for (index, element) in elements.enumerated() {
            guard case .table(let inner) = element else { throw bad(key, "expected an array of tables") }
            readers.append(KeyReader(table: inner, prefix: prefix + key + "[\(index)]."))
        }
        return readers
    }
}
