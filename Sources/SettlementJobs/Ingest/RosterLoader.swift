import SettlementCore
import SettlementFormats
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
        try BundleStore(connection: connection).writeRosterRows(bundleID: bundleID) { writer in
            try forEachRecord(path: path, required: RosterColumns.vouchers, optional: ["contact_mobile"]) {
                record, columns in
                outcome.rows += 1
                switch RosterRowParser.voucherAccount(record, columns: columns) {
                case .success(let account):
                    try writer.account(
                        line: record.line, account, contactMobile: columns.value("contact_mobile", in: record.fields))
                case .failure(let defect):
                    outcome.defects.append(defect)
                    let year = columns.value("year", in: record.fields)
                    try writer.defect(
                        line: record.line, year: year.utf8.count == 4 ? Int(year) : nil,
                        uscc: columns.value("uscc", in: record.fields), detail: defect.detail)
                }
            }
        }
        return outcome
    }

    func loadProviders(path: String) throws -> Outcome {
        var outcome = Outcome()
        try BundleStore(connection: connection).writeProviderRows(bundleID: bundleID) { writer in
            try forEachRecord(path: path, required: RosterColumns.providers) { record, columns in
                outcome.rows += 1
                switch RosterRowParser.provider(record, columns: columns) {
                case .success(let provider):
                    try writer.provider(line: record.line, provider)
                case .failure(let defect):
                    outcome.defects.append(defect)
                    try writer.defect(line: record.line, shopID: defect.key, detail: defect.detail)
                }
            }
        }
        return outcome
    }

    /// Streams the records of a CSV file after its header; a header lacking required columns
    /// refuses the file.
    func forEachRecord(
        path: String, required: [String], optional: [String] = [], _ body: (CSVRecord, ColumnMap) throws -> Void
    ) throws {
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
                switch ColumnMap.make(header: record.fields, required: required, optional: optional) {
                case .success(let map): columns = map
                case .failure(let problem): throw InputRefusal(file: path, message: problem.message)
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
