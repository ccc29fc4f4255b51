import Testing

@testable import SettlementStore

@Suite("COPY rows written a cell at a time")
struct CopyCellTests {
    /// The bytes of `rows` encoded as arrays of cells (`write(_:)`), the way every COPY was encoded
    /// before cells could be written one at a time.
    static func asArrays(_ rows: [[String?]]) throws -> [UInt8] {
        try EncodedCopy.encode("COPY t FROM STDIN") { writer in
            for row in rows { try writer.write(row) }
        }.chunks.flatMap { $0 }
    }

    @Test("integers, texts that need escapes, NULL and booleans make the bytes the arrays made")
    func sameBytesAsArrays() throws {
        let integers: [Int64] = [
            0, 1, -1, 9, 10, -10, 99, 100, 1_234_567, -987_654_321, Int64(Int32.max), Int64(Int32.min),
            Int64.max, Int64.min, Int64.max - 1, Int64.min + 1,
        ]
        let texts = ["", "plain", "tab\there", "new\nline", "back\\slash", "cr\rx", "江苏（南京）", "\\N", "a\u{1F}b"]
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
        #expect(cellByCell.chunks.flatMap { $0 } == (try CopyCellTests.asArrays(expected)))
    }
}
