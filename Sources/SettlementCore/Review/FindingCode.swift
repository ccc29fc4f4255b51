/// How serious a finding is. The worst one decides the status of the request.
public enum Severity: Int, Comparable, Sendable {
    /// Noted; the status does not change.
    case warn = 0
    /// Fixable: the enterprise corrects and resubmits (补正).
    case correct = 1
    /// The request is refused.
    case reject = 2

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }

    public var name: String {
        switch self {
        case .warn: "warn"
        case .correct: "correct"
        case .reject: "reject"
        }
    }
}

/// The stable codes of review findings (docs/rules/codes.md). The raw value is what outputs show.
public enum FindingCode: String, CaseIterable, Sendable, Comparable {
    case alreadyDecided = "ALREADY_DECIDED"
    case noVoucher = "NO_VOUCHER"
    case voucherNotApproved = "VOUCHER_NOT_APPROVED"
    case usccInvalid = "USCC_INVALID"
    case outOfRegion = "OUT_OF_REGION"
    case ineligible = "INELIGIBLE"
    case voucherExpired = "VOUCHER_EXPIRED"
    case orderOutsideVoucher = "ORDER_OUTSIDE_VOUCHER"
    case orderStatus = "ORDER_STATUS"
    case providerUnknown = "PROVIDER_UNKNOWN"
    case providerSuspended = "PROVIDER_SUSPENDED"
    case relatedParty = "RELATED_PARTY"
    case mixedProviders = "MIXED_PROVIDERS"
    case duplicateOrder = "DUPLICATE_ORDER"
    case contractReused = "CONTRACT_REUSED"
    case invoiceReused = "INVOICE_REUSED"
    case balanceExhausted = "BALANCE_EXHAUSTED"
    case contractCount = "CONTRACT_COUNT"
    case contractFile = "CONTRACT_FILE"
    case amountZero = "AMOUNT_ZERO"
    case reportMissing = "REPORT_MISSING"
    case invoiceMissing = "INVOICE_MISSING"
    case invoiceNumber = "INVOICE_NUMBER"
    case invoiceFile = "INVOICE_FILE"
    case invoiceParty = "INVOICE_PARTY"
    case invoiceDate = "INVOICE_DATE"
    case receiptMissing = "RECEIPT_MISSING"
    case receiptFile = "RECEIPT_FILE"
    case totalsMismatch = "TOTALS_MISMATCH"
    case invoiceExceedsContract = "INVOICE_EXCEEDS_CONTRACT"
    case rndProof = "RND_PROOF"
    case otherFile = "OTHER_FILE"
    case bankAccount = "BANK_ACCOUNT"
    case attachmentMismatch = "ATTACHMENT_MISMATCH"
    case requestCapped = "REQUEST_CAPPED"
    case balanceShort = "BALANCE_SHORT"
    /// At disbursement: an upheld objection withdrew the item.
    case objectionUpheld = "OBJECTION_UPHELD"

    public var severity: Severity {
        switch self {
        case .alreadyDecided, .noVoucher, .voucherNotApproved, .usccInvalid, .outOfRegion, .ineligible,
            .voucherExpired, .orderOutsideVoucher, .orderStatus, .providerUnknown, .providerSuspended,
            .relatedParty, .mixedProviders, .duplicateOrder, .contractReused, .invoiceReused,
            .balanceExhausted, .objectionUpheld:
            .reject
        case .contractCount, .contractFile, .amountZero, .reportMissing, .invoiceMissing, .invoiceNumber,
            .invoiceFile, .invoiceParty, .invoiceDate, .receiptMissing, .receiptFile, .totalsMismatch,
            .invoiceExceedsContract, .rndProof, .otherFile, .bankAccount, .attachmentMismatch:
            .correct
        case .requestCapped, .balanceShort:
            .warn
        }
    }

    /// Codes sort by their text (byte order), as outputs list them.
    public static func < (lhs: FindingCode, rhs: FindingCode) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }
}

/// One finding of the review: a code and a human detail such as "发票合计 15000.00 ≠ 回单合计 14000.00".
public struct Finding: Sendable, Equatable {
    public let code: FindingCode
    public let detail: String

    public init(_ code: FindingCode, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var severity: Severity { code.severity }
}

/// The outcome of reviewing a request.
public enum DecisionStatus: String, Sendable, CaseIterable {
    case accepted
    case needsCorrection = "needs_correction"
    case rejected

    /// The status the worst finding calls for.
    public init(findings: [Finding]) {
        let worst = findings.map(\.severity).max() ?? .warn
        switch worst {
        case .reject: self = .rejected
        case .correct: self = .needsCorrection
        case .warn: self = .accepted
        }
    }
}
