import SettlementCore

/// The domestic batch payment file (批量代发), `payments-NNN.csv` in GBK: a header line of the
/// batch (批次号,付款账号,付款户名,总笔数,总金额,日期) with its values, then the detail lines
/// (序号,收款账号,收款户名,收款行行号,收款行名称,金额,用途,企业流水号). Split at the configured
/// number of detail lines per file; each file has its own header totals.
enum BatchPaymentFile {
    static let batchHeader = ["批次号", "付款账号", "付款户名", "总笔数", "总金额", "日期"]
    static let detailHeader = ["序号", "收款账号", "收款户名", "收款行行号", "收款行名称", "金额", "用途", "企业流水号"]

    struct File {
        var name: String
        var batchNumber: String
        var count: Int
        var total: Fen
        var bytes: [UInt8]
    }

    static func files(_ batch: PaymentBatch, maximumLinesPerFile: Int) throws -> [File] {
        var files: [File] = []
        let chunks = stride(from: 0, to: batch.lines.count, by: max(maximumLinesPerFile, 1)).map {
            Array(batch.lines[$0..<min($0 + maximumLinesPerFile, batch.lines.count)])
        }
        for (index, lines) in chunks.enumerated() {
            let number = pad(index + 1, 3)
            let total = Fen.sum(lines.map(\.amount)) ?? .zero
            let batchNumber = batch.messageID + "-" + number
            var text = row(batchHeader)
            text += row([
                batchNumber, batch.payer.account, batch.payer.name, String(lines.count), total.yuanText,
                batch.businessDate.description,
            ])
            text += row(detailHeader)
            for (position, line) in lines.enumerated() {
                text += row([
                    String(position + 1), line.accountNumber, line.accountName, line.bankCode, line.bankName,
                    line.amount.yuanText, line.purpose, line.endToEndID,
                ])
            }
            files.append(
                File(
                    name: "payments-\(number).csv", batchNumber: batchNumber, count: lines.count, total: total,
                    bytes: try GBKText.encode(text)))
        }
        return files
    }

    /// RFC 4180 quoting where needed; no formula guard (banks read these files, not spreadsheets).
    static func row(_ cells: [String]) -> String {
        cells.map(CSVFormat.plainCell).joined(separator: ",") + "\r\n"
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(width - text.count, 0)) + text
    }
}
