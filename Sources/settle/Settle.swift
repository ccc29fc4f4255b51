import ArgumentParser
import Foundation
import SettlementJobs

/// `settle`: the monthly settlement job of the Jiangsu S&T innovation voucher programme
/// (江苏省科技创新券兑付).
@main
struct Settle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settle",
        abstract: "Monthly settlement of Jiangsu S&T innovation voucher redemptions (江苏省科技创新券兑付).",
        discussion: """
            The monthly cycle: ingest the platform's export, review every request against the \
            programme's rules, settle payable amounts in the ledger, publish the publicity list, and \
            after the publicity period write the bank payment files.

            Exit codes: 0 done (or nothing was due), 1 unexpected failure, 2 usage or configuration \
            error, 3 input refused as a whole, 4 another run holds the batch's lock, 5 refused (already \
            reviewed/disbursed, or not yet due).
            """,
        version: BuildInfo.versionLine,
        subcommands: [
            Cycle.self, Ingest.self, Review.self, Rerun.self, Disburse.self, Reconcile.self, Resolve.self, Approve.self,
            RejectBatch.self, Status.self,
            Check.self, Audit.self, CalendarCommand.self, Sample.self, Database.self,
        ]
    )

    /// Runs the command line. Usage and validation errors exit 2, with the usage of the command
    /// they concern (argument-parser would exit 64); `--help` and `--version` exit 0.
    static func main() {
        var parsed: ParsableCommand?
        do {
            var command = try parseAsRoot()
            parsed = command
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                var message = fullMessage(for: error)
                if let parsed, !message.contains("Usage:") {
                    message += "\n" + usageString(for: type(of: parsed))
                }
                FileHandle.standardError.write(Data((message + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
