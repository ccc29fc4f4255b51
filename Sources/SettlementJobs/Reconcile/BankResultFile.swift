import Foundation
import SettlementCore
import SettlementFormats
import SettlementStore

/// A bank result file: CSV, UTF-8 (a BOM allowed) or else GB18030, with a header naming the payment
/// id (`企业流水号`, `end_to_end_id` or `EndToEndId`) and the status (`状态` or `status`), and
/// optionally a detail (`说明`, `detail` or `备注`). Read as a stream: each record goes to the
/// store's staging table as it is parsed, so memory does not grow with the file.
struct BankResultFile {
    let path: String

    static let idColumns = ["企业流水号", "end_to_end_id", "EndToEndId"]
    static let statusColumns = ["状态", "status"]
    static let detailColumns = ["说明", "detail", "备注"]
    static let paidWords: Set<String> = ["paid", "success", "成功"]
    static let returnedWords: Set<String> = ["returned", "failed", "退回", "失败"]

    /// The status a cell names, if any.
    static func status(_ cell: String) -> BankAnswerStore.Status? {
        let word = cell.lowercased()
        if paidWords.contains(word) { return .paid }
        if returnedWords.contains(word) { return .returned }
        return nil
    }

    /// Stages every record of the file; returns how many were staged. UTF-8 is tried first; a file
    /// that is not UTF-8 is read again as GB18030.
    func stage(into store: BankAnswerStore) throws -> Int {
        do {
            return try stage(into: store, encoding: .utf8)
        } catch let refusal as InputRefusal where refusal.message.contains("is not valid utf-8") {
            do {
                return try stage(into: store, encoding: .gb18030)
            } catch let second as InputRefusal {
                throw SettleError.inputRefused("\(path) is neither UTF-8 nor GB18030 (\(second.message))")
            }
        } catch let refusal as InputRefusal {
            throw SettleError.inputRefused(refusal.description)
        }
    }

    func stage(into store: BankAnswerStore, encoding: BundleEncoding) throws -> Int {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw SettleError.inputRefused("\(path) is not a readable file")
        }
        try store.beginStaging()
        var count = 0
        try store.stage { writer in
            var columns: (id: Int, status: Int, detail: Int?, count: Int)?
            var parser = CSVParser()
            func handle(_ record: CSVRecord) throws {
                guard let known = columns else {
                    let header = record.fields
                    // Two columns for the id or the status (状态 and status) could say two things of a
                    // payment. The detail is only kept as text: a file with both 说明 and 备注 is read
                    // with the first of them.
                    for (meaning, names) in [
                        ("the payment id", BankResultFile.idColumns), ("the status", BankResultFile.statusColumns),
                    ] {
                        let named = header.filter(names.contains)
                        guard named.count <= 1 else {
                            throw SettleError.inputRefused(
                                "\(path): the header names \(meaning) more than once (\(named.joined(separator: ", "))); "
                                    + "nothing was applied")
                        }
                    }
                    guard let id = header.firstIndex(where: BankResultFile.idColumns.contains),
                        let status = header.firstIndex(where: BankResultFile.statusColumns.contains)
                    else {
                        throw SettleError.inputRefused(
                            "\(path): the header must name 企业流水号 (or end_to_end_id) and 状态 (or status)")
                    }
                    columns = (
                        id, status, header.firstIndex(where: BankResultFile.detailColumns.contains), header.count
                    )
                    return
                }
                let cell = { (index: Int) in index < record.fields.count ? record.fields[index] : "" }
                let id = cell(known.id)
                let statusCell = cell(known.status)
                let status = BankResultFile.status(statusCell)
                var problem: String?
                if let quoting = record.problem {
                    problem = "not a valid CSV record (\(quoting))"
                } else if record.fields.count != known.count {
                    problem = "\(record.fields.count) fields where the header has \(known.count)"
                } else if id.isEmpty {
                    problem = "no payment id"
                } else if status == nil {
                    problem = "status '\(statusCell)' is not understood (成功/paid/success or 退回/失败/returned/failed)"
                }
                try writer.write([
                    String(record.line), id, status?.rawValue, known.detail.map(cell) ?? "", problem,
                ])
                count += 1
            }
            try TextLineSource(path: path, encoding: encoding).forEachLine(dropCR: false) { line in
                if let length = line.overlongLength {
                    throw SettleError.inputRefused("\(path): line \(line.number) is \(length) bytes long")
                }
                try parser.feed(line.bytes + [0x0A], emit: handle)
            }
            try parser.finish(emit: handle)
            if columns == nil { throw SettleError.inputRefused("\(path) is empty") }
        }
        return count
    }
}
