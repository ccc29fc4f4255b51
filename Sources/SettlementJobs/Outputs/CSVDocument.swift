import SettlementCore

/// A CSV file for people: UTF-8 with a BOM (so Excel shows Chinese), CRLF, formula-safe cells.
struct CSVDocument {
    private(set) var text: String

    init(header: [String]) {
        text = CSVFormat.byteOrderMark + CSVFormat.row(header)
    }

    mutating func append(_ cells: [String]) {
        text += CSVFormat.row(cells)
    }

    var bytes: [UInt8] { Array(text.utf8) }
}
