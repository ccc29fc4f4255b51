/// The money that has moved for one item of a batch: what was sent to the enterprise and what the
/// bank sent back. What a rerun, a late bank return or a disbursement owes is computed from the
/// money that actually reached the enterprise (`net`), never from what was sent.
public struct PaymentHistory: Sendable, Equatable {
    /// Payments, repayments, supplements and reinstatements (a return the bank took back).
    public var sent: Fen
    /// Returns (退回) recorded from the bank's answers.
    public var returned: Fen

    public init(sent: Fen = .zero, returned: Fen = .zero) {
        self.sent = sent
        self.returned = returned
    }

    public static let none = PaymentHistory()

    /// What reached the enterprise: sent less returned (never below zero: a return corrects a sending).
    public var net: Fen { max(sent.subtracting(returned) ?? .zero, .zero) }

    /// Whether money was sent at some point.
    public var everSent: Bool { sent > .zero }
}

/// How an amount still owed on an item is paid: the ledger kind of its payment line.
public enum OwedPaymentKind: String, Sendable, Equatable {
    /// Nothing was ever sent for the item: its first payment.
    case payment
    /// Everything sent came back: paying again (to a corrected account).
    case repayment
    /// Part of what is owed has reached the enterprise: the difference (补差).
    case supplement

    public init(history: PaymentHistory) {
        if !history.everSent {
            self = .payment
        } else if history.net == .zero {
            self = .repayment
        } else {
            self = .supplement
        }
    }
}

/// What settles an item once its payable amount is known again (after a rerun, or after the bank
/// returned money for it): the rules table of `docs/rules/after-payment.md`.
///
/// | payable vs. net reached | outcome |
/// | --- | --- |
/// | payable > net | owe `payable − net`: paid as a payment (nothing sent), repayment (all came back) or supplement |
/// | payable = net | nothing |
/// | payable < net | overpayment `net − payable`, for finance to recover (never a negative payment) |
public enum PaidItemAdjustment: Sendable, Equatable {
    case nothing
    case owe(Fen, OwedPaymentKind)
    case overpayment(Fen)

    public init(payable: Fen, history: PaymentHistory) {
        let net = history.net
        if payable > net {
            self = .owe(payable.subtracting(net) ?? .zero, OwedPaymentKind(history: history))
        } else if payable < net {
            self = .overpayment(net.subtracting(payable) ?? .zero)
        } else {
            self = .nothing
        }
    }

    /// The amount to reserve now.
    public var owed: Fen {
        if case .owe(let amount, _) = self { return amount }
        return .zero
    }

    /// The amount finance must recover.
    public var overpaid: Fen {
        if case .overpayment(let amount) = self { return amount }
        return .zero
    }
}
