import SettlementCore

/// A deliberate flaw a generated request can carry, and the code it should raise.
enum SampleDefect: CaseIterable {
    case twoContracts, contractImage, reportMissing, noInvoice, paperNumberWithoutCode, invoiceWordFile, foreignBuyer
    case invoiceAfterSubmission, noReceipt, receiptWordFile, totalsOffByAFen, invoiceOverContract, noRnDProof
    case otherMaterialImage, requestedZero
    case negotiating, unknownShop, mixedShops

    /// Flaws an enterprise can correct and resubmit.
    var isCorrectable: Bool {
        switch self {
        case .negotiating, .unknownShop, .mixedShops: false
        default: true
        }
    }

    var code: String {
        switch self {
        case .twoContracts: "CONTRACT_COUNT"
        case .contractImage: "CONTRACT_FILE"
        case .reportMissing: "REPORT_MISSING"
        case .noInvoice: "INVOICE_MISSING;TOTALS_MISMATCH"
        case .paperNumberWithoutCode: "INVOICE_NUMBER"
        case .invoiceWordFile: "INVOICE_FILE"
        case .foreignBuyer: "INVOICE_PARTY"
        case .invoiceAfterSubmission: "INVOICE_DATE"
        case .noReceipt: "RECEIPT_MISSING;TOTALS_MISMATCH"
        case .receiptWordFile: "RECEIPT_FILE"
        case .totalsOffByAFen: "TOTALS_MISMATCH"
        case .invoiceOverContract: "INVOICE_EXCEEDS_CONTRACT"
        case .noRnDProof: "RND_PROOF"
        case .otherMaterialImage: "OTHER_FILE"
        case .requestedZero: "AMOUNT_ZERO"
        case .negotiating: "ORDER_STATUS"
        case .unknownShop: "PROVIDER_UNKNOWN"
        case .mixedShops: "MIXED_PROVIDERS"
        }
    }

    /// Applies the flaw. `makeFile` makes a real attached file when the inbox carries files.
    func apply(
        to request: inout RedemptionRequest, otherShop: String,
        makeFile: (_ stem: String, _ type: String) throws -> FileDescriptor
    ) throws {
        switch self {
        case .twoContracts:
            var second = request.contracts[0]
            second.contractNumber += "-补充"
            request.contracts.append(second)
        case .contractImage:
            request.contracts[0].file = try makeFile("contract-scan", "jpg")
        case .reportMissing:
            request.serviceReports.removeLast()
        case .noInvoice:
            request.invoices = []
        case .paperNumberWithoutCode:
            request.invoices[0].number = String(request.invoices[0].number.suffix(8))
        case .invoiceWordFile:
            request.invoices[0].file.type = "docx"
            request.invoices[0].file.name = "发票.docx"
        case .foreignBuyer:
            request.invoices[0].buyerUSCC = SampleWorld.uscc("91", district: "320102", serial: 9_999_999)
        case .invoiceAfterSubmission:
            request.invoices[0].issuedOn = request.submissionDate.adding(days: 1)
        case .noReceipt:
            request.bankReceipts = []
        case .receiptWordFile:
            request.bankReceipts[0].file.type = "doc"
            request.bankReceipts[0].file.name = "回单.doc"
        case .totalsOffByAFen:
            request.bankReceipts[0].amount = Fen(request.bankReceipts[0].amount.value - 1)
        case .invoiceOverContract:
            request.contracts[0].amount = Fen(max(request.contracts[0].amount.value - 100, 1))
        case .noRnDProof:
            request.rndProofs = []
        case .otherMaterialImage:
            request.otherMaterials = [try makeFile("photo", "png")]
        case .requestedZero:
            request.requestedVoucherAmount = .zero
        case .negotiating:
            request.order.status = "negotiating"
        case .unknownShop:
            request.shopID = "S999999"
            for index in request.order.items.indices { request.order.items[index].shopID = "S999999" }
        case .mixedShops:
            request.order.items[0].shopID = otherShop
        }
    }
}
