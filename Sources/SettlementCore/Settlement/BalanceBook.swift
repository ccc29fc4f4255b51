/// A voucher account's key: one enterprise, one year.
public struct AccountKey: Hashable, Sendable, Comparable {
    public let uscc: String
    public let year: Int

    public init(uscc: String, year: Int) {
        self.uscc = uscc
        self.year = year
    }

    /// Keys are bytes (see `ByteString`).
    public static func == (lhs: AccountKey, rhs: AccountKey) -> Bool {
        lhs.year == rhs.year && lhs.uscc.sameBytes(as: rhs.uscc)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(year)
        hasher.combine(ByteString(uscc))
    }

    public static func < (lhs: AccountKey, rhs: AccountKey) -> Bool {
        lhs.year != rhs.year ? lhs.year < rhs.year : lhs.uscc.bytesPrecede(rhs.uscc)
    }
}

/// What is already committed on each voucher account — live reservations and payments — as the
/// review walks the batch in allocation order.
public struct BalanceBook: Sendable {
    private var committed: [AccountKey: Fen] = [:]

    public init() {}

    /// Sets what other runs have committed on an account (loaded from the ledger).
    public mutating func load(_ account: AccountKey, committed amount: Fen) {
        committed[account] = amount
    }

    public func committed(_ account: AccountKey) -> Fen { committed[account] ?? .zero }

    /// The remaining balance (剩余可用金额): effective quota − `used_before` − committed.
    /// The effective quota is the smaller of the roster quota and the policy quota of the region.
    /// The data can make it negative.
    public func remaining(_ voucher: VoucherAccount, policy: Policy) -> Fen {
        let effectiveQuota = min(voucher.quota, policy.quota(cityCode: voucher.cityCode))
        let key = AccountKey(uscc: voucher.uscc, year: voucher.year)
        let afterOpening = effectiveQuota.subtracting(voucher.usedBefore) ?? Fen(Int64.min / 2)
        return afterOpening.subtracting(committed(key)) ?? Fen(Int64.min / 2)
    }

    public mutating func reserve(_ amount: Fen, on account: AccountKey) {
        committed[account] = committed(account).adding(amount) ?? Fen(Int64.max / 2)
    }
}
