import SettlementCore
import SettlementStore

/// `report.html` of a disbursement: the payment totals that must match the bank files, file by
/// file, and what was withdrawn, held or blocked.
struct DisbursementReport {
    let connection: Connection
    let run: RunRecord
    let header: PaymentBatchHeader
    let files: [(name: String, count: Int, total: Fen)]

    func html() throws -> String {
        let title = "\(run.month.year)年\(run.month.month)月创新券拨付报告（第 \(run.number) 次拨付）"
        let store = DisbursementStore(connection: connection)
        let (databaseCount, databaseTotal) = try store.paymentLineTotals(runID: run.id)
        let filesCount = files.map(\.count).reduce(0, +)
        let filesTotal = Fen.sum(files.map(\.total)) ?? .zero
        let agrees =
            databaseCount == header.count && databaseTotal == header.total
            && (files.isEmpty || (filesCount == header.count && filesTotal == header.total))
        var body = "<h1>\(HTML.escape(title))</h1>\n"
        body +=
            "<p class=\"check bad\">待复核：本批支付文件须由另一人复核放行（settle approve）后方可提交银行；"
            + "放行的文件见 outbox 目录。</p>\n"
        body += "<p class=\"meta\">业务日期 \(header.businessDate) · MsgId \(HTML.escape(header.messageID))</p>\n"
        let check =
            "核对：数据库 \(databaseCount) 笔 \(databaseTotal.yuanText) 元；pain001.xml \(header.count) 笔 \(header.total.yuanText) 元；"
            + "批量代发文件 \(filesCount) 笔 \(filesTotal.yuanText) 元 — " + (agrees ? "一致" : "不一致！")
        body += "<p class=\"check\(agrees ? "" : " bad")\">\(HTML.escape(check))</p>\n"
        body += "<h2>支付文件</h2>\n"
        body += HTML.table(
            ["文件", "笔数", "金额（元）"],
            files.map { [$0.name, String($0.count), $0.total.yuanText] } + [
                ["pain001.xml", String(header.count), header.total.yuanText]
            ],
            numeric: [1, 2])
        body += "<h2>付款账户</h2>\n"
        body += HTML.table(
            ["户名", "账号", "开户行", "行号"],
            [[header.payer.name, header.payer.account, header.payer.bankName, header.payer.bankCode]])
        let exclusions = try store.exclusions(runID: run.id)
        body += "<h2>未拨付的项目</h2>\n"
        body += HTML.table(
            ["申请编号", "处理", "代码", "说明"],
            exclusions.map {
                [
                    $0.requestID, DisbursementReport.outcomeName($0.outcome.rawValue, code: $0.code ?? ""),
                    $0.code ?? "", $0.detail,
                ]
            })
        body += "<h2>支付明细</h2>\n"
        var details: [[String]] = []
        try PaymentLineStore(connection: connection).forEachLine(runID: run.id, limit: 1_000) { line in
            details.append([
                String(line.seq), line.endToEndID, line.requestID,
                DisbursementReport.kindName(line.kind, replacing: line.replacesPaymentID), line.accountName,
                line.bankName, line.amount.yuanText,
            ])
        }
        if header.count > 1_000 { body += "<p>仅列出前 1000 笔，完整明细见支付文件。</p>\n" }
        body += HTML.table(
            ["序号", "企业流水号", "申请编号", "类型", "收款户名", "收款行", "金额（元）"], details, numeric: [0, 6])
        body += "\n<footer>由 settle 生成；请先核对 manifest.json 中各文件的 SHA-256 再上传银行。</footer>"
        return HTML.page(title: title, body: body)
    }

    /// What a payment line is, in Chinese: 首次支付, 补付 (a supplement after a rerun), or 重新支付
    /// naming the returned payment it replaces.
    static func kindName(_ kind: String, replacing returned: String?) -> String {
        switch kind {
        case "payment": "首次支付"
        case "supplement": "补付（重审后增加的差额）"
        case "repayment": "重新支付" + (returned.map { "（替代被退回的 \($0)）" } ?? "")
        default: kind
        }
    }

    static func outcomeName(_ outcome: String, code: String) -> String {
        switch code {
        case "DISPUTED": "暂缓（银行回复有争议）"
        case "GBK": "暂不拨付（户名或行名含 GBK 以外的字符）"
        case "CONTROL": "暂不拨付（户名或行名含换行等控制字符）"
        case "RETURNED": "暂不拨付（银行退回后账户尚未更正）"
        case "NO_VOUCHER": "暂不拨付（名册中没有账户）"
        default: outcomeName(outcome)
        }
    }

    static func outcomeName(_ outcome: String) -> String {
        ["withdrawn": "撤销（异议成立）", "held": "暂缓（异议处理中）", "blocked": "暂不拨付（账户信息有误）", "zero": "金额为 0"][outcome] ?? outcome
    }
}
