import ArgumentParser
import SettlementJobs

struct Cycle: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The monthly cron entry: everything due as of the business date.",
        discussion: """
            Ingests the bundles in the inbox (<inbox>/<YYYY-MM>/) not yet ingested, reviews every ended \
            month not yet reviewed, disburses every reviewed batch whose publicity has closed, and applies \
            bank result files found in <inbox>/bank-results/. Running it twice does nothing new the second \
            time. Work that can go on goes on; the exit code is the worst outcome met (0 when everything \
            due was done, including when nothing was due).
            """
    )

    @Option(name: .customLong("as-of"), help: "The business date (default: today in Asia/Shanghai).")
    var asOf: String?

    @Option(help: "The inbox (default: the configuration's inbox).")
    var inbox: String?

    @Option(help: "Where outputs go (default: the configuration's out).")
    var out: String?

    @Option(help: "The encoding of the bundles' text files: utf-8 (default) or gb18030.")
    var encoding: String = "utf-8"

    @Flag(help: "Check attached files against their descriptors while ingesting.")
    var verifyAttachments = false

    @Flag(help: "Accept bundles whose redemptions.jsonl has no request line.")
    var allowEmpty = false

    @Flag(help: "Show what would be done; change nothing in the database.")
    var dryRun = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard BundleEncoding(name: encoding) != nil else {
            throw ValidationError("--encoding must be utf-8 or gb18030")
        }
    }

    func run() throws {
        var exitCode: Int32 = 0
        try CommandContext.run(global) { context in
            var options = CycleStage.Options(
                asOf: try DateArguments.businessDate(asOf, warning: context.logger),
                inbox: inbox.map(Paths.absolute) ?? context.configuration.inbox,
                out: out.map(Paths.absolute) ?? context.configuration.out)
            options.dryRun = dryRun
            options.encoding = BundleEncoding(name: encoding) ?? .utf8
            options.verifyAttachments = verifyAttachments
            options.allowEmpty = allowEmpty
            let stage = CycleStage(try context.stageContext())
            let summary = try stage.run(options)
            print((dryRun ? "[dry run] " : "") + "cycle as of \(options.asOf):\n" + summary.text)
            exitCode = summary.exitCode
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}
