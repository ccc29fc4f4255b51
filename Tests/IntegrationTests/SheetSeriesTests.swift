import Foundation
import SettlementCore
import Testing

@testable import SettlementJobs

/// A list longer than a sheet holds continues on further sheets; a text longer than a cell holds is
/// cut — never a row or a cell left out silently. Sheets here hold 4 rows below the header (Excel's
/// 1,048,575 is too many for a test), read back with openpyxl.
@Suite("Workbook sheets past Excel's limits")
struct SheetSeriesTests {
    @Test("rows past a sheet's capacity continue on 明细2, 明细3 with their own totals, in order, none lost")
    func continuation() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/book.xlsx"
        let date = try #require(CivilDate(year: 2024, month: 8, day: 1))
        let workbook = try Workbook(path: path, businessDate: date)
        let columns: [Workbook.Column] = [.init(title: "编号", kind: .text(width: 10)), .init(title: "金额", kind: .money)]
        // Known ahead: 7 rows at 3 a sheet (4 rows, the totals row among them) → three sheets now.
        let known = try SheetSeries(
            workbook, name: "明细", columns: columns, totals: true, expectedRows: 7, rowsPerSheet: 4)
        let between = try workbook.addSheet("隔离", columns: columns, totals: false)
        // Unknown ahead: sheets are added as the rows reach them, after every other sheet.
        let open = try SheetSeries(workbook, name: "公示", columns: columns, totals: false, rowsPerSheet: 4)
        for index in 1...7 { try known.append(["D\(index)", "\(index).00"]) }
        for index in 1...9 { try open.append(["P\(index)", "1.50"]) }
        try between.append(["Q1", "2.00"])
        known.finish()
        between.finish()
        open.finish()
        try workbook.close()

        let book = try WorkbookTests().read(path)
        #expect(Set(book.keys) == ["明细", "明细2", "明细3", "隔离", "公示", "公示2", "公示3"])
        let order = try Self.sheetOrder(path)
        #expect(order == ["明细", "明细2", "明细3", "隔离", "公示", "公示2", "公示3"])
        func rows(_ name: String) -> [[String]] { WorkbookTests().sheet(book, name).rows }
        #expect(rows("明细").map(\.first) == ["编号", "D1", "D2", "D3", "合计"])
        #expect(rows("明细2").map(\.first) == ["编号", "D4", "D5", "D6", "合计"])
        #expect(rows("明细3").map(\.first) == ["编号", "D7", "合计"])
        #expect(rows("明细").last?.last == "=SUM(B2:B4)" && rows("明细3").last?.last == "=SUM(B2:B2)")
        let listed = ["公示", "公示2", "公示3"].flatMap { rows($0).dropFirst().map { $0[0] } }
        #expect(listed == (1...9).map { "P\($0)" })
        #expect(rows("隔离").count == 2)
    }

    @Test("a text longer than a cell holds is cut to 32,766 code points and …; shorter ones are whole")
    func longText() {
        let long = String(repeating: "江苏a\u{301}", count: 20_000)
        let cut = Workbook.cellText(long)
        #expect(cut.unicodeScalars.count == 32_767 && cut.hasSuffix("…"))
        #expect(long.unicodeScalars.starts(with: cut.unicodeScalars.dropLast()))
        let fits = String(repeating: "创", count: 32_767)
        #expect(Workbook.cellText(fits) == fits)
        #expect(Workbook.cellText("DF2024") == "DF2024")
    }

    /// The sheets' names in the workbook's order.
    static func sheetOrder(_ path: String) throws -> [String] {
        let names = try WorkbookTests.python(
            "import openpyxl, sys; print('\\n'.join(openpyxl.load_workbook(sys.argv[1]).sheetnames))", path)
        return String(decoding: names, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
