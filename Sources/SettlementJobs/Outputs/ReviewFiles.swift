import SettlementCore
import SettlementStore

/// The files of a review, read back from the store inside the review's transaction:
/// `decisions.csv`, `quarantine.csv` and, for a rerun, `diff.csv`.
struct ReviewFiles {
    let connection: Connection
    let runID: Int64

    static let decisionColumns = [
        "request_id", "revision", "order_no", "enterprise_uscc", "enterprise_name", "city_code", "shop_id", "status",
        "codes", "invoice_total", "requested", "entitlement", "payable", "remaining_after", "reasons",
    ]

    /// Writes the decisions file; returns its row count and the sum of its payable column (for the
    /// report's check).
    func decisions(_ file: StagedFile) throws -> (rows: Int, payable: Fen) {
        var document = try CSVStream(file: file, header: ReviewFiles.decisionColumns)
        var payable = Fen.zero
        try connection.copyOut(
            """
            COPY (SELECT request_id, revision, order_no, enterprise_uscc, enterprise_name, city_code, shop_id, status,
                         codes, invoice_total, requested, entitlement, payable, remaining_after
                    FROM decisions WHERE run_id = \(runID) ORDER BY seq) TO STDOUT
            """
        ) { cells in
            var row = cells.map { $0 ?? "" }
            payable = payable.adding(Fen(Int64(row[12]) ?? 0)) ?? payable
            for index in 9...13 { row[index] = Fen(Int64(row[index]) ?? 0).yuanText }
            // The Chinese labels of the codes, in the same order (读者看的原因).
            row.append(FindingCode.labels(ofCodes: row[8]))
            try document.append(row)
        }
        return (document.rows, payable)
    }

    func quarantine(_ file: StagedFile) throws {
        var document = try CSVStream(file: file, header: ["line", "request_id", "reason", "detail"])
        try connection.copyOut(
            "COPY (SELECT line, request_id, reason, detail FROM quarantine WHERE run_id = \(runID) ORDER BY line) TO STDOUT"
        ) { cells in
            try document.append(cells.map { $0 ?? "" })
        }
    }

    /// What changed since the previous review of the batch: one row per request whose status,
    /// codes or payable amount differ, or that appears on one side only.
    /// Writes `diff.csv`; returns how many requests changed and the first rows, for the report.
    func diff(previousRunID: Int64, into file: StagedFile, keep: Int = 500) throws -> (count: Int, rows: [[String]]) {
        var document = try CSVStream(
            file: file,
            header: [
                "request_id", "change", "old_revision", "new_revision", "old_status", "new_status", "old_codes",
                "new_codes",
                "old_payable", "new_payable", "payable_change",
            ])
        var kept: [[String]] = []
        try connection.copyOut(
            """
            COPY (
                SELECT coalesce(n.request_id, o.request_id),
                       CASE WHEN o.request_id IS NULL THEN 'added' WHEN n.request_id IS NULL THEN 'removed' ELSE 'changed' END,
                       o.revision, n.revision, o.status, n.status, o.codes, n.codes, o.payable, n.payable,
                       coalesce(n.payable, 0) - coalesce(o.payable, 0)
                  FROM (SELECT * FROM decisions WHERE run_id = \(runID)) n
                  FULL JOIN (SELECT * FROM decisions WHERE run_id = \(previousRunID)) o ON o.request_id = n.request_id
                 WHERE o.request_id IS NULL OR n.request_id IS NULL OR o.status <> n.status OR o.codes <> n.codes
                    OR o.payable <> n.payable OR o.revision <> n.revision
                 ORDER BY coalesce(n.request_id, o.request_id) COLLATE "C"
            ) TO STDOUT
            """
        ) { cells in
            var row = cells.map { $0 ?? "" }
            for index in [8, 9, 10] where !row[index].isEmpty { row[index] = Fen(Int64(row[index]) ?? 0).yuanText }
            try document.append(row)
            if kept.count < keep { kept.append(row) }
        }
        return (document.rows, kept)
    }
}
