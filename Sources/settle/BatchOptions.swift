import ArgumentParser
import Logging
import SettlementCore
import SettlementJobs

/// The options of the commands that work on one batch: review, rerun, disburse.
struct BatchOptions: ParsableArguments {
    @Option(help: "The batch month, YYYY-MM.")
    var month: String

    @Option(name: .customLong("as-of"), help: "The business date (default: today in Asia/Shanghai).")
    var asOf: String?

    @Option(help: "Where outputs go (default: the configuration's out).")
    var out: String?

    @Flag(help: "Compute and show what the stage would do; change nothing in the database.")
    var dryRun = false

    func validate() throws {
        _ = try DateArguments.month(month)
        _ = try DateArguments.businessDate(asOf)
    }

    var batchMonth: BatchMonth {
        get throws { try DateArguments.month(month) }
    }

    var businessDate: CivilDate {
        get throws { try DateArguments.businessDate(asOf) }
    }

    /// The business date, with a warning in the log when it is after today.
    func businessDate(warning logger: Logger) throws -> CivilDate {
        try DateArguments.businessDate(asOf, warning: logger)
    }

    func outputDirectory(_ configuration: SettleConfiguration) -> String {
        out.map(Paths.absolute) ?? configuration.out
    }

    /// The review stage's options these flags describe.
    func reviewOptions(_ configuration: SettleConfiguration, _ logger: Logger) throws -> ReviewStage.Options {
        var options = ReviewStage.Options(
            month: try batchMonth, asOf: try businessDate(warning: logger), out: outputDirectory(configuration))
        options.dryRun = dryRun
        return options
    }
}
