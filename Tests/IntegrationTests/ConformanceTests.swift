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

    @Test("the same inputs give byte-identical outputs, whatever the database's default collation")
    func deterministic() throws {
        var runs: [[String: Data]] = []
        // The second database sorts text as ICU's Chinese does (Han characters by pinyin, case and
        // punctuation weighed otherwise than bytes), as a managed server's database in China may:
        // every order that reaches an output is by bytes, so nothing may change.
        for icuLocale in [nil, "zh-u-kf-upper"] {
            let files = try withHarness(icuLocale: icuLocale) { harness -> [String: Data] in
                let root = StageHarness.fixtures + "/conformance"
                var files: [String: Data] = [:]
                func keep(_ directory: String, as prefix: String) throws {
                    for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
                        files[prefix + "/" + name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
                    }
                }
                for month in ["2024-07", "2024-08"] {
                    _ = try harness.ingest(root + "/inbox/" + month)
                    try keep(try harness.review(month).outputDirectory, as: month)
                }
                try keep(try harness.disburse("2024-07", asOf: "2024-08-08").outputDirectory, as: "2024-07-payment")
                return files
            }
            runs.append(files)
        }
        #expect(runs[0].keys.sorted() == runs[1].keys.sorted())
        for name in runs[0].keys.sorted() { #expect(runs[0][name] == runs[1][name], "\(name) differs between runs") }
    }
}
