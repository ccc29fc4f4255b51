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
    /// For a rerun, the money that had already moved for this item (it is frozen).
    public let history: PaymentHistory
    /// What the payable amount comes to against that history.
    public let adjustment: PaidItemAdjustment

    /// What reached the enterprise before this review.
    public var previouslyPaid: Fen { history.net }
    /// What this review reserves on the voucher account now: the payable amount, or for a frozen
    /// item the part of it that has not reached the enterprise.
    public var reservation: Fen { adjustment.owed }
    /// For a frozen item whose new payable amount is lower than what reached the enterprise: what
    /// finance must recover.
    public var overpayment: Fen { adjustment.overpaid }

    /// The codes as outputs show them: sorted, joined by `;`.
    public var codes: String { findings.map(\.code.rawValue).joined(separator: ";") }

    public var account: AccountKey { AccountKey(uscc: enterpriseUSCC, year: voucherYear) }
}
