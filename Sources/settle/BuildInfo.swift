import Foundation
import SettlementStore

/// What `settle --version` prints: the version, the commit the binary was built from and the
/// schema version it migrates to. The commit comes from `settle.build-info` beside the binary
/// (written by Scripts/install.sh), else from the git checkout the binary was built in.
enum BuildInfo {
    static let version = "0.4.0"

    static var versionLine: String {
        "settle \(version) (commit \(commit ?? "unknown"), schema \(Migrator.latestVersion))"
    }

    static var executableDirectory: String {
        let path =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (path as NSString).deletingLastPathComponent
    }

    static var commit: String? {
        let info = executableDirectory + "/settle.build-info"
        if let text = try? String(contentsOfFile: info, encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("commit=") {
                return String(line.dropFirst("commit=".count))
            }
        }
        // A development build: <checkout>/.build/<triple>/<configuration>/settle.
        var directory = executableDirectory
        for _ in 0..<5 {
            directory = (directory as NSString).deletingLastPathComponent
            if let head = try? String(contentsOfFile: directory + "/.git/HEAD", encoding: .utf8) {
                let trimmed = head.trimmingCharacters(in: .whitespacesAndNewlines)
                guard trimmed.hasPrefix("ref: ") else { return String(trimmed.prefix(12)) }
                let reference = String(trimmed.dropFirst(5))
                if let commit = try? String(contentsOfFile: directory + "/.git/" + reference, encoding: .utf8) {
                    return String(commit.prefix(12))
                }
                if let packed = try? String(contentsOfFile: directory + "/.git/packed-refs", encoding: .utf8) {
                    for line in packed.split(separator: "\n") where line.hasSuffix(" " + reference) {
                        return String(line.prefix(12))
                    }
                }
                return nil
            }
        }
        return nil
    }
}
