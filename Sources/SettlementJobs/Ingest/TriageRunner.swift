import SettlementCore
import SettlementStore

/// Applies `LineTriage` to the well-formed lines of a bundle, one `request_id` at a time, reading
/// them from the store in request order a page at a time, so that memory holds one page.
/// Must run inside a transaction.
enum TriageRunner {
    struct Result {
        let line: Int
        let requestID: String
        let disposition: LineDisposition
    }

    /// Calls `sink` with the dispositions of each page's complete groups.
    static func run(
        _ connection: Connection, bundleID: Int64, month: BatchMonth, _ sink: ([Result]) throws -> Void
    ) throws {
        var group: [TriageLine] = []
        var groupID: String?
        var reviewed: [Int: BatchMonth] = [:]
        var ready: [Result] = []
        func flush() {
            guard let id = groupID else { return }
            let result = LineTriage.triage(group, reviewedEarlier: reviewed)
            for line in group {
                ready.append(Result(line: line.line, requestID: id, disposition: result[line.line] ?? .kept))
            }
            group = []
            reviewed = [:]
        }
        // Each line with the revisions of its request reviewed in an earlier batch's current review.
        try BundleStore(connection: connection).forEachTriagePage(bundleID: bundleID, month: month) { rows in
            for row in rows {
                if groupID.map({ !$0.sameBytes(as: row.requestID) }) ?? true {
                    flush()
                    groupID = row.requestID
                    reviewed = row.reviewedEarlier
                }
                group.append(TriageLine(line: row.line, revision: row.revision, sha256: row.sha256))
            }
            if !ready.isEmpty {
                try sink(ready)
                ready = []
            }
        }
        flush()
        if !ready.isEmpty { try sink(ready) }
    }
}
