import Foundation
import SettlementCore
import SettlementStore

/// Prepared payment batches that nobody has released or rejected for `[release] remind_after_days`.
public enum ReleaseReminder {
    public static func warnings(_ connection: Connection, asOf date: CivilDate, configuration: SettleConfiguration)
        throws -> [String]
    {
        try ReleaseStore(connection: connection).prepared(
            onOrBefore: date.adding(days: -configuration.releaseReminderDays)
        ).map { batch in
            "\(batch.month) payment-\(BatchPaymentFile.pad(batch.paymentNumber, 2)) (\(batch.payments) payments, "
                + "\(batch.total.yuanText)), prepared by \(batch.preparedBy) on \(batch.preparedOn), still waits for a "
                + "second person: `settle approve --month \(batch.month) --payment \(batch.paymentNumber) --by NAME` "
                + "or `settle reject …`"
        }
    }
}

/// The yearly data that must be added by hand (`docs/operations/yearly-upkeep.md`): the working-day
/// calendar from the State Council's holiday notice, the policy from the programme's notice. A year
/// that the next 90 days need and that is missing is warned about by `status`, every `cycle` and the
/// review report — weeks before a review would refuse for it. Never guessed.
public enum YearlyUpkeep {
    public static let horizonDays = 90

    /// The warnings as of `date`.
    public static func warnings(_ policies: PolicyBook, asOf date: CivilDate, configuration: SettleConfiguration)
        -> [String]
    {
        let last = date.adding(days: horizonDays)
        var warnings: [String] = []
        for year in date.year...last.year {
            if !policies.calendar.years.contains(year) {
                let first = CivilDate(year: year, month: 1, day: 1).map { " (from \($0))" } ?? ""
                warnings.append(
                    "the working-day calendar for \(year) is missing\(first): add \(configuration.calendarDirectory)/"
                        + "\(year).toml from the State Council's notice (国务院办公厅关于\(year)年部分节假日安排的通知), "
                        + "then check it with `settle calendar check --year \(year)`; until then a review whose "
                        + "publicity window reaches \(year) refuses (exit 2)")
            }
            if policies.policies[year] == nil {
                warnings.append(
                    "no policy file for voucher year \(year): add \(configuration.policyDirectory)/\(year).toml from "
                        + "the programme's notice for \(year); until then requests of \(year) are settled under the "
                        + "spec's defaults")
            }
        }
        return warnings
    }
}
