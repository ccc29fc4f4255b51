import Foundation
import SettlementCore
import SettlementJobs
import Testing

/// The finance workbooks, read back with openpyxl (Debian python3-openpyxl, installed by
/// Scripts/bootstrap.sh) and compared cell by cell with the CSV files.
@Suite("Finance workbooks")
struct WorkbookTests {
    /// Every sheet's rows (values as text, numbers with two decimals), plus each cell's type and
    /// the formulas of the last row.
    func read(_ path: String) throws -> [String: Any] {
        let script = """
            import json, sys, openpyxl
            def text(c):
                if c.value is None: return ""
                if isinstance(c.value, (int, float)) and "0.00" in c.number_format: return "%.2f" % c.value
                if isinstance(c.value, float) and c.value == int(c.value): return str(int(c.value))
                return str(c.value)
            def cells(ws):
                return [[text(c) for c in row] for row in ws.iter_rows()]
            book = openpyxl.load_workbook(sys.argv[1])
            out = {}
            for ws in book.worksheets:
                out[ws.title] = {"rows": cells(ws), "types": [[c.data_type for c in row] for row in ws.iter_rows()],
                                 "frozen": ws.freeze_panes, "filter": ws.auto_filter.ref}
            print(json.dumps(out, ensure_ascii=False))
            """
        return try JSONSerialization.jsonObject(with: try Self.python(script, path)) as? [String: Any] ?? [:]
    }

    /// What a Python script prints, given `path` (its exit status is expected to be 0).
    static func python(_ script: String, _ path: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return data
    }

    func sheet(_ book: [String: Any], _ name: String) -> (rows: [[String]], types: [[String]], frozen: String?) {
        let sheet = book[name] as? [String: Any] ?? [:]
        return (sheet["rows"] as? [[String]] ?? [], sheet["types"] as? [[String]] ?? [], sheet["frozen"] as? String)
    }

    @Test("审核结果.xlsx: 明细, 隔离, 公示 match the CSVs cell by cell; ids are text, money numbers, totals formulas")
    func reviewWorkbook() throws {
        try withHarness { harness in
            _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-07")
            let review = try harness.review("2024-07")
            let book = try read(review.outputDirectory + "/审核结果.xlsx")
            #expect(Set(book.keys) == ["汇总", "明细", "隔离", "公示"])
            let detail = sheet(book, "明细")
            let decisions = try harness.csv(review.outputDirectory + "/decisions.csv").dropFirst()
            #expect(detail.frozen == "A2")
            #expect(detail.rows.count == decisions.count + 2)  // header and totals
            let statusNames = ["accepted": "通过", "needs_correction": "需补正", "rejected": "不通过"]
            for (row, csv) in zip(detail.rows.dropFirst(), decisions) {
                let expected =
                    Array(csv[0...6]) + [statusNames[csv[7]] ?? csv[7], csv[8], csv[14]] + Array(csv[9...13])
                #expect(row == expected, "\(csv[0])")
            }
            // Request ids and USCCs are text cells, amounts numbers.
            #expect(detail.types[1][0] == "s" && detail.types[1][3] == "s" && detail.types[1][13] == "n")
            let totals = try #require(detail.rows.last)
            let payable = decisions.compactMap { Fen(yuan: $0[12]) }.reduce(Fen.zero) { $0.adding($1) ?? $0 }
            #expect(totals[0] == "合计" && totals[13] == "=SUM(N2:N\(decisions.count + 1))")

            let quarantine = sheet(book, "隔离")
            let quarantined = try harness.csv(review.outputDirectory + "/quarantine.csv").dropFirst()
            #expect(quarantine.rows.dropFirst().map { [$0[0], $0[1], $0[2], $0[4]] } == quarantined.map { $0 })
            let publicity = sheet(book, "公示")
            let listed = try harness.csv(review.outputDirectory + "/publicity.csv").dropFirst()
            #expect(Array(publicity.rows.dropFirst().dropLast()) == listed.map { $0 })
            let summary = sheet(book, "汇总")
            #expect(summary.rows.contains { $0.first == "拟兑付" && $0.last == payable.yuanText })
        }
    }

    @Test("A workbook's parts are deflated at level 1 (CWorkbookZip stands in front of minizip), and they read")
    func workbookCompressionLevel() throws {
        try withHarness { harness in
            _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-07")
            let review = try harness.review("2024-07")
            // minizip records the level in each entry's general purpose flags: bits 1 and 2 both
            // set is "super fast" (level 1); libxlsxwriter alone asks for zlib's default (flags 0).
            let script = """
                import sys, zipfile
                book = zipfile.ZipFile(sys.argv[1])
                assert book.testzip() is None
                for entry in book.infolist():
                    print(entry.filename, entry.compress_type, entry.flag_bits & 6)
                """
            let output = try Self.python(script, review.outputDirectory + "/审核结果.xlsx")
            let entries = String(decoding: output, as: UTF8.self).split(separator: "\n")
            #expect(entries.contains { $0.hasPrefix("xl/worksheets/sheet2.xml ") })
            for entry in entries { #expect(entry.hasSuffix(" 8 6"), "\(entry)") }
        }
    }

    @Test("付款明细.xlsx: every payment line with its kind, accounts as text, totals that match the files")
    func paymentWorkbook() throws {
        try withHarness { harness in
            _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-07")
            _ = try harness.review("2024-07")
            let payment = try harness.disburse("2024-07", asOf: "2024-08-08")
            let path = payment.outputDirectory + "/付款明细.xlsx"
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let book = try read(path)
            let detail = sheet(book, "明细")
            let lines = try harness.connection.query(
                "SELECT end_to_end_id, account_number, amount FROM payment_lines ORDER BY seq"
            ).rows
            #expect(detail.rows.count == lines.count + 2)
            for (row, line) in zip(detail.rows.dropFirst(), lines) {
                #expect(row[1] == line.string(0) && row[5] == line.string(1))
                #expect(row[8] == Fen(line.int64(2) ?? -1).yuanText)
                #expect(row[3] == "首次支付")
            }
            #expect(detail.types[1][5] == "s")
            let summary = sheet(book, "汇总")
            #expect(summary.rows.dropFirst().first?[2] == payment.total.yuanText)
        }
    }
}
