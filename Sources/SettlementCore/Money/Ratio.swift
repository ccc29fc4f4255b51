/// A subsidy ratio held exactly, in ten-thousandths (万分之一): `0.35` is 3500.
public struct Ratio: Hashable, Sendable, CustomStringConvertible {
    /// The ratio times 10,000.
    public let tenThousandths: Int64

    public static let one = Ratio(tenThousandths: 10_000)

    public init(tenThousandths: Int64) { self.tenThousandths = tenThousandths }

    /// Parses a decimal such as `0.35`, `1`, or `0.0125`: at most four decimals, between 0 and 1.
    /// More decimals, a sign, an exponent or a value above 1 give `nil`.
    public init?(decimal text: some StringProtocol) {
        guard let value = DecimalText.scaled(text, integerDigits: 2, fractionDigits: 4), value <= 10_000 else {
            return nil
        }
        self.tenThousandths = value
    }

    /// The decimal text without trailing zeros, e.g. `0.35`.
    public var description: String {
        let integer = tenThousandths / 10_000
        var fraction = tenThousandths % 10_000
        guard fraction != 0 else { return String(integer) }
        var digits = 4
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        var text = String(fraction)
        while text.count < digits { text = "0" + text }
        return String(integer) + "." + text
    }
}

/// How a subsidy is rounded to the fen.
public enum RoundingMode: String, Sendable, CaseIterable {
    /// Half a fen and more rounds up (四舍五入).
    case halfUp = "half_up"
    /// Any fraction of a fen is dropped.
    case down

    /// `amount × ratio`, rounded to the fen; `nil` if the product overflows.
    public func apply(_ ratio: Ratio, to amount: Fen) -> Fen? {
        let (product, overflow) = amount.value.multipliedReportingOverflow(by: ratio.tenThousandths)
        guard !overflow, amount.value >= 0 else { return nil }
        switch self {
        case .halfUp:
            let (biased, overflowAgain) = product.addingReportingOverflow(5_000)
            return overflowAgain ? nil : Fen(biased / 10_000)
        case .down:
            return Fen(product / 10_000)
        }
    }
}
