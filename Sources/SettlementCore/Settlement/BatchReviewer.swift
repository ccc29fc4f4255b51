/// Reviews the requests of a batch one at a time in allocation order, keeping the claims and the
/// balances that earlier requests (of this batch and of others) have taken.
public struct BatchReviewer: Sendable {
    public var claims: ClaimRegistry
    public var balances: BalanceBook
    /// The policy per voucher year; a year without one uses the defaults.
    public let policies: [Int: Policy]
    /// When set, only these keys can conflict (the others appear once in the batch and are claimed by
    /// nobody else), so the registry need not hold them.
    public var trackedKeys: Set<ClaimKey>?
    /// For a rerun: the money already moved for a request of this batch (the item is frozen). What
    /// reached the enterprise does not count against its own balance, and only the difference is
    /// reserved (`PaidItemAdjustment`).
    public var paymentHistory: [ByteString: PaymentHistory] = [:]

    public init(claims: ClaimRegistry = ClaimRegistry(), balances: BalanceBook = BalanceBook(), policies: [Int: Policy])
    {
        self.claims = claims
        self.balances = balances
        self.policies = policies
    }

    public func policy(for year: Int) -> Policy { policies[year] ?? Policy(year: year) }

    /// Reviews one request; call in allocation order.
    public mutating func review(_ input: ReviewInput) -> Decision {
        let request = input.request
        let policy = policy(for: request.voucherYear)
        let context = RuleContext(input: input, policy: policy)
        var findings = FindingList()
        let invoiceTotal = Fen.sum(request.invoices.map(\.amount)) ?? Fen(Int64.max)
        let receiptTotal = Fen.sum(request.bankReceipts.map(\.amount)) ?? Fen(Int64.max)

        EligibilityRules.check(context, into: &findings)
        ProviderRules.check(context, into: &findings)
        ContractRules.check(context, invoiceTotal: invoiceTotal, into: &findings)
        InvoiceRules.check(context, invoiceTotal: invoiceTotal, receiptTotal: receiptTotal, into: &findings)
        DocumentRules.check(context, into: &findings)

        // Claims: a new revision first drops its earlier revisions' claims, unless one of them was decided.
        let dropsEarlierClaims =
            !input.history.isEmpty && input.history.allSatisfy { $0.status == .needsCorrection }
        if dropsEarlierClaims { claims.drop(owner: request.requestID) }
        let keys = ClaimKey.keys(of: request)
        for (key, owner) in claims.conflicts(keys, for: request.requestID) {
            findings.add(key.kind.conflictCode, "\(key.readable) 已被申请 \(owner) 使用")
        }

        // Settlement, only for a request nothing else holds back.
        var computation: PayableComputation?
        if !findings.blocksPayment, let account = input.account.row, request.contracts.count == 1,
            let contract = request.contracts.first
        {
            let ownPayment = paymentHistory[ByteString(request.requestID)]?.net ?? .zero
            let remaining = balances.remaining(account, policy: policy).adding(ownPayment) ?? .zero
            let result = PayableComputation.compute(
                request: request, contract: contract, invoiceTotal: invoiceTotal, account: account,
                remaining: remaining, policy: policy)
            for finding in result.findings { findings.add(finding.code, finding.detail) }
            computation = result
        }

        let sorted = findings.findings
        let status = DecisionStatus(findings: sorted)
        if status != .rejected {
            claims.claim(
                trackedKeys.map { tracked in keys.filter { tracked.contains($0) } } ?? keys, owner: request.requestID)
        }
        let accepted = status == .accepted ? computation : nil
        let history = paymentHistory[ByteString(request.requestID)] ?? .none
        let adjustment = PaidItemAdjustment(payable: accepted?.payable ?? .zero, history: history)
        let reservation = adjustment.owed
        if reservation > .zero, let account = input.account.row {
            balances.reserve(reservation, on: AccountKey(uscc: account.uscc, year: account.year))
        }
        let account = input.account.row
        return Decision(
            requestID: request.requestID, revision: request.revision, orderNumber: request.orderNumber,
            enterpriseUSCC: request.enterpriseUSCC, enterpriseName: account?.enterpriseName ?? "",
            enterpriseType: account?.enterpriseType ?? "", cityCode: account?.cityCode ?? "", shopID: request.shopID,
            providerName: input.provider.row?.name ?? "", voucherYear: request.voucherYear,
            submittedAt: request.submittedAt, status: status, findings: sorted, invoiceTotal: invoiceTotal,
            contractAmount: request.contracts.count == 1 ? request.contracts[0].amount : .zero,
            requested: request.requestedVoucherAmount, entitlement: accepted?.entitlement ?? .zero,
            payable: accepted?.payable ?? .zero, remainingAfter: accepted?.remainingAfter ?? .zero,
            cutByBalance: accepted.map { $0.claim.subtracting($0.payable) ?? .zero } ?? .zero,
            categories: FewSeen.distinctSorted(request.order.items.map { ByteString($0.category) }).map(\.text),
            claims: status == .rejected ? [] : keys, dropsEarlierClaims: dropsEarlierClaims, history: history,
            adjustment: adjustment)
    }
}

/// The order in which a batch is reviewed: `submitted_at` to the nanosecond, then `request_id` by
/// its UTF-8 bytes.
public enum AllocationOrder {
    public static func precedes(_ a: RedemptionRequest, _ b: RedemptionRequest) -> Bool {
        precedes((a.submittedAt, a.requestID), (b.submittedAt, b.requestID))
    }

    public static func precedes(_ a: (Instant, String), _ b: (Instant, String)) -> Bool {
        if a.0 != b.0 { return a.0 < b.0 }
        return a.1.utf8.lexicographicallyPrecedes(b.1.utf8)
    }
}
