import Foundation
import SettlementCore
import SettlementFormats

/// `objections.csv`: objections received during publicity (异议). The latest row per order wins
/// (by `received_on`, then by line).
struct ObjectionList {
    enum Decision: String {
        case upheld, dismissed, pending
    }

    struct Objection {
        var orderNumber: String
        var receivedOn: CivilDate
        var decision: Decision
        var note: String
        var line: Int
    }

    static let columns = ["order_no", "received_on", "decision", "note"]

    /// By order number, compared by its bytes.
    var byOrder: [ByteString: Objection] = [:]
    /// Rows that could not be read, with their line.
    var problems: [String] = []
    var sha256: String?
    var path: String?

    static let none = ObjectionList()

    static func load(path: String, encoding: BundleEncoding) throws -> ObjectionList {
        var list = ObjectionList()
        list.path = path
        list.sha256 = try IngestStage.hash(path: path).sha256
        var parser = CSVParser()
        var columns: ColumnMap?
        func handle(_ record: CSVRecord) throws {
            // An objection that cannot be read could be one that holds a payment back: refuse.
            if let problem = record.problem {
                throw SettleError.inputRefused(
                    "\(path) line \(record.line) breaks RFC 4180 quoting (\(problem)); nothing is disbursed until "
                        + "the file is corrected")
            }
            guard let map = columns else {
                switch ColumnMap.make(header: record.fields, required: ObjectionList.columns) {
                case .success(let map): columns = map
                case .failure(let problem): throw SettleError.inputRefused("\(path): \(problem.message)")
                }
                return
            }
            let order = map.value("order_no", in: record.fields)
            guard let received = CivilDate(iso: map.value("received_on", in: record.fields)),
                let decision = Decision(rawValue: map.value("decision", in: record.fields)), record.problem == nil
            else {
                list.problems.append("objections.csv line \(record.line): cannot be read (order '\(order)')")
                return
            }
            let objection = Objection(
                orderNumber: order, receivedOn: received, decision: decision,
                note: map.value("note", in: record.fields),
                line: record.line)
            if let existing = list.byOrder[ByteString(order)], existing.receivedOn > received { return }
            list.byOrder[ByteString(order)] = objection
        }
        do {
            try TextLineSource(path: path, encoding: encoding).forEachLine(dropCR: false) { line in
                try parser.feed(line.bytes + [0x0A], emit: handle)
            }
            try parser.finish(emit: handle)
        } catch let refusal as InputRefusal {
            throw SettleError.inputRefused(refusal.description)
        }
        return list
    }
}
