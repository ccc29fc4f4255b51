/// A well-formed line of the batch's month, as the triage sees it.
public struct TriageLine: Sendable, Equatable {
    public let line: Int
    public let revision: Int
    /// SHA-256 of the line's bytes (trailing CR removed).
    public let sha256: String

    public init(line: Int, revision: Int, sha256: String) {
        self.line = line
        self.revision = revision
        self.sha256 = sha256
    }
}

/// Decides, for the well-formed lines of one `request_id` in one bundle, which single line (if
/// any) is reviewed and why each other line is quarantined:
/// `DUPLICATE_LINE` > `REVISION_CONFLICT` > `SUPERSEDED`.
public enum LineTriage {
    /// - Parameters:
    ///   - lines: the group's lines in file order.
    ///   - reviewedEarlier: revisions of this `request_id` reviewed in an earlier batch, with the batch.
    public static func triage(_ lines: [TriageLine], reviewedEarlier: [Int: BatchMonth] = [:]) -> [Int: LineDisposition]
    {
        // Nearly every request has one line: it is kept unless its revision was reviewed before
        // (what the general path below decides for a group of one, without its tables).
        if lines.count == 1, let line = lines.first {
            guard let month = reviewedEarlier[line.revision] else { return [line.line: .kept] }
            return [
                line.line: .quarantined(
                    .revisionConflict, detail: "revision \(line.revision) was already reviewed in batch \(month)")
            ]
        }
        return triageGroup(lines, reviewedEarlier: reviewedEarlier)
    }

    /// The general path of `triage`, for any number of lines.
    static func triageGroup(_ lines: [TriageLine], reviewedEarlier: [Int: BatchMonth]) -> [Int: LineDisposition] {
        var result: [Int: LineDisposition] = [:]
        var firstLineOfContent: [ByteString: Int] = [:]
        var remaining: [TriageLine] = []
        for line in lines {
            let contentKey = ByteString(String(line.revision) + ":" + line.sha256)
            if let first = firstLineOfContent[contentKey] {
                result[line.line] = .quarantined(.duplicateLine, detail: "same content as line \(first)")
            } else {
                firstLineOfContent[contentKey] = line.line
                remaining.append(line)
            }
        }
        var byRevision: [Int: [TriageLine]] = [:]
        for line in remaining { byRevision[line.revision, default: []].append(line) }
        var unconflicted: [TriageLine] = []
        for (revision, group) in byRevision {
            if let month = reviewedEarlier[revision] {
                for line in group {
                    result[line.line] = .quarantined(
                        .revisionConflict, detail: "revision \(revision) was already reviewed in batch \(month)")
                }
            } else if group.count >= 2 {
                let lineList = group.map { String($0.line) }.joined(separator: ", ")
                for line in group {
                    result[line.line] = .quarantined(
                        .revisionConflict, detail: "revision \(revision) differs between lines \(lineList)")
                }
            } else {
                unconflicted.append(contentsOf: group)
            }
        }
        guard let highest = lines.map(\.revision).max() else { return result }
        let highestLine = lines.first { $0.revision == highest }?.line ?? 0
        for line in unconflicted {
            if line.revision < highest {
                result[line.line] = .quarantined(
                    .superseded,
                    detail: "revision \(line.revision) superseded by revision \(highest) (line \(highestLine))")
            } else {
                result[line.line] = .kept
            }
        }
        return result
    }
}
