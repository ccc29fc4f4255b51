/// The result of reviewing one request: its status, every finding, the amounts, and what it
/// changes in the claims and the ledger.
public struct Decision: Sendable, Equatable {
    public let requestID: String
    public let revision: Int
    public let orderNumber: String
    public let enterpriseUSCC: String
    /// Empty after `NO_VOUCHER`.
    public let enterpriseName: String
    public let enterpriseType: String
    public let cityCode: String
    public let shopID: String
    public let providerName: String
    public let voucherYear: Int
    public let submittedAt: Instant
    public let status: DecisionStatus
    public let findings: [Finding]
    public let invoiceTotal: Fen
    public let contractAmount: Fen
    public let requested: Fen
    /// `0.00` unless accepted.
    public let entitlement: Fen
    public let payable: Fen
    public let remainingAfter: Fen
    /// Amount cut by the balance (claim − payable) for accepted requests.
    public let cutByBalance: Fen
    /// The service categories of the order's items, distinct, sorted.
    public let categories: [String]
    /// The keys this request now holds (empty when rejected).
    public let claims: [ClaimKey]
    /// Whether reviewing this revision dropped the claims of the request's earlier revisions.
    public let dropsEarlierClaims: Bool
    /// For a rerun, what had already been paid for this item before (it is frozen).
    public let previouslyPaid: Fen
    /// What this review reserves on the voucher account now: the payable amount, or for a frozen
    /// item the part of it not yet paid.
    public let reservation: Fen

    /// For a frozen item whose new payable amount is lower: what finance must recover.
    public var overpayment: Fen {
        previouslyPaid > payable ? (previouslyPaid.subtracting(payable) ?? .zero) : .zero
    }

    /// The codes as outputs show them: sorted, joined by `;`.
    public var codes: String { findings.map(\.code.rawValue).joined(separator: ";") }

    public var account: AccountKey { AccountKey(uscc: enterpriseUSCC, year: voucherYear) }
}
