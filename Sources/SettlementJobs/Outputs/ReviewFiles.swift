import SettlementCore
import SettlementStore

/// The files of a review read back from the store inside the review's transaction:
/// `quarantine.csv` and, for a rerun, `diff.csv` (`decisions.csv` is written as the decisions are
/// made: `DecisionsCSV`).
struct ReviewFiles {
    let connection: Connection
    let runID: Int64

    var readings: DecisionReadings { DecisionReadings(connection: connection, runID: runID) }

    static let decisionColumns = [
        "request_id", "revision", "order_no", "enterprise_uscc", "enterprise_name", "city_code", "shop_id", "status",
        "codes", "invoice_total", "requested", "entitlement", "payable", "remaining_after", "reasons",
    ]

    func quarantine(_ file: StagedFile) throws {
        var document = try CSVStream(file: file, header: ["line", "request_id", "reason", "detail"])
        try readings.forEachQuarantined { line, requestID, reason, detail in
            try document.append([String(line), requestID, reason, detail])
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
        try readings.forEachChange(since: previousRunID) { change in
            let difference = (change.new?.payable ?? .zero).subtracting(change.old?.payable ?? .zero) ?? .zero
            let row = [
                change.requestID, change.change, change.old.map { String($0.revision) } ?? "",
                change.new.map { String($0.revision) } ?? "", change.old?.status ?? "", change.new?.status ?? "",
                change.old?.codes ?? "", change.new?.codes ?? "", change.old?.payable.yuanText ?? "",
                change.new?.payable.yuanText ?? "", difference.yuanText,
            ]
            try document.append(row)
            if kept.count < keep { kept.append(row) }
        }
        return (document.rows, kept)
    }
}

/// `decisions.csv`, one row per decision in allocation order, with the sum of its payable column
/// (for the report's check).
struct DecisionsCSV {
    var document: CSVStream
    private(set) var payable = Fen.zero

    init(_ document: CSVStream) { self.document = document }

    /// Writes `d`'s row; returns its cells (for the workbook's 明细).
    @discardableResult
    mutating func append(_ d: Decision) throws -> [String] {
        payable = payable.adding(d.payable) ?? payable
        let cells = [
            d.requestID, String(d.revision), d.orderNumber, d.enterpriseUSCC, d.enterpriseName, d.cityCode, d.shopID,
            d.status.rawValue, d.codes, d.invoiceTotal.yuanText, d.requested.yuanText, d.entitlement.yuanText,
            d.payable.yuanText, d.remainingAfter.yuanText,
            // The Chinese labels of the codes, in the same order (读者看的原因).
            FindingCode.labels(ofCodes: d.codes),
        ]
        try document.append(cells)
        return cells
    }
}
