import ArgumentParser
import Foundation
import SettlementJobs

struct Rerun: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Review a batch again after corrections (a new bundle and/or policy), never paying twice.",
        discussion: """
            Writes a new review-<NN> with diff.csv and restarts the batch's publicity. Items already in a \
            payment file stay frozen: a higher amount becomes a supplementary payment, a lower one an \
            overpayment for finance to recover.
            """
    )

    @Option(help: "Why the batch is reviewed again (recorded with the run).")
    var reason: String

    @Option(help: "A corrected bundle directory for the month, ingested first.")
    var bundle: String?

    @Option(help: "The encoding of the corrected bundle: utf-8 (default) or gb18030.")
    var encoding: String = "utf-8"

    @OptionGroup var batch: BatchOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason must say why") }
        guard BundleEncoding(name: encoding) != nil else {
            throw ValidationError("--encoding must be utf-8 or gb18030")
        }
    }

    func run() throws {
        try CommandContext.run(global) { context in
            var options = try batch.reviewOptions(context.configuration, context.logger)
            options.rerunReason = reason
            if let bundle {
                options.rerunBundle = IngestStage.Options(
                    bundleDirectory: Paths.absolute(bundle), encoding: BundleEncoding(name: encoding) ?? .utf8)
            }
            let stage = ReviewStage(try context.stageContext())
            print(try stage.run(options).text)
        }
    }
}
