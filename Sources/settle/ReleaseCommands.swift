import ArgumentParser
import SettlementCore
import SettlementJobs
import SettlementStore

/// The options of `approve` and `reject`.
struct PaymentBatchOptions: ParsableArguments {
    @Option(help: "The batch month, YYYY-MM.")
    var month: String

    @Option(help: "The payment run's number NN (payment-NN).")
    var payment: Int

    @Option(help: "Where outputs go (default: the configuration's out).")
    var out: String?

    func validate() throws {
        _ = try DateArguments.month(month)
        guard payment >= 1 else { throw ValidationError("--payment must be 1 or more") }
    }

    /// The stage's options: the batch, the person (`--by`), a note or reason.
    func stageOptions(_ global: GlobalOptions, _ context: CommandContext, note: String?) throws
        -> ReleaseStage.Options
    {
        ReleaseStage.Options(
            month: try DateArguments.month(month), paymentNumber: payment, person: global.operatorName ?? "",
            note: note, out: out.map(Paths.absolute) ?? context.configuration.out)
    }

    /// Runs `approve` or `reject` and prints what it did.
    static func run(
        _ global: GlobalOptions,
        _ action: (ReleaseStage, CommandContext) throws -> ReleaseStage.Summary
    ) throws {
        try CommandContext.run(global) { context in
            let stage = ReleaseStage(
                connection: context.connection, configuration: context.configuration, logger: context.logger)
            print(try action(stage, context).text)
        }
    }
}

struct Approve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Release a prepared payment batch: a second person, files unchanged since they were written.",
        discussion: """
            The person (--by) must not be the one who ran the disbursement. Every file of payment-NN must \
            still have the SHA-256 recorded when it was written, and no file may have been added; then the \
            files are copied to <out>/outbox/<YYYY-MM>-payment-NN/ for upload to the bank. Recorded in the \
            audit trail.
            """)

    @OptionGroup var batch: PaymentBatchOptions

    @Option(help: "A note recorded with the approval.")
    var note: String?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard global.operatorName != nil else { throw ValidationError("--by NAME is required: who approves") }
    }

    func run() throws {
        try PaymentBatchOptions.run(global) { stage, context in
            try stage.approve(try batch.stageOptions(global, context, note: note))
        }
    }
}

struct RejectBatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Void a prepared payment batch; its amounts are owed again and paid by a later disbursement.")

    @OptionGroup var batch: PaymentBatchOptions

    @Option(help: "Why the batch is rejected (recorded).")
    var reason: String

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard global.operatorName != nil else { throw ValidationError("--by NAME is required: who rejects") }
    }

    func run() throws {
        try PaymentBatchOptions.run(global) { stage, context in
            try stage.reject(try batch.stageOptions(global, context, note: reason))
        }
    }
}

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The hash-chained audit trail of every run, approval and rejection.",
        subcommands: [AuditVerify.self, AuditShow.self])
}

struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the audit chain and every published file's hash; exit 1 at the first break.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try CommandContext.run(global) { context in
            let result = try AuditVerification.run(context.connection)
            print(result.text)
            if !result.isIntact {
                throw SettleError(.unexpected, "the audit trail or a published file was tampered with")
            }
        }
    }
}

struct AuditShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the audit trail.")

    @Option(help: "Only this batch month, YYYY-MM.")
    var month: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try CommandContext.run(global) { context in
            try AuditStore(connection: context.connection).forEachEntry(month: try month.map(DateArguments.month)) {
                entry in
                print(
                    "#\(entry.seq) \(entry.recordedAt) \(entry.action) \(entry.month) by \(entry.operatorName)"
                        + (entry.businessDate.isEmpty ? "" : " as of \(entry.businessDate)")
                        + " hash \(entry.entryHash.prefix(16))…")
                for line in entry.content.split(separator: "\n") { print("    " + line) }
            }
        }
    }
}
