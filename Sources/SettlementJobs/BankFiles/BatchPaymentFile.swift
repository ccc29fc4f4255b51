import SettlementCore
import SettlementFormats

/// The domestic batch payment file (批量代发), `payments-NNN.csv` in GBK: a header line of the
/// batch (批次号,付款账号,付款户名,总笔数,总金额,日期) with its values, then the detail lines
/// (序号,收款账号,收款户名,收款行行号,收款行名称,金额,用途,企业流水号). A disbursement is split
/// into files of at most the configured number of detail lines; each has its own header totals.
enum BatchPaymentFile {
    static let batchHeader = ["批次号", "付款账号", "付款户名", "总笔数", "总金额", "日期"]
    static let detailHeader = ["序号", "收款账号", "收款户名", "收款行行号", "收款行名称", "金额", "用途", "企业流水号"]

    static func name(_ number: Int) -> String { "payments-\(pad(number, 3)).csv" }

    /// One file: its number (1-based) and its lines (at most the configured number).
    static func bytes(_ header: PaymentBatchHeader, number: Int, lines: [PaymentLine]) throws -> (
        batchNumber: String, total: Fen, bytes: [UInt8]
    ) {
        let total = Fen.sum(lines.map(\.amount)) ?? .zero
        let batchNumber = header.messageID + "-" + pad(number, 3)
        var text = row(batchHeader)
        text += row([
            batchNumber, header.payer.account, header.payer.name, String(lines.count), total.yuanText,
            header.businessDate.description,
        ])
        text += row(detailHeader)
        for (position, line) in lines.enumerated() {
            text += row([
                String(position + 1), line.accountNumber, line.accountName, line.bankCode, line.bankName,
                line.amount.yuanText, line.purpose, line.endToEndID,
            ])
        }
        return (batchNumber, total, try GBKText.encode(text))
    }

    /// RFC 4180 quoting where needed; no formula guard (banks read these files, not spreadsheets).
    static func row(_ cells: [String]) -> String {
        cells.map(CSVFormat.plainCell).joined(separator: ",") + "\r\n"
    }

    static func pad(_ value: Int, _ width: Int) -> String { String.zeroPadded(value, width: width) }
}
