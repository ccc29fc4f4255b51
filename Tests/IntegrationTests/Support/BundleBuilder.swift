import Foundation

/// Writes a bundle directory for a test from the conformance inbox's files, with changes.
struct BundleBuilder {
    let directory: String

    /// A bundle `<scratch>/<month>/` starting from the conformance bundle of `source` (July 2024
    /// unless told).
    static func fromConformance(month: String = "2024-07", source: String = "2024-07") throws -> BundleBuilder {
        let directory = try scratchDirectory() + "/" + month
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let source = StageHarness.fixtures + "/conformance/inbox/" + source
        for name in ["vouchers.csv", "providers.csv", "redemptions.jsonl"] {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: directory + "/" + name)
        }
        return BundleBuilder(directory: directory)
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
    }

    func write(_ name: String, bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
    }

    /// The lines of redemptions.jsonl.
    func requestLines() throws -> [String] {
        try read("redemptions.jsonl").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .filter { !$0.isEmpty }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent)
    }
}
