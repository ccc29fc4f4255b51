import Foundation
import SettlementCore
import SettlementJobs
import Testing

/// The generated three-month inbox of shared/conformance, copied into the fixtures: reviewing it
/// month by month (business date the first of the next month) must give exactly the expected
/// decisions and quarantine.
@Suite("Conformance inbox")
struct ConformanceTests {
    @Test("reviews to 100% agreement with the expected decisions and quarantine")
    func agreement() throws {
        try withHarness { harness in
            let root = StageHarness.fixtures + "/conformance"
            for month in ["2024-07", "2024-08", "2024-09"] {
                _ = try harness.ingest(root + "/inbox/" + month)
                let summary = try harness.review(month)
                let withReasons = try harness.csv(summary.outputDirectory + "/decisions.csv")
                let expected = try harness.csv(root + "/expected/" + month + "/decisions.csv")
                // The second wave adds a last column `reasons` (the Chinese labels); the others are unchanged.
                #expect(withReasons.first?.last == "reasons")
                #expect(withReasons.dropFirst().allSatisfy { $0.last == FindingCode.labels(ofCodes: $0[8]) })
                let actual = withReasons.map { Array($0.dropLast()) }
                #expect(actual.first == expected.first)
                let key = { (rows: [[String]]) in rows.map { "\($0[0]) rev \($0[1]): \($0[7]) [\($0[8])] \($0[12])" } }
                #expect(key(actual) == key(expected), "\(month) decisions differ")
                #expect(actual == expected, "\(month) decisions differ in some column")

                let quarantine = try harness.csv(summary.outputDirectory + "/quarantine.csv")
                let expectedQuarantine = try harness.csv(root + "/expected/" + month + "/quarantine.csv")
                #expect(quarantine.map { "\($0[0]) \($0[2])" } == expectedQuarantine.map { "\($0[0]) \($0[2])" })
            }
        }
    }

    @Test("the same inputs give byte-identical outputs")
    func deterministic() throws {
        var runs: [[String: Data]] = []
        for _ in 0..<2 {
            let files = try withHarness { harness -> [String: Data] in
                let root = StageHarness.fixtures + "/conformance"
                var files: [String: Data] = [:]
                for month in ["2024-07", "2024-08"] {
                    _ = try harness.ingest(root + "/inbox/" + month)
                    let summary = try harness.review(month)
                    for name in try FileManager.default.contentsOfDirectory(atPath: summary.outputDirectory) {
                        files[month + "/" + name] = try Data(
                            contentsOf: URL(fileURLWithPath: summary.outputDirectory + "/" + name))
                    }
                }
                return files
            }
            runs.append(files)
        }
        #expect(runs[0].keys.sorted() == runs[1].keys.sorted())
        for name in runs[0].keys.sorted() { #expect(runs[0][name] == runs[1][name], "\(name) differs between runs") }
    }
}
