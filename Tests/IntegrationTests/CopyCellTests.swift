import Testing

@testable import SettlementStore

@Suite("COPY rows written a cell at a time")
struct CopyCellTests {
    /// COPY's text format, spelled out: cells joined by tabs, backslash, tab, LF and CR escaped,
    /// NULL as `\N`, each row ended by LF.
    static func reference(_ rows: [[String?]]) -> [UInt8] {
        let escapes: [Unicode.Scalar: String] = ["\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"]
        let text = rows.map { row in
            row.map { cell in
                cell.map { $0.unicodeScalars.map { escapes[$0] ?? String($0) }.joined() } ?? "\\N"
            }.joined(separator: "\t") + "\n"
        }.joined()
        return Array(text.utf8)
    }

    @Test("cells one at a time, arrays of texts and arrays of bytes all make COPY's text format")
    func copyText() throws {
        let integers: [Int64] = [
            0, 1, -1, 9, 10, -10, 99, 100, 1_234_567, -987_654_321, Int64(Int32.max), Int64(Int32.min),
            Int64.max, Int64.min, Int64.max - 1, Int64.min + 1,
        ]
        let texts = [
            "", "plain", "tab\there", "new\nline", "back\\slash", "cr\rx", "crlf\r\n", "江苏（南京）", "\\N", "a\u{1F}b",
        ]
        var random = SystemRandomNumberGenerator()
        let sampled = (0..<2_000).map { _ in Int64.random(in: Int64.min...Int64.max, using: &random) }
        var expected: [[String?]] = []
        let cellByCell = try EncodedCopy.encode("COPY t FROM STDIN") { writer in
            for (index, value) in (integers + sampled).enumerated() {
                let text = texts[index % texts.count]
                let flag = index % 2 == 0
                writer.cell(value)
                writer.cell(text)
                writer.cell(Int(truncatingIfNeeded: value))
                writer.nullCell()
                writer.cell(flag)
                writer.cell(index % 3 == 0 ? nil : text)
                writer.cell(joining: [text, "x", text], separator: 0x1F)
                try writer.endRow()
                expected.append([
                    String(value), text, String(Int(truncatingIfNeeded: value)), nil, flag ? "t" : "f",
                    index % 3 == 0 ? nil : text, [text, "x", text].joined(separator: "\u{1F}"),
                ])
            }
            // A row of one cell, and one of none, end as the arrays' do.
            writer.cell(Int64(7))
            try writer.endRow()
            try writer.endRow()
            expected.append(["7"])
            expected.append([])
        }
        #expect(cellByCell.rows == expected.count)
        #expect(cellByCell.chunks.flatMap { $0 } == CopyCellTests.reference(expected))
        let arrays = try EncodedCopy.encode("COPY t FROM STDIN") { writer in
            for row in expected { try writer.write(row) }
        }
        #expect(arrays.chunks.flatMap { $0 } == CopyCellTests.reference(expected))
        let bytes = try EncodedCopy.encode("COPY t FROM STDIN") { writer in
            for row in expected {
                try writer.write(row.map { $0.map { CopyCell.utf8(Array($0.utf8)) } ?? .null })
            }
        }
        #expect(bytes.chunks.flatMap { $0 } == CopyCellTests.reference(expected))
    }
}
