import ArgumentParser
import SettlementJobs

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load one month's export bundle (its directory is named YYYY-MM).",
        discussion: """
            Reads vouchers.csv, providers.csv and redemptions.jsonl. Every line is stored with its number \
            and SHA-256, then kept for review or quarantined with its reason; the command prints \
            lines read = kept + quarantined. Ingesting the same files again does nothing; a changed bundle \
            replaces the month's bundle until the month is reviewed (then use rerun --bundle).
            """
    )

    @Argument(help: "The bundle directory, e.g. inbox/2024-08.")
    var bundle: String

    @Option(help: "The encoding of the bundle's text files: utf-8 (default) or gb18030.")
    var encoding: String = "utf-8"

    @Flag(help: "Check every attached file's size, SHA-256 and magic bytes against its descriptor.")
    var verifyAttachments = false

    @Flag(help: "Accept a redemptions.jsonl without any request line (a month with no request).")
    var allowEmpty = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard BundleEncoding(name: encoding) != nil else {
            throw ValidationError("--encoding must be utf-8 or gb18030")
        }
    }

    func run() throws {
        try CommandContext.run(global) { context in
            var options = IngestStage.Options(
                bundleDirectory: Paths.absolute(bundle), encoding: BundleEncoding(name: encoding) ?? .utf8,
                verifyAttachments: verifyAttachments)
            options.allowReviewedMonth = false
            options.allowEmpty = allowEmpty
            let summary = try IngestStage(connection: context.connection, logger: context.logger).run(options)
            print(summary.text)
        }
    }
}
