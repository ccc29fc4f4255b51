import ArgumentParser
import SettlementJobs

struct Disburse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the bank payment files of a batch whose publicity has closed.",
        discussion: """
            Applies objections (upheld: withdrawn and released; pending: held, still reserved), turns the \
            remaining reservations into payments and writes <out>/<YYYY-MM>/payment-<NN>/: payments-NNN.csv \
            (GBK batch files), pain001.xml (ISO 20022 pain.001.001.03), report.html and manifest.json.
            """
    )

    @Option(help: "The batch month, YYYY-MM.")
    var month: String

    @Option(name: .customLong("as-of"), help: "The business date (default: today in Asia/Shanghai).")
    var asOf: String?

    @Option(help: "Where outputs go (default: the configuration's out).")
    var out: String?

    @Option(help: "An objections file (default: objections.csv in the batch's bundle directory, if present).")
    var objections: String?

    @Option(help: "A schema the bank supplied to validate pain001.xml against (default: the configuration's bank.xsd).")
    var xsd: String?

    @Flag(help: "Compute and show what the disbursement would do; change nothing in the database.")
    var dryRun = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try CommandContext.run(global) { context in
            var options = DisburseStage.Options(
                month: try DateArguments.month(month), asOf: try DateArguments.businessDate(asOf),
                out: out.map(Paths.absolute) ?? context.configuration.out)
            options.dryRun = dryRun
            options.objections = objections.map(Paths.absolute)
            options.xsd = xsd.map(Paths.absolute)
            let stage = DisburseStage(
                connection: context.connection, configuration: context.configuration,
                policies: try context.policies(), logger: context.logger)
            print(try stage.run(options).text)
        }
    }
}
