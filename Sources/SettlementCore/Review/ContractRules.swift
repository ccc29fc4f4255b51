/// Rules on the contract: CONTRACT_COUNT (一单一合同), CONTRACT_FILE, AMOUNT_ZERO and
/// INVOICE_EXCEEDS_CONTRACT.
public enum ContractRules {
    public static func check(_ context: RuleContext, invoiceTotal: Fen, into findings: inout FindingList) {
        let request = context.request
        if request.contracts.count != 1 {
            findings.add(.contractCount, "应有且仅有一份合同，实有 \(request.contracts.count) 份")
        }
        for contract in request.contracts {
            if let problem = FileRule.problem(
                contract.file, allowed: FileRule.pdfOnly, maximumBytes: context.policy.maximumFileBytes)
            {
                findings.add(.contractFile, "合同 \(contract.contractNumber)：\(problem)")
            }
            if contract.amount == .zero {
                findings.add(.amountZero, "合同 \(contract.contractNumber) 金额为 0")
            }
        }
        if request.requestedVoucherAmount == .zero {
            findings.add(.amountZero, "申请创新券金额为 0")
        }
        if request.contracts.count == 1, let contract = request.contracts.first, invoiceTotal > contract.amount {
            findings.add(
                .invoiceExceedsContract, "发票合计 \(invoiceTotal.yuanText) 超过合同金额 \(contract.amount.yuanText)")
        }
    }
}
