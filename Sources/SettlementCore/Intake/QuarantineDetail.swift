/// Quarantine details are bounded so that output grows with the number of lines, never with a
/// multiple of their size: a detail keeps its first 200 bytes (cut at a character boundary), and a
/// detail already given for an earlier line is written as a reference to that line.
public enum QuarantineDetail {
    public static let maximumBytes = 200

    /// The detail cut to `maximumBytes` bytes of UTF-8, with `…` when it was longer.
    public static func bounded(_ detail: String) -> String {
        guard detail.utf8.count > maximumBytes else { return detail }
        var kept = ""
        var size = 0
        for character in detail {
            let length = character.utf8.count
            if size + length > maximumBytes { break }
            kept.append(character)
            size += length
        }
        return kept + "…"
    }
}

/// Remembers the first line of each distinct detail of a file (up to `capacity` distinct details,
/// so memory stays bounded whatever the file) and refers later lines to it.
public struct RepeatedDetails: Sendable {
    private var firstLine: [ByteString: Int] = [:]
    public let capacity: Int

    public init(capacity: Int = 10_000) { self.capacity = capacity }

    /// The detail to record for `line`: bounded, or `same as line N` for a detail seen before.
    public mutating func summarise(_ detail: String, line: Int) -> String {
        let bounded = QuarantineDetail.bounded(detail)
        let key = ByteString(bounded)
        if let first = firstLine[key] { return "same as line \(first)" }
        if firstLine.count < capacity { firstLine[key] = line }
        return bounded
    }
}
