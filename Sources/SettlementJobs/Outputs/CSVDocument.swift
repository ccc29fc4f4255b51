import SettlementCore
import SettlementFormats

/// A CSV file for people: UTF-8 with a BOM (so Excel shows Chinese), CRLF, formula-safe cells.
/// Held in memory; large files go through `CSVStream`.
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

/// The same format written straight to a staged file, row by row.
struct CSVStream {
    let file: StagedFile
    private(set) var rows = 0

    init(file: StagedFile, header: [String]) throws {
        self.file = file
        try file.write(CSVFormat.byteOrderMark + CSVFormat.row(header))
    }

    mutating func append(_ cells: [String]) throws {
        try file.write { CSVFormat.appendRow(cells, to: &$0) }
        rows += 1
    }
}
