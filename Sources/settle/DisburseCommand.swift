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

    @Option(help: "An objections file (default: objections.csv in the batch's bundle directory, if present).")
    var objections: String?

    @Option(help: "A schema the bank supplied to validate pain001.xml against (default: the configuration's bank.xsd).")
    var xsd: String?

    @OptionGroup var batch: BatchOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try CommandContext.run(global) { context in
            var options = DisburseStage.Options(
                month: try batch.batchMonth, asOf: try batch.businessDate(warning: context.logger),
                out: batch.outputDirectory(context.configuration))
            options.dryRun = batch.dryRun
            options.objections = objections.map(Paths.absolute)
            options.xsd = xsd.map(Paths.absolute)
            let stage = DisburseStage(try context.stageContext())
            print(try stage.run(options).text)
        }
    }
}
