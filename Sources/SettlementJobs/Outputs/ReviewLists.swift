import SettlementCore
import SettlementStore

/// The review's sorted list — 公示名单 (`publicity.csv`, `publicity.html`) — written from the
/// reader's `ReviewListing`, and checked against what the review's session stored: its count and
/// total against the accepted decisions'. A difference fails the review.
struct ReviewLists {
    let listing: ReviewListing
    let month: BatchMonth
    let window: PublicityWindow
    let policies: PolicyBook
    let contact: String
    let output: OutputDirectory

    /// Writes the list. Its rows go to `publicityRows` as they are written (the workbook's 公示),
    /// which is finished once they are checked, or fails with the difference. `totals`: the stored
    /// decisions' (`ReviewFigures.totals`), asked for once the list is written — the list may be
    /// sorted and written while the review's session still aggregates them.
    func write(totals: () throws -> ReviewFigures, publicityRows: PageChannel<[[String]]>) throws {
        do {
            let listed = try PublicityList(
                listing: listing, month: month, window: window,
                workingDays: policies.policy(for: month.year).publicityWorkingDays, contact: contact
            ).write(into: output, pages: publicityRows.send)
            let totals = try totals()
            let accepted = (count: totals.statusCounts[.accepted] ?? 0, total: totals.payable)
            guard listed == accepted else {
                throw SettleError(
                    .unexpected,
                    "the publicity list shows \(listed.count) requests, \(listed.total.yuanText) yuan; "
                        + "the stored decisions \(accepted.count), \(accepted.total.yuanText) yuan")
            }
        } catch {
            publicityRows.fail(error)
            throw error
        }
        publicityRows.finish()
    }
}
