import ArgumentParser
import SettlementJobs

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Where each batch stands: ingested, reviewed (publicity until …), disbursed, reconciled.")

    @Option(help: "Only this batch month, YYYY-MM.")
    var month: String?

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try CommandContext.run(global) { context in
            var report = try StatusReport.load(context.connection, month: try month.map(DateArguments.month))
            report.warnings =
                YearlyUpkeep.warnings(
                    try context.policies(), asOf: DateArguments.today, configuration: context.configuration)
                + (try ReleaseReminder.warnings(
                    context.connection, asOf: DateArguments.today, configuration: context.configuration))
            for warning in report.warnings { context.logger.warning("\(warning)") }
            print(json ? report.json : report.text)
        }
    }
}
