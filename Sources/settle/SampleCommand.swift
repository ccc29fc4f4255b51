import ArgumentParser
import Foundation
import SettlementCore
import SettlementFormats
import SettlementJobs
import SettlementSample

struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a synthetic, realistic inbox (for demos and benchmarks).",
        discussion: """
            Writes <out>/<YYYY-MM>/ bundles (vouchers.csv, providers.csv, redemptions.jsonl, and \
            objections.csv in the first month) deterministically from the seed, streaming. The first \
            requests follow a catalogue of scenarios in which every review code and quarantine reason \
            occurs; <out>/scenarios.csv lists them.
            """
    )

    @Option(help: "How many requests in all (spread over the months).")
    var requests: Int

    @Option(help: "The seed: the same seed gives the same inbox.")
    var seed: UInt64

    @Option(help: "The batch months, YYYY-MM[,YYYY-MM…].")
    var months: String

    @Option(help: "The inbox directory to write.")
    var out: String

    @Flag(help: "Also write the attached files (small), for --verify-attachments.")
    var attachments = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard requests >= 1 else { throw ValidationError("--requests must be at least 1") }
        let parsed = months.split(separator: ",").map { BatchMonth($0) }
        guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--months must be YYYY-MM[,YYYY-MM…]")
        }
    }

    func run() throws {
        try Exit.guarding {
            let list = months.split(separator: ",").compactMap { BatchMonth($0) }.sorted()
            let directory = Paths.absolute(out)
            let generator = SampleGenerator(
                options: SampleGenerator.Options(
                    requests: requests, seed: seed, months: list, out: directory, attachments: attachments))
            let result = try generator.generate()
            var catalogue = "month,request_id,shows\n"
            for note in result.scenarios {
                catalogue +=
                    [note.month.description, note.requestID, note.shows].map(CSVFormat.cell).joined(separator: ",")
                    + "\n"
            }
            try Data(catalogue.utf8).write(to: URL(fileURLWithPath: directory + "/scenarios.csv"))
            for month in list {
                print("\(directory)/\(month): \(result.lines[month] ?? 0) request lines")
            }
            print(
                "\(result.enterprises) enterprises, \(result.providers) providers; \(result.scenarios.count) scenarios listed in \(directory)/scenarios.csv"
            )
        }
    }
}
