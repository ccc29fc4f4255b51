import ArgumentParser
import SettlementJobs
import SettlementStore

struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Settle by hand a payment whose bank answers contradict each other.",
        discussion: """
            A bank result file that contradicts an earlier answer about a payment (成功 after 退回, or the \
            reverse) is refused and the payment marked disputed: no disbursement repays it until this \
            command records what really happened. --paid: the money arrived (a recorded return is \
            reversed). --returned: the money came back (it is owed again and repaid once the account is \
            corrected). Who settled it (--by) and why (--reason) are recorded with the run.
            """
    )

    @Option(name: .customLong("payment-id"), help: "The payment's EndToEndId (企业流水号).")
    var paymentID: String

    @Flag(help: "The money arrived.")
    var paid = false

    @Flag(help: "The money came back.")
    var returned = false

    @Option(help: "Why: what the bank confirmed, and how.")
    var reason: String

    @Option(help: "Where outputs go (default: the configuration's out).")
    var out: String?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard paid != returned else { throw ValidationError("give exactly one of --paid and --returned") }
        guard global.operatorName != nil else { throw ValidationError("--by NAME is required: who settles it") }
    }

    func run() throws {
        try CommandContext.run(global) { context in
            let stage = ResolveStage(connection: context.connection, logger: context.logger)
            print(
                try stage.run(
                    ResolveStage.Options(
                        paymentID: paymentID, resolution: paid ? .paid : .returned, reason: reason,
                        person: global.operatorName ?? "", out: out.map(Paths.absolute) ?? context.configuration.out)
                ).text)
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute every voucher account from the ledger entries and report any difference.",
        discussion: """
            The accounts' counters (reserved, paid) are kept by the ledger trigger; a role with more \
            rights than settle could edit them. Exit 0 when every account agrees with its entries and \
            none is overspent; 1 otherwise, naming each account.
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try CommandContext.run(global) { context in
            let result = try LedgerCheck.run(context.connection)
            print(result.text)
            if !result.isClean {
                throw SettleError(.unexpected, "the ledger check found \(result.problemCount) problem(s)")
            }
        }
    }
}
