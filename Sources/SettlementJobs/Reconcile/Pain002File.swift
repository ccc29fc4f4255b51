import Foundation
import SettlementCore
import SettlementStore

/// An ISO 20022 `pain.002.001.03` Customer Payment Status Report, read with libxml2's streaming
/// reader into the same staging table as a CSV result file:
/// - each `TxInfAndSts` gives `OrgnlEndToEndId` and `TxSts` (its group's `GrpSts` when absent):
///   `ACCP`/`ACSC` → paid, `RJCT` → returned, the reason code (`StsRsnInf/Rsn/Cd`) and text kept;
/// - a report without transactions and a final group status answers for every payment of its
///   original message (`OrgnlMsgId`);
/// - a status that is not final (`ACTC`, `ACSP`, `PDNG`, …) is reported and not applied.
/// The original message must be one of this system's payment files; a transaction naming a payment
/// of another message is a bad line (nothing is applied).
struct Pain002File {
    let path: String

    static let final: [String: BankAnswerStore.Status] = ["ACCP": .paid, "ACSC": .paid, "RJCT": .returned]

    /// The elements a report holds at most once (in its group, or in each transaction).
    static let once: Set<String> = [
        "OrgnlGrpInfAndSts/OrgnlMsgId", "OrgnlGrpInfAndSts/GrpSts",
        "OrgnlPmtInfAndSts/TxInfAndSts/OrgnlEndToEndId", "OrgnlPmtInfAndSts/TxInfAndSts/TxSts",
    ]

    struct Outcome {
        var originalMessageID = ""
        var groupStatus = ""
        var transactions = 0
        var notFinal: [String] = []
    }

    /// Whether the file looks like XML (its first byte after a BOM and white space is `<`).
    static func isXML(_ path: String) -> Bool {
        guard case .success(let handle) = SafeFile.openInput(path) else { return false }
        defer { try? handle.close() }
        var bytes = [UInt8]((try? handle.read(upToCount: 4_096)) ?? Data())
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "<")
    }

    func stage(into store: BankAnswerStore, schema: String?) throws -> Outcome {
        if let schema {
            // The reader refuses a DOCTYPE or an entity before the validator's parser meets them.
            do { try XMLDocumentReader.read(path: path) { _, _, _ in } } catch let error as BankFileError {
                throw SettleError.inputRefused("\(path): \(error)")
            }
            let errors = try XMLSchemaValidator.validate(file: path, schema: schema)
            guard errors.isEmpty else {
                throw SettleError.inputRefused(
                    "\(path) is not valid against \(schema): " + errors.prefix(5).joined(separator: "; "))
            }
        }
        var outcome = Outcome()
        var groupReason = ""
        // The transaction being read; its status is nil while no TxSts was given (then the group's
        // applies) and empty when an empty one was (then nothing applies: the file says nothing).
        var current: (id: String, status: String?, reason: String, info: String)?
        var rows: [[String?]] = []
        func flush() {
            guard let transaction = current else { return }
            current = nil
            outcome.transactions += 1
            let status = transaction.status ?? outcome.groupStatus
            let detail = [transaction.reason, transaction.info].filter { !$0.isEmpty }.joined(separator: " ")
            guard let answer = Pain002File.final[status] else {
                outcome.notFinal.append(
                    "transaction \(outcome.transactions) (\(transaction.id)): status "
                        + (status.isEmpty ? "(empty)" : status) + " is not final")
                return
            }
            let problem: String? = transaction.id.isEmpty ? "no OrgnlEndToEndId" : nil
            rows.append([String(outcome.transactions), transaction.id, answer.rawValue, detail, problem])
        }
        try store.beginStaging()
        var isReport = false
        var seen: Set<String> = []
        try store.stage { writer in
            do {
                try XMLDocumentReader.read(path: path) { elementPath, _, text in
                    let parts = elementPath.split(separator: "/").map(String.init)
                    guard parts.count >= 2, parts[1] == "CstmrPmtStsRpt" else { return }
                    isReport = true
                    let tail = parts.dropFirst(2).joined(separator: "/")
                    // A value the standard allows once, given twice, is a report contradicting itself.
                    if Pain002File.once.contains(tail), !seen.insert(tail).inserted {
                        let transaction =
                            tail.hasPrefix("OrgnlPmtInfAndSts/") ? " in transaction \(outcome.transactions + 1)" : ""
                        throw BankFileError("\(parts.last ?? tail) appears twice\(transaction); nothing was applied")
                    }
                    switch tail {
                    case "OrgnlGrpInfAndSts/OrgnlMsgId": outcome.originalMessageID = text ?? ""
                    case "OrgnlGrpInfAndSts/GrpSts": outcome.groupStatus = text ?? ""
                    case "OrgnlGrpInfAndSts/StsRsnInf/Rsn/Cd": groupReason = text ?? ""
                    case "OrgnlPmtInfAndSts/TxInfAndSts":
                        flush()
                        current = ("", nil, "", "")
                        seen.remove("OrgnlPmtInfAndSts/TxInfAndSts/OrgnlEndToEndId")
                        seen.remove("OrgnlPmtInfAndSts/TxInfAndSts/TxSts")
                    case "OrgnlPmtInfAndSts/TxInfAndSts/OrgnlEndToEndId": current?.id = text ?? ""
                    case "OrgnlPmtInfAndSts/TxInfAndSts/TxSts": current?.status = text ?? ""
                    case "OrgnlPmtInfAndSts/TxInfAndSts/StsRsnInf/Rsn/Cd": current?.reason = text ?? ""
                    case "OrgnlPmtInfAndSts/TxInfAndSts/StsRsnInf/AddtlInf": current?.info += text ?? ""
                    default: break
                    }
                    if rows.count >= 1_000 {
                        for row in rows { try writer.write(row) }
                        rows.removeAll(keepingCapacity: true)
                    }
                }
            } catch let error as BankFileError {
                throw SettleError.inputRefused("\(path): \(error)")
            }
            flush()
            for row in rows { try writer.write(row) }
        }
        guard isReport else {
            throw SettleError.inputRefused("\(path) is XML but not a pain.002 Customer Payment Status Report")
        }
        guard !outcome.originalMessageID.isEmpty else {
            throw SettleError.inputRefused(
                "\(path): the report names no original message (OrgnlGrpInfAndSts/OrgnlMsgId)")
        }
        guard try store.paymentRunOfMessage(outcome.originalMessageID) != nil else {
            throw SettleError.inputRefused(
                "\(path) answers message \(outcome.originalMessageID), which is not a payment file of this system")
        }
        if outcome.transactions == 0 {
            guard let answer = Pain002File.final[outcome.groupStatus] else {
                outcome.notFinal.append("group status \(outcome.groupStatus) is not final and lists no transaction")
                return outcome
            }
            try store.stageWholeMessage(
                outcome.originalMessageID, status: answer, detail: "group status \(outcome.groupStatus) \(groupReason)")
        }
        let outside = try store.linesOutside(message: outcome.originalMessageID)
        guard outside.isEmpty else {
            throw SettleError.inputRefused(
                "\(path): \(outside.count) transactions name payments that are not in message "
                    + "\(outcome.originalMessageID); nothing was applied: "
                    + outside.prefix(20).map { "transaction \($0.line): \($0.problem)" }.joined(separator: "; "))
        }
        return outcome
    }
}
