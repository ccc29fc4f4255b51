import SettlementFormats

/// The columns of `vouchers.csv` and `providers.csv`, and how one record becomes a row.
public enum RosterColumns {
    public static let vouchers = [
        "year", "uscc", "enterprise_name", "enterprise_type", "city_code", "qualification_no", "qualified_on",
        "prior_year_revenue", "status", "granted_on", "quota", "used_before", "bank_name", "bank_code",
        "account_name", "account_number",
    ]
    public static let providers = ["shop_id", "uscc", "name", "status", "city_code"]
}

/// Where each column read sits in a file's header; column order is free and unknown columns are
/// ignored. A column read that the header names twice refuses the file: its two cells could say
/// two things (two `account_number`s, two `decision`s), and which one the platform meant is unknown.
public struct ColumnMap: Sendable {
    /// Header names are compared by their bytes.
    public let positions: [ByteString: Int]
    public let width: Int

    /// The map, or what is wrong with the header: required columns it lacks, columns read that it
    /// names more than once (`optional` columns are read when present).
    public static func make(
        header: [String], required: [String], optional: [String] = []
    ) -> Result<ColumnMap, ColumnProblem> {
        var positions: [ByteString: Int] = [:]
        var repeated: [String] = []
        let read = Set((required + optional).map(ByteString.init))
        for (index, name) in header.enumerated() {
            let key = ByteString(name)
            if positions[key] == nil {
                positions[key] = index
            } else if read.contains(key), !repeated.contains(where: { $0.sameBytes(as: name) }) {
                repeated.append(name)
            }
        }
        let missing = required.filter { positions[ByteString($0)] == nil }
        guard missing.isEmpty, repeated.isEmpty else {
            return .failure(ColumnProblem(missing: missing, repeated: repeated))
        }
        return .success(ColumnMap(positions: positions, width: header.count))
    }

    public func value(_ name: String, in fields: [String]) -> String {
        guard let index = positions[ByteString(name)], index < fields.count else { return "" }
        return fields[index]
    }
}

/// Why a header cannot be read.
public struct ColumnProblem: Error, Equatable, Sendable {
    public let missing: [String]
    public let repeated: [String]

    public var message: String {
        [
            missing.isEmpty ? nil : "missing required columns: " + missing.joined(separator: ", "),
            repeated.isEmpty
                ? nil
                : "columns named more than once (their cells could disagree): " + repeated.joined(separator: ", "),
        ].compactMap { $0 }.joined(separator: "; ")
    }
}

/// Reads roster and provider records. A row whose money, date or year cannot be parsed is
/// defective: it is quarantined and counts as absent. Values that parse but break a rule are
/// kept as they are for the review to judge.
public enum RosterRowParser {
    public static func voucherAccount(_ record: CSVRecord, columns: ColumnMap) -> Result<VoucherAccount, RowDefect> {
        var problems: [String] = []
        if let problem = record.problem { problems.append(problem) }
        if record.fields.count != columns.width {
            problems.append("has \(record.fields.count) fields, the header has \(columns.width)")
        }
        func text(_ name: String) -> String { columns.value(name, in: record.fields) }
        func money(_ name: String) -> Fen? {
            let raw = text(name)
            guard let amount = Fen(yuan: raw) else {
                problems.append("\(name): bad money '\(RequestDecoder.quoted(raw))'")
                return nil
            }
            return amount
        }
        func date(_ name: String) -> CivilDate? {
            let raw = text(name)
            guard let date = CivilDate(iso: raw) else {
                problems.append("\(name): bad date '\(RequestDecoder.quoted(raw))'")
                return nil
            }
            return date
        }
        let yearText = text("year")
        let year = RosterRowParser.year(yearText)
        if year == nil { problems.append("year: bad year '\(RequestDecoder.quoted(yearText))'") }
        let qualifiedOn = date("qualified_on")
        let revenue = money("prior_year_revenue")
        let grantedOn = date("granted_on")
        let quota = money("quota")
        let usedBefore = money("used_before")
        guard problems.isEmpty, let year, let qualifiedOn, let revenue, let grantedOn, let quota, let usedBefore else {
            return .failure(RowDefect(line: record.line, key: yearText + "/" + text("uscc"), problems: problems))
        }
        return .success(
            VoucherAccount(
                year: year, uscc: text("uscc"), enterpriseName: text("enterprise_name"),
                enterpriseType: text("enterprise_type"), cityCode: text("city_code"),
                qualificationNumber: text("qualification_no"), qualifiedOn: qualifiedOn, priorYearRevenue: revenue,
                status: text("status"), grantedOn: grantedOn, quota: quota, usedBefore: usedBefore,
                bankName: text("bank_name"), bankCode: text("bank_code"), accountName: text("account_name"),
                accountNumber: text("account_number")))
    }

    public static func provider(_ record: CSVRecord, columns: ColumnMap) -> Result<Provider, RowDefect> {
        var problems: [String] = []
        if let problem = record.problem { problems.append(problem) }
        if record.fields.count != columns.width {
            problems.append("has \(record.fields.count) fields, the header has \(columns.width)")
        }
        let shopID = columns.value("shop_id", in: record.fields)
        guard problems.isEmpty else { return .failure(RowDefect(line: record.line, key: shopID, problems: problems)) }
        return .success(
            Provider(
                shopID: shopID, uscc: columns.value("uscc", in: record.fields),
                name: columns.value("name", in: record.fields),
                status: columns.value("status", in: record.fields),
                cityCode: columns.value("city_code", in: record.fields)))
    }

    /// A voucher year: four ASCII digits.
    static func year(_ text: String) -> Int? {
        guard text.utf8.count == 4, let value = Digits.value(Array(text.utf8)), value >= 1 else { return nil }
        return value
    }
}

/// A roster or provider row that cannot be loaded.
public struct RowDefect: Error, Equatable, Sendable {
    /// The 1-based line of the CSV file where the record starts.
    public let line: Int
    /// The row's key as far as it could be read: `year/uscc`, or the shop id.
    public let key: String
    public let problems: [String]

    public var detail: String { problems.joined(separator: "; ") }
}
