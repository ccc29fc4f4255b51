/// Checks a hand-typed working-day calendar (`settle calendar check`), so that a wrong file cannot
/// silently shift a publicity window:
/// - every listed date lies in the file's year, and none is listed twice;
/// - a make-up working day (调休上班) falls on a weekend, and is not also a holiday;
/// - the fixed-date statutory holidays are there: 元旦 01-01, 劳动节 05-01, 国庆 10-01 to 10-03
///   (《全国年节及纪念日放假办法》; the lunar holidays move and are not checked).
/// Every date of the year is then classified (working day or day off) and counted.
public enum CalendarCheck {
    public struct Report: Sendable, Equatable {
        public let year: Int
        public var workingDays = 0
        public var daysOff = 0
        public var problems: [String] = []

        public var isValid: Bool { problems.isEmpty }
    }

    public static func check(year: Int, holidays: [CivilDate], workdays: [CivilDate]) -> Report {
        var report = Report(year: year)
        for (name, list) in [("holidays", holidays), ("workdays", workdays)] {
            var seen: Set<CivilDate> = []
            for date in list {
                if date.year != year { report.problems.append("\(name): \(date) is not in \(year)") }
                if !seen.insert(date).inserted { report.problems.append("\(name): \(date) is listed twice") }
            }
        }
        let holidaySet = Set(holidays)
        for date in workdays {
            if date.isoWeekday <= 5 {
                report.problems.append("workdays: \(date) is a weekday; a make-up working day falls on a weekend")
            }
            if holidaySet.contains(date) { report.problems.append("\(date) is both a holiday and a working day") }
        }
        for (month, day, name) in [(1, 1, "元旦"), (5, 1, "劳动节"), (10, 1, "国庆节"), (10, 2, "国庆节"), (10, 3, "国庆节")] {
            if let date = CivilDate(year: year, month: month, day: day), !holidaySet.contains(date) {
                report.problems.append("holidays: \(date) (\(name)) is a statutory holiday and is missing")
            }
        }
        var calendar = WorkingDayCalendar()
        guard
            (try? calendar.add(
                year: year, holidays: holidays.filter { $0.year == year },
                makeUpWorkdays: workdays.filter { $0.year == year })) != nil,
            var date = CivilDate(year: year, month: 1, day: 1)
        else { return report }
        while date.year == year {
            if (try? calendar.isWorkingDay(date)) == true { report.workingDays += 1 } else { report.daysOff += 1 }
            date = date.adding(days: 1)
        }
        return report
    }
}
