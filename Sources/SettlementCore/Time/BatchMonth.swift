/// A batch month (批次): the requests submitted in one calendar month, Asia/Shanghai time.
public struct BatchMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM`.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
            let year = Digits.value(bytes[0..<4]), let month = Digits.value(bytes[5..<7])
        else { return nil }
        self.init(year: year, month: month)
    }

    /// The month a date falls in.
    public init(containing date: CivilDate) {
        self.year = date.year
        self.month = date.month
    }

    public var description: String { Digits.padded(year, 4) + "-" + Digits.padded(month, 2) }

    public var firstDay: CivilDate {
        CivilDate(daysSinceEpoch: CivilDate.daysSinceEpochOfFirst(year: year, month: month))
    }

    public var lastDay: CivilDate { next.firstDay.adding(days: -1) }

    public var next: BatchMonth {
        month == 12
            ? BatchMonth(uncheckedYear: year + 1, month: 1) : BatchMonth(uncheckedYear: year, month: month + 1)
    }

    public var previous: BatchMonth {
        month == 1
            ? BatchMonth(uncheckedYear: year - 1, month: 12) : BatchMonth(uncheckedYear: year, month: month - 1)
    }

    public func contains(_ date: CivilDate) -> Bool { date.year == year && date.month == month }

    public static func < (lhs: BatchMonth, rhs: BatchMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }

    private init(uncheckedYear: Int, month: Int) {
        self.year = uncheckedYear
        self.month = month
    }
}

extension CivilDate {
    static func daysSinceEpochOfFirst(year: Int, month: Int) -> Int64 {
        // Every month has a first day, so this cannot fail for a valid BatchMonth.
        (CivilDate(year: year, month: month, day: 1) ?? CivilDate(daysSinceEpoch: 0)).daysSinceEpoch
    }
}
