import ArgumentParser
import Foundation
import SettlementCore
import SettlementJobs

/// `settle calendar check [--year Y]`: validates the working-day calendar files.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "The working-day calendars (工作日历).",
        subcommands: [CalendarCheckCommand.self])
}

struct CalendarCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a working-day calendar file (every date classified, make-up days on weekends, …).",
        discussion: """
            Reads <calendar_dir>/<year>.toml (every year present without --year) and checks that every \
            listed date is in its year and listed once, that make-up working days (调休上班) fall on \
            weekends and are not also holidays, and that the fixed statutory holidays (01-01, 05-01, \
            10-01 to 10-03) are there. Prints the count of working days and days off. Exit 0 when \
            valid, 2 otherwise.
            """)

    @Option(help: "The year to check (default: every calendar file).")
    var year: Int?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Exit.guarding {
            global.bootstrapLogging()
            let configuration = try global.loadConfiguration()
            let directory = configuration.calendarDirectory
            var files = try PolicyBook.yearlyFiles(in: directory)
            if let year {
                files = files.filter { $0.0 == year }
                guard !files.isEmpty else {
                    throw SettleError.usage(
                        "there is no calendar file for \(year): \(directory)/\(year).toml is missing; write it from "
                            + "the State Council's holiday notice (docs/operations/yearly-upkeep.md)")
                }
            }
            var invalid = 0
            for (fileYear, path) in files {
                let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                let parsed: (year: Int, holidays: [CivilDate], workdays: [CivilDate])
                do {
                    parsed = try WorkingDayCalendar.parse(text)
                } catch {
                    print("\(path): cannot be read: \(error)")
                    invalid += 1
                    continue
                }
                var report = CalendarCheck.check(
                    year: parsed.year, holidays: parsed.holidays, workdays: parsed.workdays)
                if parsed.year != fileYear {
                    report.problems.append("the file is named \(fileYear) but says year = \(parsed.year)")
                }
                print(
                    "\(path): \(report.isValid ? "valid" : "INVALID") — \(report.workingDays) working days, "
                        + "\(report.daysOff) days off")
                for problem in report.problems { print("  " + problem) }
                if !report.isValid { invalid += 1 }
            }
            if invalid > 0 { throw SettleError.usage("\(invalid) calendar file(s) are invalid") }
        }
    }
}
