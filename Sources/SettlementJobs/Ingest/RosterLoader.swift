import SettlementCore
import SettlementStore

/// Loads `vouchers.csv` and `providers.csv` into the store with COPY, streaming. A row that
/// cannot be loaded is kept with its defect (and counts as absent for the review).
struct RosterLoader {
    let connection: Connection
    let bundleID: Int64
    let encoding: BundleEncoding

    struct Outcome {
        var rows = 0
        var defects: [RowDefect] = []
    }

    func loadVouchers(path: String) throws -> Outcome {
        var outcome = Outcome()
        try connection.copyIn(
            """
            COPY roster_rows (bundle_id, line, year, uscc, defect, enterprise_name, enterprise_type, city_code,
                qualification_no, qualified_on, prior_year_revenue, status, granted_on, quota, used_before,
                bank_name, bank_code, account_name, account_number, contact_mobile) FROM STDIN
            """
        ) { writer in
            try forEachRecord(path: path, required: RosterColumns.vouchers) { record, columns in
                outcome.rows += 1
                switch RosterRowParser.voucherAccount(record, columns: columns) {
                case .success(let account):
                    try writer.write([
                        String(bundleID), String(record.line), String(account.year), account.uscc, nil,
                        account.enterpriseName, account.enterpriseType, account.cityCode,
                        account.qualificationNumber, account.qualifiedOn.description,
                        String(account.priorYearRevenue.value), account.status, account.grantedOn.description,
                        String(account.quota.value), String(account.usedBefore.value), account.bankName,
                        account.bankCode, account.accountName, account.accountNumber,
                        columns.value("contact_mobile", in: record.fields),
                    ])
                case .failure(let defect):
                    outcome.defects.append(defect)
                    let year = columns.value("year", in: record.fields)
                    try writer.write(
                        [
                            String(bundleID), String(record.line),
                            year.utf8.count == 4 && Int(year) != nil ? year : nil,
                            columns.value("uscc", in: record.fields), defect.detail,
                        ] + [String?](repeating: nil, count: 15))
                }
            }
        }
        return outcome
    }

    func loadProviders(path: String) throws -> Outcome {
        var outcome = Outcome()
        try connection.copyIn(
            "COPY provider_rows (bundle_id, line, shop_id, defect, uscc, name, status, city_code) FROM STDIN"
        ) { writer in
            try forEachRecord(path: path, required: RosterColumns.providers) { record, columns in
                outcome.rows += 1
                switch RosterRowParser.provider(record, columns: columns) {
                case .success(let provider):
                    try writer.write([
                        String(bundleID), String(record.line), provider.shopID, nil, provider.uscc, provider.name,
                        provider.status, provider.cityCode,
                    ])
                case .failure(let defect):
                    outcome.defects.append(defect)
                    try writer.write([
                        String(bundleID), String(record.line), defect.key, defect.detail, nil, nil, nil, nil,
                    ])
                }
            }
        }
        return outcome
    }

    /// Streams the records of a CSV file after its header; a header lacking required columns
    /// refuses the file.
    func forEachRecord(path: String, required: [String], _ body: (CSVRecord, ColumnMap) throws -> Void) throws {
        var parser = CSVParser()
        var columns: ColumnMap?
        let source = TextLineSource(path: path, encoding: encoding)
        func handle(_ record: CSVRecord) throws {
            // Past a quoting error, record boundaries cannot be trusted: the bundle is refused.
            if let problem = record.problem {
                throw InputRefusal(
                    file: path,
                    message: "line \(record.line) breaks RFC 4180 quoting (\(problem)); the records after it cannot be "
                        + "trusted, so the bundle is refused")
            }
            guard let map = columns else {
                switch ColumnMap.make(header: record.fields, required: required) {
                case .success(let map): columns = map
                case .failure(let missing):
                    throw InputRefusal(
                        file: path, message: "missing required columns: \(missing.names.joined(separator: ", "))")
                }
                return
            }
            try body(record, map)
        }
        try source.forEachLine(dropCR: false) { line in
            try parser.feed(line.bytes + [0x0A], emit: handle)
        }
        try parser.finish(emit: handle)
        if columns == nil { throw InputRefusal(file: path, message: "is empty (no header row)") }
    }
}
