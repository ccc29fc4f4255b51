import SettlementCore
import SettlementStore

/// The workbooks finance opens in Excel: `审核结果.xlsx` beside a review's files (汇总, 明细, 隔离, 公示)
/// and `付款明细.xlsx` beside a payment batch's (明细, 汇总). Their cells are the CSV files' cells
/// (the review's 明细 and 公示 get the very cells `decisions.csv` and `publicity.csv` get, as they
/// are written; 隔离 is read back from the staged CSV, so it cannot differ), with Chinese headers.
enum FinanceWorkbooks {
    static let reviewName = "审核结果.xlsx"
    static let paymentName = "付款明细.xlsx"

    static let statusNames = ["accepted": "通过", "needs_correction": "需补正", "rejected": "不通过"]

    /// What the review workbook's summary and quarantine sheets need, known once the decisions are
    /// stored and `quarantine.csv` is written.
    struct ReviewEnd {
        /// The totals of the decisions (`ReviewFigures.totals`).
        let totals: ReviewFigures
        let quarantined: Int
    }

    /// `审核结果.xlsx`: 明细 is written first, from the pages of `decisions.csv`'s rows as the review
    /// writes them (`details`, until it finishes); `end` is called then (it may wait for the
    /// decisions' totals and `quarantine.csv`), and 隔离 is written; then 公示, from the pages of
    /// `publicity.csv`'s rows as they are written (`publicity`), and 汇总. The sheets appear in the
    /// order 汇总, 明细, 隔离, 公示; a list longer than a sheet holds continues on 明细2, 隔离2 (beside
    /// the first, from `counts`: the lines kept and quarantined) and 公示2 (`SheetSeries`).
    static func review(
        businessDate: CivilDate, output: OutputDirectory, counts: (kept: Int, quarantined: Int),
        details rows: PageChannel<[[String]]>, publicity listed: PageChannel<[[String]]>,
        end: () throws -> ReviewEnd
    ) throws {
        try output.produce(reviewName) { path in
            let workbook = try Workbook(path: path, businessDate: businessDate)
            let summary = try workbook.addSheet(
                "汇总",
                columns: [
                    .init(title: "项目", kind: .text(width: 40)), .init(title: "笔数", kind: .integer),
                    .init(title: "金额（元）", kind: .money),
                ], totals: false)
            let money = Workbook.Column.init(title:kind:)
            let details = try SheetSeries(
                workbook, name: "明细",
                columns: [
                    .init(title: "申请编号", kind: .text(width: 20)), .init(title: "版本", kind: .integer),
                    .init(title: "订单编号", kind: .text(width: 22)), .init(title: "统一社会信用代码", kind: .text(width: 22)),
                    .init(title: "企业名称", kind: .text(width: 36)), .init(title: "地区代码", kind: .text(width: 10)),
                    .init(title: "店铺", kind: .text(width: 10)), .init(title: "审核结果", kind: .text(width: 10)),
                    .init(title: "代码", kind: .text(width: 30)), .init(title: "原因", kind: .text(width: 40)),
                    money("发票合计（元）", .money), money("申请金额（元）", .money), money("核定金额（元）", .money),
                    money("拟兑付（元）", .money), money("兑付后剩余额度（元）", .money),
                ], totals: true, expectedRows: counts.kept)
            let quarantine = try SheetSeries(
                workbook, name: "隔离",
                columns: [
                    .init(title: "行号", kind: .integer), .init(title: "申请编号", kind: .text(width: 20)),
                    .init(title: "原因代码", kind: .text(width: 20)), .init(title: "原因", kind: .text(width: 16)),
                    .init(title: "说明", kind: .text(width: 60)),
                ], totals: false, expectedRows: counts.quarantined)
            let publicity = try SheetSeries(
                workbook, name: "公示",
                columns: [
                    .init(title: "序号", kind: .integer), .init(title: "企业名称", kind: .text(width: 36)),
                    .init(title: "所在地市", kind: .text(width: 10)), .init(title: "服务单位", kind: .text(width: 30)),
                    .init(title: "订单编号", kind: .text(width: 22)), money("合同金额（元）", .money),
                    money("拟兑付金额（元）", .money),
                ], totals: true)

            while let page = try rows.receive() {
                for row in page {
                    var cells = row
                    if cells.count > 7 { cells[7] = statusNames[cells[7]] ?? cells[7] }
                    // decisions.csv: …, codes, invoice_total … remaining_after, reasons → reasons beside codes.
                    if cells.count == 15 { cells = Array(cells[0...8]) + [cells[14]] + Array(cells[9...13]) }
                    try details.append(cells)
                }
            }
            details.finish()

            let end = try end()
            try CSVFileReader.forEachRow(output.stagedPath("quarantine.csv")) { row in
                guard row.count == 4 else { return try quarantine.append(row) }
                try quarantine.append([
                    row[0], row[1], row[2], QuarantineReason(rawValue: row[2])?.label ?? row[2], row[3],
                ])
            }
            quarantine.finish()
            while let page = try listed.receive() {
                for row in page { try publicity.append(row) }
            }
            publicity.finish()
            let figures = end.totals
            for status in DecisionStatus.allCases {
                try summary.append([
                    statusNames[status.rawValue] ?? status.rawValue, String(figures.statusCounts[status] ?? 0), "",
                ])
            }
            try summary.append(["隔离（未审核）", String(end.quarantined), ""])
            let claim = figures.requestedAccepted.subtracting(figures.cappedByEntitlement) ?? .zero
            try summary.append(["通过申请的申请金额", "", figures.requestedAccepted.yuanText])
            try summary.append(["减：超出按比例核定金额的申请部分", "", figures.cappedByEntitlement.yuanText])
            try summary.append(["核定可兑付", "", claim.yuanText])
            try summary.append(["减：因余额不足核减", "", figures.cutByBalance.yuanText])
            try summary.append(["拟兑付", "", figures.payable.yuanText])
            summary.finish()
            try workbook.close()
        }
    }

    static func payment(
        connection: Connection, runID: Int64, files: [(String, Int, Fen)], businessDate: CivilDate,
        output: OutputDirectory
    ) throws {
        try output.produce(paymentName, private: true) { path in
            let workbook = try Workbook(path: path, businessDate: businessDate)
            try workbook.sheet(
                "明细",
                columns: [
                    .init(title: "序号", kind: .integer), .init(title: "企业流水号", kind: .text(width: 24)),
                    .init(title: "申请编号", kind: .text(width: 20)), .init(title: "类型", kind: .text(width: 34)),
                    .init(title: "收款户名", kind: .text(width: 36)), .init(title: "收款账号", kind: .text(width: 24)),
                    .init(title: "收款行行号", kind: .text(width: 14)), .init(title: "收款行名称", kind: .text(width: 36)),
                    .init(title: "金额（元）", kind: .money),
                ], totals: true
            ) { emit in
                try PaymentLineStore(connection: connection).forEachLine(runID: runID) { line in
                    try emit([
                        String(line.seq), line.endToEndID, line.requestID,
                        DisbursementReport.kindName(line.kind, replacing: line.replacesPaymentID), line.accountName,
                        line.accountNumber, line.bankCode, line.bankName, line.amount.yuanText,
                    ])
                }
            }
            try workbook.sheet(
                "汇总",
                columns: [
                    .init(title: "文件", kind: .text(width: 24)), .init(title: "笔数", kind: .integer),
                    .init(title: "金额（元）", kind: .money),
                ], totals: true
            ) { emit in
                for (name, count, total) in files { try emit([name, String(count), total.yuanText]) }
            }
            try workbook.close()
        }
    }
}
