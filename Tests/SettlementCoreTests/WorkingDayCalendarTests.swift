import SettlementCore
import Testing

@Suite("Working days and the publicity window")
struct WorkingDayCalendarTests {
    /// The 2024 National Day holiday: 10-01 to 10-07 off, Sunday 09-29 and Saturday 10-12 worked.
    func calendar() throws -> WorkingDayCalendar {
        var calendar = WorkingDayCalendar()
        try calendar.read(
            """
            year = 2024
            holidays = [2024-09-15, 2024-09-16, 2024-09-17, 2024-10-01, 2024-10-02, 2024-10-03, 2024-10-04,
                        2024-10-05, 2024-10-06, 2024-10-07]
            workdays = [2024-09-14, 2024-09-29, 2024-10-12]
            """)
        return calendar
    }

    func date(_ text: String) throws -> CivilDate { try #require(CivilDate(iso: text)) }

    @Test("a window opening on the holiday starts after it and counts the make-up Saturday")
    func acrossNationalDay() throws {
        let window = try calendar().publicityWindow(opening: try date("2024-10-01"), workingDays: 5)
        #expect(window.firstDay == (try date("2024-10-08")))
        #expect(window.lastDay == (try date("2024-10-12")))
        #expect(!window.hasClosed(asOf: try date("2024-10-12")))
        #expect(window.hasClosed(asOf: try date("2024-10-13")))
    }

    @Test("a window opening on a Saturday before the holiday starts on the make-up Sunday and jumps the holiday")
    func beforeNationalDay() throws {
        let window = try calendar().publicityWindow(opening: try date("2024-09-28"), workingDays: 5)
        #expect(window.firstDay == (try date("2024-09-29")))
        #expect(window.lastDay == (try date("2024-10-10")))
    }

    @Test("plain weeks: weekends are skipped")
    func plainWeek() throws {
        let window = try calendar().publicityWindow(opening: try date("2024-08-01"), workingDays: 5)
        #expect(window.firstDay == (try date("2024-08-01")))
        #expect(window.lastDay == (try date("2024-08-07")))
    }

    @Test("a date outside the calendar's years is an error, not a guess")
    func outsideCalendar() throws {
        let calendar = try calendar()
        #expect(throws: CalendarError.self) {
            try calendar.publicityWindow(opening: try date("2024-12-30"), workingDays: 5)
        }
        #expect(throws: CalendarError.self) { try calendar.isWorkingDay(try date("2023-06-01")) }
    }

    @Test("a calendar file listing a date of another year is refused")
    func wrongYear() {
        var calendar = WorkingDayCalendar()
        #expect(throws: PolicyError.self) { try calendar.read("year = 2024\nholidays = [2025-01-01]") }
    }
}
