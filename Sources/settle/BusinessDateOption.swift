import ArgumentParser
import Foundation
import Logging
import SettlementCore
import SettlementJobs

/// Parsing of `--as-of` and `--month`; the default business date is today in Asia/Shanghai.
enum DateArguments {
    static func businessDate(_ text: String?) throws -> CivilDate {
        guard let text else { return today }
        guard let date = CivilDate(iso: text) else {
            throw ValidationError("--as-of must be a date YYYY-MM-DD, not '\(text)'")
        }
        return date
    }

    /// The business date, with a warning in the log when it is after today.
    static func businessDate(_ text: String?, warning logger: Logger) throws -> CivilDate {
        let date = try businessDate(text)
        warnIfAhead(date, logger)
        return date
    }

    static func month(_ text: String) throws -> BatchMonth {
        guard let month = BatchMonth(text) else { throw ValidationError("--month must be YYYY-MM, not '\(text)'") }
        return month
    }

    /// A business date after today is allowed (a rehearsal, a test, a date the operator means) but
    /// said: the publicity window and every due date are counted from it, so a batch it finds
    /// "after publicity" may not really be (the clock decides nothing else).
    static func warnIfAhead(_ date: CivilDate, _ logger: Logger) {
        let now = today
        guard now < date else { return }
        logger.warning(
            "the business date \(date) is after today (\(now), Asia/Shanghai): publicity windows and due dates are counted from \(date), not from today (业务日期晚于今天)"
        )
    }

    /// Today's date in Asia/Shanghai (the wall clock's uses: the default business date, and the
    /// warning above).
    static var today: CivilDate {
        let seconds = Int64(Date().timeIntervalSince1970)
        return Instant(seconds: seconds, nanoseconds: 0).shanghaiDate
    }
}
