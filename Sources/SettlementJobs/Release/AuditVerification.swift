import Foundation
import SettlementCore
import SettlementStore

/// `settle audit verify`: recomputes the audit chain entry by entry and reports the first break (an
/// edited entry's hash no longer matches; a deleted entry leaves a gap in the sequence or a broken
/// link), then checks every published directory and every released outbox against the files' hashes
/// recorded when they were written.
public struct AuditVerification: Sendable {
    public var entries = 0
    public var firstBreak: String?
    public var directories = 0
    public var fileProblems: [String] = []

    public var isIntact: Bool { firstBreak == nil && fileProblems.isEmpty }

    public static func run(_ connection: Connection) throws -> AuditVerification {
        var result = AuditVerification()
        let audit = AuditStore(connection: connection)
        var previous = AuditStore.genesis
        var expectedSeq: Int64 = 1
        try audit.forEachEntry { entry in
            result.entries += 1
            guard result.firstBreak == nil else { return }
            if entry.seq != expectedSeq {
                result.firstBreak = "entry \(expectedSeq) is missing (the next entry is \(entry.seq)): it was deleted"
            } else if entry.previousHash != previous {
                result.firstBreak = "entry \(entry.seq) does not follow entry \(entry.seq - 1): the chain was cut"
            } else if entry.entryHash != entry.expectedHash {
                result.firstBreak =
                    "entry \(entry.seq) (\(entry.action) \(entry.month), recorded \(entry.recordedAt)) was changed after "
                    + "it was written: its hash does not match its content"
            }
            previous = entry.entryHash
            expectedSeq = entry.seq + 1
        }
        for published in try audit.publishedDirectories() {
            result.directories += 1
            let expected = try audit.files(runID: published.runID)
            for problem in FileCheck.problems(directory: published.directory, expected: expected) {
                result.fileProblems.append("\(published.directory): \(problem)")
            }
        }
        return result
    }

    public var text: String {
        var lines = ["audit trail: \(entries) entries; \(directories) published directories checked"]
        lines.append(firstBreak.map { "  BROKEN: " + $0 } ?? "  the chain is intact")
        if fileProblems.isEmpty {
            lines.append("  every published file has the hash recorded when it was written")
        }
        lines += fileProblems.map { "  CHANGED: " + $0 }
        return lines.joined(separator: "\n")
    }
}
