import SettlementCore
import SettlementFormats
import Testing

@Suite("CSV reading and writing")
struct CSVParserTests {
    func records(_ text: String, chunk: Int = 3) -> [CSVRecord] {
        var parser = CSVParser()
        var out: [CSVRecord] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            parser.feed(bytes[index..<min(index + chunk, bytes.count)]) { out.append($0) }
            index += chunk
        }
        parser.finish { out.append($0) }
        return out
    }

    /// Every record, problem and line number as the byte-by-byte reading gives them (a sequence
    /// without contiguous storage), for comparison with the run-copying fast path.
    func recordsByteByByte(_ bytes: [UInt8]) -> [CSVRecord] {
        var parser = CSVParser()
        var out: [CSVRecord] = []
        parser.feed(bytes.lazy.map { $0 }) { out.append($0) }
        parser.finish { out.append($0) }
        return out
    }

    @Test("the run-copying path reads random CSV exactly as byte-by-byte reading does, in any chunking")
    func fastPathAgrees() {
        var random = SplitMix64(seed: 41)
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("发票".utf8), [0x2C], [0x22], [0x22, 0x22], [0x0D], [0x0A], [0x0D, 0x0A], [0x20],
            Array("12.50".utf8),
        ]
        for _ in 0..<2_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(random.next() % 40) { bytes += pieces[Int(random.next() % UInt64(pieces.count))] }
            let expected = recordsByteByByte(bytes)
            let chunk = 1 + Int(random.next() % 9)
            #expect(records(String(decoding: bytes, as: UTF8.self), chunk: chunk) == expected, "\(bytes)")
        }
    }

    @Test("quoted fields with commas, quotes and newlines, in any chunking")
    func quoted() {
        let text = "a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\n2,\"line1\nline2\",\n\n3,z,w"
        for chunk in [1, 2, 5, 100] {
            let parsed = records(text, chunk: chunk)
            #expect(
                parsed.map(\.fields) == [
                    ["a", "b", "c"], ["1", "x,y", "say \"hi\""], ["2", "line1\nline2", ""], ["3", "z", "w"],
                ])
            #expect(parsed.map(\.line) == [1, 2, 3, 6])
            #expect(parsed.allSatisfy { $0.problem == nil })
        }
    }

    @Test("cells are not trimmed; blank records are skipped")
    func untrimmed() {
        #expect(records(" a , b \n\n\n").map(\.fields) == [[" a ", " b "]])
    }

    @Test("broken quoting is reported on its record only")
    func broken() {
        let parsed = records("a,b\n\"x\"y,1\n2,3\n\"open,4")
        #expect(parsed.count == 4)
        #expect(parsed[1].problem != nil)
        #expect(parsed[2].fields == ["2", "3"])
        #expect(parsed[2].problem == nil)
        #expect(parsed[3].problem == "unterminated quoted field")
    }

    @Test("formula-safe cells", arguments: ["=HYPERLINK(\"x\")", "+8613800000000", "-1", "@SUM(A1)", "\tx", "\rx"])
    func formulaSafe(text: String) {
        let cell = CSVFormat.cell(text)
        #expect(cell.hasPrefix("'") || cell.hasPrefix("\"'"))
        #expect(CSVFormat.unguarded("'" + text) == text)
    }

    @Test("plain cells stay as they are; special characters are quoted")
    func quoting() {
        #expect(CSVFormat.cell("3750.00") == "3750.00")
        #expect(CSVFormat.cell("江苏（南京）") == "江苏（南京）")
        #expect(CSVFormat.cell("a,b") == "\"a,b\"")
        #expect(CSVFormat.cell("say \"x\"") == "\"say \"\"x\"\"\"")
        #expect(CSVFormat.row(["a", "=1"]) == "a,'=1\r\n")
    }

    @Test("rows appended as bytes are the bytes of the rows made as text, and read back as the cells")
    func appendedRows() {
        let pieces = ["=", "+", "-", "@", "\t", "\r", "\n", ",", "\"", "'", "a", "7", "江苏", "（", "é", "e\u{301}", " "]
        var generator = SplitMix64(seed: 5)
        for _ in 0..<3_000 {
            let cells = (0..<Int.random(in: 1...5, using: &generator)).map { _ in
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    pieces.randomElement(using: &generator) ?? ""
                }.joined()
            }
            var bytes: [UInt8] = [0x41]
            CSVFormat.appendRow(cells, to: &bytes)
            #expect(bytes == [0x41] + Array(CSVFormat.row(cells).utf8), "\(cells)")
            let read = records(String(decoding: bytes.dropFirst(), as: UTF8.self), chunk: 7)
            // (A cell that itself starts with `'` and a guarded character reads back unguarded.)
            if !(cells.count == 1 && cells[0].isEmpty), !cells.contains(where: { $0.hasPrefix("'") }) {
                #expect(read.first?.fields.map(CSVFormat.unguarded) == cells, "\(cells)")
            }
        }
    }
}
