/// A redemption request (兑付申请): one line of `redemptions.jsonl`, parsed.
public struct RedemptionRequest: Sendable, Equatable {
    public var requestID: String
    public var revision: Int
    public var orderNumber: String
    public var voucherYear: Int
    public var submittedAt: Instant
    public var enterpriseUSCC: String
    public var shopID: String
    public var order: Order
    public var contracts: [Contract]
    /// 申请创新券: the voucher amount the enterprise asks for.
    public var requestedVoucherAmount: Fen
    public var invoices: [Invoice]
    public var bankReceipts: [BankReceipt]
    public var serviceReports: [ServiceReport]
    public var rndProofs: [FileDescriptor]
    public var otherMaterials: [FileDescriptor]

    /// The Asia/Shanghai date of submission.
    public var submissionDate: CivilDate { submittedAt.shanghaiDate }

    /// Every attached file with where it sits in the request, in document order.
    public var attachments: [(path: String, file: FileDescriptor)] {
        var all: [(String, FileDescriptor)] = []
        for (index, contract) in contracts.enumerated() { all.append(("contracts[\(index)].file", contract.file)) }
        for (index, invoice) in invoices.enumerated() { all.append(("invoices[\(index)].file", invoice.file)) }
        for (index, receipt) in bankReceipts.enumerated() { all.append(("bank_receipts[\(index)].file", receipt.file)) }
        for (index, report) in serviceReports.enumerated() {
            all.append(("service_reports[\(index)].file", report.file))
        }
        for (index, proof) in rndProofs.enumerated() { all.append(("rnd_proofs[\(index)].file", proof)) }
        for (index, other) in otherMaterials.enumerated() { all.append(("other_materials[\(index)].file", other)) }
        return all
    }

    public init(
        requestID: String, revision: Int, orderNumber: String, voucherYear: Int, submittedAt: Instant,
        enterpriseUSCC: String, shopID: String, order: Order, contracts: [Contract], requestedVoucherAmount: Fen,
        invoices: [Invoice], bankReceipts: [BankReceipt], serviceReports: [ServiceReport], rndProofs: [FileDescriptor],
        otherMaterials: [FileDescriptor]
    ) {
        self.requestID = requestID
        self.revision = revision
        self.orderNumber = orderNumber
        self.voucherYear = voucherYear
        self.submittedAt = submittedAt
        self.enterpriseUSCC = enterpriseUSCC
        self.shopID = shopID
        self.order = order
        self.contracts = contracts
        self.requestedVoucherAmount = requestedVoucherAmount
        self.invoices = invoices
        self.bankReceipts = bankReceipts
        self.serviceReports = serviceReports
        self.rndProofs = rndProofs
        self.otherMaterials = otherMaterials
    }
}

/// 订单: an order for services of one provider.
public struct Order: Sendable, Equatable {
    public var createdAt: Instant
    /// `negotiating` | `in_service` | `completed` | `invalid` (other values fail `ORDER_STATUS`).
    public var status: String
    public var quotedAmount: Fen
    public var plannedVoucherAmount: Fen
    public var items: [OrderItem]

    public init(createdAt: Instant, status: String, quotedAmount: Fen, plannedVoucherAmount: Fen, items: [OrderItem]) {
        self.createdAt = createdAt
        self.status = status
        self.quotedAmount = quotedAmount
        self.plannedVoucherAmount = plannedVoucherAmount
        self.items = items
    }
}

public struct OrderItem: Sendable, Equatable {
    public var serviceID: String
    public var name: String
    public var category: String
    public var shopID: String
    public var quantity: Int
    public var unitPrice: Fen

    public init(serviceID: String, name: String, category: String, shopID: String, quantity: Int, unitPrice: Fen) {
        self.serviceID = serviceID
        self.name = name
        self.category = category
        self.shopID = shopID
        self.quantity = quantity
        self.unitPrice = unitPrice
    }
}

/// 合同: the contract of an order.
public struct Contract: Sendable, Equatable {
    public var contractNumber: String
    public var amount: Fen
    public var signedOn: CivilDate
    public var file: FileDescriptor

    public init(contractNumber: String, amount: Fen, signedOn: CivilDate, file: FileDescriptor) {
        self.contractNumber = contractNumber
        self.amount = amount
        self.signedOn = signedOn
        self.file = file
    }
}

/// 发票: an invoice; old paper invoices have a 10- or 12-digit code and an 8-digit number,
/// electronic ones a 20-digit number and no code.
public struct Invoice: Sendable, Equatable {
    /// `nil` when absent, null or empty.
    public var code: String?
    public var number: String
    public var amount: Fen
    public var issuedOn: CivilDate
    public var sellerUSCC: String
    public var buyerUSCC: String
    public var file: FileDescriptor

    /// The key an invoice is claimed under: (code or "", number).
    public var claimKey: String { (code ?? "") + "\u{1F}" + number }

    public init(
        code: String?, number: String, amount: Fen, issuedOn: CivilDate, sellerUSCC: String, buyerUSCC: String,
        file: FileDescriptor
    ) {
        self.code = code
        self.number = number
        self.amount = amount
        self.issuedOn = issuedOn
        self.sellerUSCC = sellerUSCC
        self.buyerUSCC = buyerUSCC
        self.file = file
    }
}

/// 银行回单: proof that the enterprise paid the provider.
public struct BankReceipt: Sendable, Equatable {
    public var amount: Fen
    public var paidOn: CivilDate
    public var file: FileDescriptor

    public init(amount: Fen, paidOn: CivilDate, file: FileDescriptor) {
        self.amount = amount
        self.paidOn = paidOn
        self.file = file
    }
}

/// 服务报告: the report of one service.
public struct ServiceReport: Sendable, Equatable {
    public var serviceID: String
    public var file: FileDescriptor

    public init(serviceID: String, file: FileDescriptor) {
        self.serviceID = serviceID
        self.file = file
    }
}

/// What the platform says about an attached file.
public struct FileDescriptor: Sendable, Equatable {
    public var name: String
    /// The declared lower-case extension: `pdf`, `jpg`, `jpeg`, `png`.
    public var type: String
    public var size: Int64
    public var sha256: String
    /// Relative to the bundle; optional.
    public var path: String?

    public init(name: String, type: String, size: Int64, sha256: String, path: String?) {
        self.name = name
        self.type = type
        self.size = size
        self.sha256 = sha256
        self.path = path
    }
}
