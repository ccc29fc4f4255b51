import ArgumentParser
import SettlementJobs

struct Reconcile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply a bank result file: paid lines are recorded, returned ones are owed again.",
        discussion: """
            The file is an ISO 20022 pain.002.001.03 status report (ACCP/ACSC paid, RJCT returned), or CSV (UTF-8 or GBK) with a header naming 企业流水号 (or end_to_end_id) and 状态 (or \
            status), and optionally 说明 (detail). 成功/paid/success is paid; 退回/失败/returned/failed is \
            returned: the amount goes back to owed and the next disbursement of the batch pays it again, \
            with the account data of the latest roster. The same file applied twice changes nothing.
            """
    )

    @Argument(help: "The bank result file.")
    var file: String

    @Option(help: "Where outputs go (default: the configuration's out).")
    var out: String?

    @Option(help: "An XSD to validate a pain.002 status report against (e.g. the bank's pain.002.001.03.xsd).")
    var xsd: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try CommandContext.run(global) { context in
            let stage = ReconcileStage(
                connection: context.connection, configuration: context.configuration, logger: context.logger)
            print(
                try stage.run(
                    ReconcileStage.Options(
                        file: Paths.absolute(file), out: out.map(Paths.absolute) ?? context.configuration.out,
                        xsd: xsd.map(Paths.absolute))
                ).text)
        }
    }
}
