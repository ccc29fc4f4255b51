import ArgumentParser
import Foundation
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

    static func month(_ text: String) throws -> BatchMonth {
        guard let month = BatchMonth(text) else { throw ValidationError("--month must be YYYY-MM, not '\(text)'") }
        return month
    }

    /// Today's date in Asia/Shanghai (the only use of the wall clock: the default business date).
    static var today: CivilDate {
        let seconds = Int64(Date().timeIntervalSince1970)
        return Instant(seconds: seconds, nanoseconds: 0).shanghaiDate
    }
}
