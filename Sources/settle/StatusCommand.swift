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
            let report = try StatusReport.load(context.connection, month: try month.map(DateArguments.month))
            print(json ? report.json : report.text)
        }
    }
}
