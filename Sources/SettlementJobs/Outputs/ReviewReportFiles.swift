import SettlementCore
import SettlementStore

/// Writes the finance report of a review into its output directory: `report.html` and the
/// `summary-*.csv` files (the publicity list and the workbook are written before, by the caller).
enum ReviewReportFiles {
    struct Context {
        var month: BatchMonth
        var reviewNumber: Int
        var businessDate: CivilDate
        var window: PublicityWindow
        var policy: Policy
        var figures: ReviewFigures
        var decisionsFile: (rows: Int, payable: Fen)
        var quarantined: Int
        var changes: [[String]]?
        /// Yearly data the coming months need and that is missing (`YearlyUpkeep`).
        var warnings: [String] = []
    }

    static func write(_ context: Context, output: OutputDirectory) throws {
        let report = FinanceReport(
            month: context.month, reviewNumber: context.reviewNumber, businessDate: context.businessDate,
            window: context.window, figures: context.figures,
            decisionsFile: context.decisionsFile, quarantined: context.quarantined, changes: context.changes,
            warnings: context.warnings)
        try output.write("report.html", text: report.html())
        for (name, document) in report.summaryCSVs() { try output.write(name, document.bytes) }
    }
}
