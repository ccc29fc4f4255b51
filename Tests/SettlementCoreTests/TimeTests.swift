import SettlementCore
import Testing

@Suite("Dates, timestamps and batch months")
struct TimeTests {
    @Test("dates parse exactly")
    func dates() {
        #expect(CivilDate(iso: "2024-02-29") == CivilDate(year: 2024, month: 2, day: 29))
        #expect(CivilDate(iso: "2023-02-29") == nil)
        #expect(CivilDate(iso: "2024-8-05") == nil)
        #expect(CivilDate(iso: "") == nil)
        #expect(CivilDate(iso: "2024-13-01") == nil)
    }

    @Test("days since epoch round-trip and weekdays")
    func daysRoundTrip() throws {
        var generator = SplitMix64(seed: 5)
        for _ in 0..<5_000 {
            let days = Int64.random(in: -700_000...2_900_000, using: &generator)
            let date = CivilDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
        }
        #expect(try #require(CivilDate(iso: "2024-10-01")).isoWeekday == 2)
        #expect(try #require(CivilDate(iso: "1970-01-01")).isoWeekday == 4)
    }

    @Test("subtracting years keeps the day, Feb 29 becomes Feb 28")
    func addingYears() throws {
        let leap = try #require(CivilDate(iso: "2024-02-29"))
        #expect(leap.adding(years: -3) == CivilDate(iso: "2021-02-28"))
        #expect(leap.adding(years: -4) == CivilDate(iso: "2020-02-29"))
    }

    @Test("RFC 3339 timestamps and their Asia/Shanghai date")
    func timestamps() throws {
        let utc = try #require(Instant(rfc3339: "2024-07-31T16:00:00Z"))
        #expect(utc.shanghaiDate == CivilDate(iso: "2024-08-01"))
        let local = try #require(Instant(rfc3339: "2024-08-01T00:00:00+08:00"))
        #expect(local == utc)
        let lower = try #require(Instant(rfc3339: "2024-08-29t21:21:19.5z"))
        #expect(lower.nanoseconds == 500_000_000)
        let long = try #require(Instant(rfc3339: "2024-08-29T21:21:19.1234567891234+08:00"))
        #expect(long.nanoseconds == 123_456_789)
        let minus = try #require(Instant(rfc3339: "2024-07-31T23:59:59-01:00"))
        #expect(minus.shanghaiDate == CivilDate(iso: "2024-08-01"))
    }

    @Test(
        "malformed timestamps",
        arguments: [
            "2024-08-29 21:21:19+08:00", "2024-08-29T21:21:19", "2024-08-29T21:21:19+0800",
            "2024-08-29T24:00:00Z", "2024-08-29T23:59:60Z", "2024-08-29T21:21:19.Z", "2024-02-30T00:00:00Z",
            "2024-08-29T21:21Z", "",
        ])
    func malformedTimestamps(text: String) {
        #expect(Instant(rfc3339: text) == nil)
    }

    @Test("nanosecond ordering")
    func ordering() throws {
        let a = try #require(Instant(rfc3339: "2024-08-01T00:00:00.000000001+08:00"))
        let b = try #require(Instant(rfc3339: "2024-08-01T00:00:00.000000002+08:00"))
        #expect(a < b)
    }

    @Test("batch months")
    func months() throws {
        let month = try #require(BatchMonth("2024-12"))
        #expect(month.next.description == "2025-01")
        #expect(month.previous.description == "2024-11")
        #expect(month.lastDay == CivilDate(iso: "2024-12-31"))
        #expect(BatchMonth("2024-13") == nil)
        #expect(BatchMonth("2024-1") == nil)
    }
}
