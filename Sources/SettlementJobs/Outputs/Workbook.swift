import CXLSXWriter
import Foundation
import SettlementCore
import SettlementFormats

/// A finance workbook written with libxlsxwriter in constant-memory mode (rows are streamed to
/// disk as they are written, so a sheet of a million rows needs no more memory than one of ten).
/// Sheets have a bold, frozen header row with a filter; identifiers and account numbers are text
/// cells (Excel would mangle an 18-digit number); money is a number with two decimals; a totals row
/// sums each money column with a formula whose cached value is the exact total.
final class Workbook {
    enum Kind {
        /// Identifiers, account numbers, codes: always text.
        case text(width: Double)
        /// Yuan with two decimals (from the files' `3750.00` text).
        case money
        case integer
    }

    struct Column {
        let title: String
        let kind: Kind
    }

    private let handle: UnsafeMutablePointer<lxw_workbook>
    private let header: UnsafeMutablePointer<lxw_format>
    private let text: UnsafeMutablePointer<lxw_format>
    private let money: UnsafeMutablePointer<lxw_format>
    private let total: UnsafeMutablePointer<lxw_format>
    let path: String

    /// `businessDate` stamps the workbook (its document properties and the archive's entries), never
    /// the wall clock: the same inputs give the same bytes.
    init(path: String, businessDate: CivilDate) throws {
        self.path = path
        var options = lxw_workbook_options(constant_memory: 1, tmpdir: nil, use_zip64: 1)
        guard let workbook = workbook_new_opt(path, &options) else {
            throw OutputError("libxlsxwriter cannot create \(path)")
        }
        handle = workbook
        // 00:00 Asia/Shanghai of the business date.
        var properties = lxw_doc_properties()
        properties.created = time_t(businessDate.daysSinceEpoch * 86_400 - 8 * 3_600)
        "settle".withCString { author in
            properties.author = UnsafeMutablePointer(mutating: author)
            _ = workbook_set_properties(workbook, &properties)
        }
        func format(_ configure: (UnsafeMutablePointer<lxw_format>) -> Void) throws -> UnsafeMutablePointer<lxw_format>
        {
            guard let format = workbook_add_format(workbook) else { throw OutputError("libxlsxwriter: no format") }
            configure(format)
            return format
        }
        header = try format {
            format_set_bold($0)
            format_set_bg_color($0, 0xDDEBF7)
            format_set_border($0, UInt8(LXW_BORDER_THIN.rawValue))
        }
        text = try format { format_set_num_format($0, "@") }
        money = try format { format_set_num_format($0, "#,##0.00") }
        total = try format {
            format_set_bold($0)
            format_set_num_format($0, "#,##0.00")
        }
    }

    /// A sheet: the header, then `rows` calls `emit` once per row (cells as the CSV files hold them:
    /// yuan text for money), then, when `totals`, a row summing every money column.
    func sheet(_ name: String, columns: [Column], totals: Bool, rows: ((([String]) throws -> Void)) throws -> Void)
        throws
    {
        let series = try SheetSeries(self, name: name, columns: columns, totals: totals)
        try rows { try series.append($0) }
        series.finish()
    }

    /// Adds a sheet (sheets appear in the order they are added) and writes its header; its rows
    /// may be written later, after rows of sheets added after it (each sheet streams to a file
    /// of its own), but in order within the sheet.
    func addSheet(_ name: String, columns: [Column], totals: Bool) throws -> Sheet {
        guard let sheet = workbook_add_worksheet(handle, name) else { throw OutputError("cannot add sheet \(name)") }
        for (index, column) in columns.enumerated() {
            let width: Double
            switch column.kind {
            case .text(let characters): width = characters
            case .money: width = 16
            case .integer: width = 10
            }
            let titleWidth: Double = .init(column.title.count * 2 + 2)
            // A text column is formatted as text (@) beside its cells: what is typed into it
            // later stays text too.
            let format: UnsafeMutablePointer<lxw_format>?
            if case .text = column.kind { format = text } else { format = nil }
            worksheet_set_column(sheet, lxw_col_t(index), lxw_col_t(index), max(width, titleWidth), format)
        }
        for (index, column) in columns.enumerated() {
            worksheet_write_string(sheet, 0, lxw_col_t(index), column.title, header)
        }
        worksheet_freeze_panes(sheet, 1, 0)
        return Sheet(name: name, handle: sheet, columns: columns, totals: totals, formats: (header, text, money, total))
    }

    /// One sheet's rows, written in order.
    final class Sheet {
        let name: String
        private let handle: UnsafeMutablePointer<lxw_worksheet>
        private let columns: [Column]
        private let totals: Bool
        private let formats:
            (
                header: UnsafeMutablePointer<lxw_format>, text: UnsafeMutablePointer<lxw_format>,
                money: UnsafeMutablePointer<lxw_format>, total: UnsafeMutablePointer<lxw_format>
            )
        private var row: UInt32 = 0
        private var sums: [Fen]

        fileprivate init(
            name: String, handle: UnsafeMutablePointer<lxw_worksheet>, columns: [Column], totals: Bool,
            formats: (
                UnsafeMutablePointer<lxw_format>, UnsafeMutablePointer<lxw_format>, UnsafeMutablePointer<lxw_format>,
                UnsafeMutablePointer<lxw_format>
            )
        ) {
            self.name = name
            self.handle = handle
            self.columns = columns
            self.totals = totals
            self.formats = formats
            sums = [Fen](repeating: .zero, count: columns.count)
        }

        /// One row: cells as the CSV files hold them (yuan text for money). A cell libxlsxwriter
        /// refuses fails the workbook, naming it: no cell is left out silently. (`SheetSeries` keeps
        /// rows within a sheet; a text longer than a cell holds is cut, `Workbook.cellText`.)
        func append(_ cells: [String]) throws {
            row += 1
            for (index, column) in columns.enumerated() {
                let cell = index < cells.count ? cells[index] : ""
                let col = lxw_col_t(index)
                // Text, and any money or integer cell that does not read as one.
                let asText = {
                    worksheet_write_string(self.handle, self.row, col, Workbook.cellText(cell), self.formats.text)
                }
                let status: lxw_error
                switch column.kind {
                case .text:
                    // An empty cell is left out, as a spreadsheet keeps it.
                    guard !cell.isEmpty else { continue }
                    status = asText()
                case .money:
                    if let amount = Fen(yuan: cell) {
                        sums[index] = sums[index].adding(amount) ?? sums[index]
                        status = worksheet_write_number(handle, row, col, Workbook.number(amount), formats.money)
                    } else {
                        status = asText()
                    }
                case .integer:
                    status =
                        Int64(cell) != nil ? worksheet_write_number(handle, row, col, strtod(cell, nil), nil) : asText()
                }
                guard status == LXW_NO_ERROR else {
                    throw OutputError(
                        "libxlsxwriter refused cell \(Workbook.columnName(index))\(row + 1) of sheet \(name): "
                            + String(cString: lxw_strerror(status)))
                }
            }
        }

        /// The totals row (when asked for) and the filter over the rows written.
        func finish() {
            let last = row
            if totals && last > 0 {
                row += 1
                worksheet_write_string(handle, row, 0, "合计", formats.header)
                for (index, column) in columns.enumerated() {
                    guard case .money = column.kind else { continue }
                    let letter = Workbook.columnName(index)
                    worksheet_write_formula_num(
                        handle, row, lxw_col_t(index), "=SUM(\(letter)2:\(letter)\(last + 1))", formats.total,
                        Workbook.number(sums[index]))
                }
            }
            worksheet_autofilter(handle, 0, 0, max(last, 1), lxw_col_t(max(columns.count - 1, 0)))
        }
    }

    /// The cell value of an amount: the binary number nearest to its yuan, the number `strtod` reads
    /// from the decimal text `3750.00` (the workbook's cells are binary numbers; the ledger never
    /// is). Fen below 2^53 are exact as a `Double` and IEEE division rounds the exact quotient to
    /// the nearest number, so for them one division gives it without making the text
    /// (`WorkbookNumberTests` holds the two to each other).
    static func number(_ amount: Fen) -> Double {
        let exact: Int64 = 1 << 53
        guard amount.value > -exact && amount.value < exact else { return strtod(amount.yuanText, nil) }
        return Double(amount.value) / 100
    }

    /// The most characters (code points) a cell holds.
    static let cellCharacters = 32_767

    /// A text as a cell holds it: whole, or cut to its first 32,766 code points and `…` (the CSV
    /// files beside the workbook keep every text whole).
    static func cellText(_ text: String) -> String {
        guard text.utf8.count > cellCharacters, text.unicodeScalars.count > cellCharacters else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.prefix(cellCharacters - 1))
        scalars.append("…")
        return String(scalars)
    }

    /// `A`, `B`, … `Z`, `AA`, …
    static func columnName(_ index: Int) -> String {
        var index = index
        var name = ""
        repeat {
            name = String(UnicodeScalar(UInt8(65 + index % 26))) + name
            index = index / 26 - 1
        } while index >= 0
        return name
    }

    func close() throws {
        let status = workbook_close(handle)
        guard status == LXW_NO_ERROR else {
            throw OutputError("libxlsxwriter could not write \(path): \(String(cString: lxw_strerror(status)))")
        }
    }
}

/// Reads a CSV file the stages wrote (UTF-8 with a BOM, formula guards) row by row.
enum CSVFileReader {
    static func forEachRow(_ path: String, _ body: ([String]) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw OutputError("cannot read \(path)") }
        defer { try? handle.close() }
        var parser = CSVParser()
        var first = true
        var header = true
        func emit(_ record: CSVRecord) throws {
            if header {
                header = false
                return
            }
            try body(record.fields.map(CSVFormat.unguarded))
        }
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
            var bytes = [UInt8](data)
            if first, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            first = false
            try parser.feed(bytes, emit: emit)
        }
        try parser.finish(emit: emit)
    }
}
