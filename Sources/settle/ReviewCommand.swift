import ArgumentParser
import SettlementJobs

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Review one batch: every rule, payable amounts against the balances, the publicity list.",
        discussion: """
            Reviews the requests of the batch in allocation order (submitted_at, then request_id) and \
            writes <out>/<YYYY-MM>/review-<NN>/. A batch is reviewed once; use rerun after corrections.
            """
    )

    @Option(help: "The batch month, YYYY-MM.")
    var month: String

    @Option(name: .customLong("as-of"), help: "The business date (default: today in Asia/Shanghai).")
    var asOf: String?

    @Option(help: "Where outputs go (default: the configuration's out).")
    var out: String?

    @Flag(help: "Compute and show what the review would do; change nothing in the database.")
    var dryRun = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try CommandContext.run(global) { context in
            var options = ReviewStage.Options(
                month: try DateArguments.month(month), asOf: try DateArguments.businessDate(asOf),
                out: out.map(Paths.absolute) ?? context.configuration.out)
            options.dryRun = dryRun
            let stage = ReviewStage(
                connection: context.connection, configuration: context.configuration,
                policies: try context.policies(), logger: context.logger)
            print(try stage.run(options).text)
        }
    }
}
