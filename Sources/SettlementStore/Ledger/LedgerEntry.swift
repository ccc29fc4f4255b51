import SettlementCore

/// An entry of the append-only ledger (`ledger_entries`). Its effects on an account's counters are
/// applied by the database (`ledger_apply`, docs/rules/after-payment.md).
public enum LedgerEntry {
    /// What an entry does. The raw values are the schema's CHECK list (a test keeps them equal).
    public enum Kind: String, CaseIterable, Sendable {
        /// 预留: +reserved (a review found the amount owed).
        case reservation
        /// 释放: −reserved; corrects a reservation or a return (withdrawn, or dropped by a rerun).
        case release
        /// 支付: −reserved +paid; corrects a reservation (disbursed).
        case payment
        /// 退回: +reserved −paid; corrects a payment (the bank sent it back) — owed again.
        case `return`
        /// 重新支付: −reserved +paid; corrects a return, or the reservation a rerun made of it.
        case repayment
        /// 补付: −reserved +paid; the difference a rerun found owed on a paid item.
        case supplement
        /// 多付待追回: no balance effect; money reached the enterprise that is no longer owed.
        case overpayment
        /// 退回更正: −reserved +paid; corrects a return that was wrong (the money did arrive).
        case reinstatement

        /// Kinds that sent money to the enterprise (`PaymentHistory.sent`); `return` takes it back.
        public static let sent: [Kind] = [.payment, .repayment, .supplement, .reinstatement]
        /// Kinds that make money owed while no entry corrects them.
        public static let owing: [Kind] = [.reservation, .return]

        /// The kind of the entry that pays an owed item.
        public init(_ kind: OwedPaymentKind) {
            switch kind {
            case .payment: self = .payment
            case .repayment: self = .repayment
            case .supplement: self = .supplement
            }
        }

        /// A `text[]` parameter for `kind = ANY($n)`.
        static func array(_ kinds: [Kind]) -> String { PostgresArray.text(kinds.map(\.rawValue)) }
    }

    /// An entry that makes or releases what is owed, as recorded (id, kind, amount).
    public struct Live: Sendable, Equatable {
        public let id: Int64
        public let kind: Kind
        public let amount: Fen
    }
}
