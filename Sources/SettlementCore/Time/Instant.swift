/// A point in time to the nanosecond, as read from an RFC 3339 timestamp.
public struct Instant: Hashable, Comparable, Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let seconds: Int64
    /// Nanoseconds within the second, 0 ..< 1,000,000,000.
    public let nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// The offset of Asia/Shanghai from UTC. China has kept UTC+8 without daylight saving
    /// since 1991; the programme's dates are all later.
    public static let shanghaiOffsetSeconds: Int64 = 8 * 3_600

    /// The calendar date of this instant in Asia/Shanghai.
    public var shanghaiDate: CivilDate {
        let local = seconds + Instant.shanghaiOffsetSeconds
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return CivilDate(daysSinceEpoch: days)
    }

    /// Parses an RFC 3339 timestamp: `T`/`t` between date and time, fractional seconds of any
    /// length (kept to the nanosecond), and `Z`/`z` or `±hh:mm`. A space separator, a missing
    /// offset, `+0800`, hour 24 or second 60 give `nil`.
    public init?(rfc3339 text: some StringProtocol) {
        let b = Array(text.utf8)
        guard b.count >= 20, let date = CivilDate(iso: String(decoding: b[0..<10], as: UTF8.self)),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let hour = Digits.value(b[11..<13]), let minute = Digits.value(b[14..<16]),
            let second = Digits.value(b[17..<19]),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var nanos: Int64 = 0
        if b[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < b.count, b[index] >= UInt8(ascii: "0"), b[index] <= UInt8(ascii: "9") {
                if digits < 9 { nanos = nanos * 10 + Int64(b[index] - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 9) { nanos *= 10 }
        }
        guard index < b.count else { return nil }
        var offset: Int64 = 0
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == b.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == b.count, b[index + 3] == UInt8(ascii: ":"),
                let offsetHour = Digits.value(b[(index + 1)..<(index + 3)]),
                let offsetMinute = Digits.value(b[(index + 4)..<(index + 6)]),
                offsetHour < 24, offsetMinute < 60
            else { return nil }
            offset = Int64(offsetHour * 3_600 + offsetMinute * 60)
            if b[index] == UInt8(ascii: "-") { offset = -offset }
        default:
            return nil
        }
        let local = date.daysSinceEpoch * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
        self.init(seconds: local - offset, nanoseconds: Int32(nanos))
    }
}
