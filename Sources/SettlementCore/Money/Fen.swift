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
        guard let value = DecimalText.scaled(text, integerDigits: 10, fractionDigits: 2) else { return nil }
        self.value = value
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
