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

    @OptionGroup var batch: BatchOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try CommandContext.run(global) { context in
            let options = try batch.reviewOptions(context.configuration, context.logger)
            let stage = ReviewStage(try context.stageContext())
            print(try stage.run(options).text)
        }
    }
}
