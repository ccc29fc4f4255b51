/// The payable amount of a request that passed every rule (`settlement.md`), all in integer fen.
public struct PayableComputation: Sendable, Equatable {
    /// min(contract amount, invoice total).
    public let base: Fen
    public let ratio: Ratio
    /// round(base × ratio), then the cap per order.
    public let entitlement: Fen
    /// min(requested, entitlement).
    public let claim: Fen
    /// The balance before this request.
    public let remaining: Fen
    /// What is reserved and later paid; zero when the request is refused.
    public let payable: Fen
    public let findings: [Finding]

    public var remainingAfter: Fen { remaining.subtracting(payable) ?? remaining }

    public static func compute(
        request: RedemptionRequest, contract: Contract, invoiceTotal: Fen, account: VoucherAccount,
        remaining: Fen, policy: Policy
    ) -> PayableComputation {
        var findings: [Finding] = []
        let base = min(contract.amount, invoiceTotal)
        let ratio = policy.ratio(
            cityCode: account.cityCode, enterpriseType: account.enterpriseType,
            itemCategories: request.order.items.map(\.category))
        var entitlement = policy.rounding.apply(ratio, to: base) ?? base
        if let cap = policy.capPerOrder, entitlement > cap { entitlement = cap }
        let requested = request.requestedVoucherAmount
        let claim = min(requested, entitlement)
        if requested > entitlement {
            findings.append(
                Finding(
                    .requestCapped,
                    "申请 \(requested.yuanText) 超过可兑付 \(entitlement.yuanText)（\(base.yuanText) × \(ratio)），按 \(entitlement.yuanText) 计"
                ))
        }
        var payable = claim
        if remaining <= .zero {
            findings.append(Finding(.balanceExhausted, "创新券余额 \(remaining.yuanText) 已用尽"))
            payable = .zero
        } else if remaining < claim {
            switch policy.shortfall {
            case .partial:
                findings.append(
                    Finding(.balanceShort, "余额 \(remaining.yuanText) 不足 \(claim.yuanText)，兑付余额 \(remaining.yuanText)"))
                payable = remaining
            case .reject:
                findings.append(Finding(.balanceExhausted, "余额 \(remaining.yuanText) 不足 \(claim.yuanText)，按政策不予兑付"))
                payable = .zero
            }
        }
        return PayableComputation(
            base: base, ratio: ratio, entitlement: entitlement, claim: claim, remaining: remaining, payable: payable,
            findings: findings)
    }
}
