import SettlementCore
import SettlementStore

/// Refuses to work on voucher accounts whose counters no longer agree with their ledger entries:
/// someone with more rights than `settle` edited them, and the overspending guard trusts them.
enum LedgerGuard {
    static func verify(_ connection: Connection, _ scope: LedgerCounters.Scope) throws {
        let edited = try LedgerCounters.discrepancies(connection, in: scope).filter { !$0.countersAgree }
        guard edited.isEmpty else {
            let shown = edited.prefix(5).map(\.description).joined(separator: "; ")
            throw SettleError(
                .unexpected,
                "the ledger's counters were changed outside settle on \(edited.count) voucher account(s): \(shown)"
                    + (edited.count > 5 ? "; …" : "") + ". Nothing was done; run `settle check` and restore them")
        }
    }
}
