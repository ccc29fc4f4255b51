/// The working-day calendar (工作日): weekdays are working days except statutory holidays, and
/// some weekend days are make-up working days (调休上班). Kept as data per year.
public struct WorkingDayCalendar: Sendable, Equatable {
    /// The years the calendar knows; any other date is an error, never a guess.
    public private(set) var years: Set<Int> = []
    public private(set) var holidays: Set<CivilDate> = []
    public private(set) var makeUpWorkdays: Set<CivilDate> = []

    public init() {}

    /// Adds one year's data.
    public mutating func add(year: Int, holidays: [CivilDate], makeUpWorkdays: [CivilDate]) throws(CalendarError) {
        for date in holidays + makeUpWorkdays where date.year != year {
            throw CalendarError(message: "calendar \(year) lists \(date), which is not in \(year)")
        }
        years.insert(year)
        self.holidays.formUnion(holidays)
        self.makeUpWorkdays.formUnion(makeUpWorkdays)
    }

    public func isWorkingDay(_ date: CivilDate) throws(CalendarError) -> Bool {
        guard years.contains(date.year) else {
            throw CalendarError(message: "the working-day calendar has no data for \(date.year) (asked about \(date))")
        }
        if holidays.contains(date) { return false }
        if makeUpWorkdays.contains(date) { return true }
        return date.isoWeekday <= 5
    }

    /// The first working day on or after `date`.
    public func firstWorkingDay(onOrAfter date: CivilDate) throws(CalendarError) -> CivilDate {
        var day = date
        while try !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The publicity window (公示期) that opens on the first working day on or after `opening` and
    /// lasts `workingDays` working days.
    public func publicityWindow(opening: CivilDate, workingDays: Int) throws(CalendarError) -> PublicityWindow {
        let first = try firstWorkingDay(onOrAfter: opening)
        var last = first
        var counted = 1
        while counted < workingDays {
            last = last.adding(days: 1)
            if try isWorkingDay(last) { counted += 1 }
        }
        return PublicityWindow(firstDay: first, lastDay: last)
    }

    /// Reads one year's calendar file (TOML: `year`, `holidays`, `workdays`).
    public mutating func read(_ text: String) throws(PolicyError) {
        let file = try WorkingDayCalendar.parse(text)
        do {
            try add(year: file.year, holidays: file.holidays, makeUpWorkdays: file.workdays)
        } catch {
            throw PolicyError(key: "", problem: error.message)
        }
    }

    /// One year's calendar file as written, lists in file order (duplicates kept, for `CalendarCheck`).
    public static func parse(_ text: String) throws(PolicyError) -> (
        year: Int, holidays: [CivilDate], workdays: [CivilDate]
    ) {
        let table = try PolicyReader.table(text)
        var keys = KeyReader(table: table, prefix: "")
        guard let year = try keys.integer("year", in: 1...9999) else {
            throw PolicyError(key: "year", problem: "missing")
        }
        let holidays = try keys.dates("holidays") ?? []
        let workdays = try keys.dates("workdays") ?? []
        try keys.finish()
        return (year, holidays, workdays)
    }
}

/// The days a publicity list is open for objections, both ends included.
public struct PublicityWindow: Sendable, Equatable {
    public let firstDay: CivilDate
    public let lastDay: CivilDate

    /// A batch may be disbursed once the business date is after the last day.
    public func hasClosed(asOf date: CivilDate) -> Bool { date > lastDay }
}

public struct CalendarError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
