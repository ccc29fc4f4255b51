/// Rules on invoices and bank receipts: INVOICE_MISSING, INVOICE_NUMBER, INVOICE_FILE,
/// INVOICE_PARTY, INVOICE_DATE, INVOICE_REUSED (within the request), RECEIPT_MISSING,
/// RECEIPT_FILE and TOTALS_MISMATCH.
public enum InvoiceRules {
    public static func check(
        _ context: RuleContext, invoiceTotal: Fen, receiptTotal: Fen, into findings: inout FindingList
    ) {
        let request = context.request
        let policy = context.policy
        if request.invoices.isEmpty { findings.add(.invoiceMissing, "没有发票") }
        let orderDate = request.order.createdAt.shanghaiDate
        let submissionDate = request.submissionDate
        var seenKeys = FewSeen<ByteString>()
        for invoice in request.invoices {
            if let problem = numberProblem(invoice) { findings.add(.invoiceNumber, problem) }
            if let problem = FileRule.problem(
                invoice.file, allowed: FileRule.documentOrImage, maximumBytes: policy.maximumInvoiceFileBytes)
            {
                findings.add(.invoiceFile, "发票 \(invoice.number)：\(problem)")
            }
            if let provider = context.provider, !invoice.sellerUSCC.sameBytes(as: provider.uscc) {
                findings.add(.invoiceParty, "发票 \(invoice.number) 销售方 \(invoice.sellerUSCC) 不是服务单位 \(provider.uscc)")
            }
            if !invoice.buyerUSCC.sameBytes(as: request.enterpriseUSCC) {
                findings.add(
                    .invoiceParty, "发票 \(invoice.number) 购买方 \(invoice.buyerUSCC) 不是申请企业 \(request.enterpriseUSCC)")
            }
            if invoice.issuedOn < orderDate {
                findings.add(.invoiceDate, "发票 \(invoice.number) 开具日期 \(invoice.issuedOn) 早于下单日期 \(orderDate)")
            } else if invoice.issuedOn > submissionDate {
                findings.add(.invoiceDate, "发票 \(invoice.number) 开具日期 \(invoice.issuedOn) 晚于提交日期 \(submissionDate)")
            }
            if !seenKeys.insert(ByteString(invoice.claimKey)) {
                findings.add(.invoiceReused, "发票 \(invoice.number) 在本申请中出现两次")
            }
        }
        if request.bankReceipts.isEmpty { findings.add(.receiptMissing, "没有银行回单") }
        for receipt in request.bankReceipts {
            if let problem = FileRule.problem(
                receipt.file, allowed: FileRule.documentOrImage, maximumBytes: policy.maximumFileBytes)
            {
                findings.add(.receiptFile, "银行回单：\(problem)")
            }
        }
        if invoiceTotal != receiptTotal {
            findings.add(.totalsMismatch, "发票合计 \(invoiceTotal.yuanText) ≠ 回单合计 \(receiptTotal.yuanText)")
        }
    }

    /// 8 digits with a 10- or 12-digit code (paper), or 20 digits without a code (electronic).
    static func numberProblem(_ invoice: Invoice) -> String? {
        let number = invoice.number
        let numberDigits = BankAccountFormats.isDigits(number, count: 1...64) ? number.utf8.count : 0
        switch numberDigits {
        case 8:
            guard let code = invoice.code,
                BankAccountFormats.isDigits(code, count: 10...10)
                    || BankAccountFormats.isDigits(code, count: 12...12)
            else {
                return "8 位发票号码 \(number) 需要 10 或 12 位发票代码"
            }
            return nil
        case 20:
            if let code = invoice.code { return "20 位全电发票号码 \(number) 不应有发票代码 \(code)" }
            return nil
        default:
            return "发票号码 '\(RequestDecoder.quoted(number))' 不是 8 或 20 位数字"
        }
    }
}
