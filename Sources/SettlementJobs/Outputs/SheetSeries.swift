import CXLSXWriter

/// One list of rows across as many sheets as it needs: a sheet holds 1,048,576 rows (Excel's
/// limit; libxlsxwriter refuses a row beyond it), its header and totals rows among them. A list
/// longer than that continues on 明细2, 明细3, … each with its own header, filter and totals row,
/// so that no row is left out of the workbook — the sum of the sheets' totals is the list's.
///
/// Sheets appear in the order they are added: `sheets` known before the rows are written are
/// added at once (in their place among the others); past them, a further sheet is added when
/// the rows reach it (after every sheet added before — the place of a workbook's last list).
final class SheetSeries {
    /// The rows of one sheet below its header, its totals row included.
    static let rowsPerSheet = Int(LXW_ROW_MAX) - 1

    private let workbook: Workbook
    private let name: String
    private let columns: [Workbook.Column]
    private let totals: Bool
    private let capacity: Int
    private var sheets: [Workbook.Sheet] = []
    private var current = 0
    private var rowsInCurrent = 0

    /// `expectedRows`: how many rows are known to come (their sheets are added now; at least one);
    /// `rowsPerSheet` is Excel's limit but for tests.
    init(
        _ workbook: Workbook, name: String, columns: [Workbook.Column], totals: Bool, expectedRows: Int = 0,
        rowsPerSheet: Int = SheetSeries.rowsPerSheet
    ) throws {
        self.workbook = workbook
        self.name = name
        self.columns = columns
        self.totals = totals
        // The totals row takes one of a sheet's rows.
        capacity = max(rowsPerSheet - (totals ? 1 : 0), 1)
        let count = max(1, (expectedRows + capacity - 1) / capacity)
        for _ in 0..<count { try addSheet() }
    }

    /// The first sheet is `name`, the next `name`2, `name`3, …
    private func addSheet() throws {
        let sheetName = sheets.isEmpty ? name : name + String(sheets.count + 1)
        sheets.append(try workbook.addSheet(sheetName, columns: columns, totals: totals))
    }

    func append(_ cells: [String]) throws {
        if rowsInCurrent == capacity {
            current += 1
            rowsInCurrent = 0
            if current == sheets.count { try addSheet() }
        }
        try sheets[current].append(cells)
        rowsInCurrent += 1
    }

    /// Each sheet's totals row and filter.
    func finish() {
        for sheet in sheets { sheet.finish() }
    }
}
