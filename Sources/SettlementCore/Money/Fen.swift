/// An amount of renminbi as a whole number of fen (分, 0.01 yuan).
///
/// Money never passes through binary floating point: it is parsed from and printed as decimal
/// yuan text, and every sum is checked for overflow.
public struct Fen: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The amount in fen; may be negative for balances and differences.
    public let value: Int64

    public init(_ value: Int64) { self.value = value }

    public static let zero = Fen(0)

    public static func < (lhs: Fen, rhs: Fen) -> Bool { lhs.value < rhs.value }

    /// The yuan text with exactly two decimals, e.g. `3750.00` or `-0.05`.
    public var yuanText: String {
        let magnitude = value.magnitude
        let yuan = magnitude / 100
        let cents = magnitude % 100
        let sign = value < 0 ? "-" : ""
        return sign + String(yuan) + "." + (cents < 10 ? "0" : "") + String(cents)
    }

    public var description: String { yuanText }

    /// Parses yuan text of the form `^\d{1,10}(\.\d{1,2})?$` (ASCII digits only).
    /// Anything else — a sign, three decimals, an exponent, a separator, full-width digits,
    /// surrounding spaces or an empty string — gives `nil`.
    public init?(yuan text: some StringProtocol) {
        var integer: Int64 = 0
        var integerDigits = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenPoint = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int64(byte - UInt8(ascii: "0"))
                if seenPoint {
                    fractionDigits += 1
                    guard fractionDigits <= 2 else { return nil }
                    fraction = fraction * 10 + digit
                } else {
                    integerDigits += 1
                    guard integerDigits <= 10 else { return nil }
                    integer = integer * 10 + digit
                }
            case UInt8(ascii: "."):
                guard !seenPoint, integerDigits > 0 else { return nil }
                seenPoint = true
            default:
                return nil
            }
        }
        guard integerDigits > 0, !seenPoint || fractionDigits > 0 else { return nil }
        if fractionDigits == 1 { fraction *= 10 }
        self.value = integer * 100 + fraction
    }

    /// The sum, or `nil` when it does not fit.
    public func adding(_ other: Fen) -> Fen? {
        let (sum, overflow) = value.addingReportingOverflow(other.value)
        return overflow ? nil : Fen(sum)
    }

    /// The difference, or `nil` when it does not fit.
    public func subtracting(_ other: Fen) -> Fen? {
        let (difference, overflow) = value.subtractingReportingOverflow(other.value)
        return overflow ? nil : Fen(difference)
    }

    /// The sum of amounts, or `nil` when it does not fit.
    public static func sum(_ amounts: some Sequence<Fen>) -> Fen? {
        var total = Fen.zero
        for amount in amounts {
            guard let next = total.adding(amount) else { return nil }
            total = next
        }
        return total
    }
}
