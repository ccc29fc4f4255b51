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
        try connection.forEachPage(
            """
            SELECT l.request_id, l.line, l.revision, l.sha256,
                   (SELECT string_agg(d.revision || '@' || r.month, ',')
                      FROM decisions d JOIN reviews r ON r.run_id = d.run_id AND r.is_current
                     WHERE d.request_id = l.request_id AND r.month < '\(month)')
              FROM request_lines l
             WHERE l.bundle_id = \(bundleID) AND l.outcome = 'well_formed'
             ORDER BY l.request_id COLLATE "C", l.line
            """, pageSize: 5_000
        ) { rows in
            for row in rows {
                let id = row.string(0)
                if groupID.map({ !$0.sameBytes(as: id) }) ?? true {
                    flush()
                    groupID = id
                    for entry in row.string(4).split(separator: ",") {
                        let parts = entry.split(separator: "@")
                        if parts.count == 2, let revision = Int(parts[0]), let earlier = BatchMonth(parts[1]) {
                            reviewed[revision] = min(reviewed[revision] ?? earlier, earlier)
                        }
                    }
                }
                group.append(TriageLine(line: row.int(1) ?? 0, revision: row.int(2) ?? 0, sha256: row.string(3)))
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
