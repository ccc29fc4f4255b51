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
}
