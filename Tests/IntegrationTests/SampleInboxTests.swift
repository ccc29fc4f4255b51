import Foundation
import SettlementJobs
import Testing

/// The sample inbox's three months review to the decisions that were checked by hand against the
/// spec (the scenario rows one by one, the amounts of every accepted request re-derived apart).
@Suite("Sample inbox")
struct SampleInboxTests {
    @Test("three months, attachments verified, review to their golden decisions and quarantine")
    func golden() throws {
        try withHarness { harness in
            for month in ["2024-07", "2024-08", "2024-09"] {
                _ = try harness.ingest(CycleTests.sampleInbox + "/" + month, verify: true)
                let summary = try harness.review(month)
                for name in ["decisions.csv", "quarantine.csv"] {
                    let actual = try Data(contentsOf: URL(fileURLWithPath: summary.outputDirectory + "/" + name))
                    let expected = try Data(
                        contentsOf: URL(fileURLWithPath: StageHarness.fixtures + "/golden/sample/\(month)/" + name))
                    #expect(actual == expected, "\(month) \(name) differs from its golden file")
                }
            }
        }
    }
}
