import SettlementCore
import SettlementStore

/// Records a page of decisions: the decisions with their findings, the live claims (whose primary
/// key refuses a second holder), and spools the ledger's reservations and overpayments (appended
/// to the ledger in one statement when the batch is decided).
struct DecisionWriter {
    let connection: Connection
    let runID: Int64
    let month: BatchMonth
    let accountIDs: [AccountKey: Int64]
    /// The ledger's entries of the pages written, appended once the batch is decided.
    let ledgerSpool: LedgerSpool
    /// Keys held already or used by more than one request of the batch (`ReviewPreparation`).
    let contestedKeys: Set<ClaimKey>

    /// A page encoded ahead (`prepare`): its decisions and findings, its claims and its ledger
    /// entries.
    struct Prepared: Sendable {
        let decisions: [EncodedCopy]
        let claims: ClaimStore.Prepared
        let entries: [Ledger.NewEntry]
    }

    /// Encodes a page for `write(_:)`: on any thread, without the connection (the review encodes
    /// page *i* while page *i − 1* is being stored).
    func prepare(_ page: [(seq: Int, line: Int, decision: Decision)]) throws -> Prepared {
        // Read from the page in place: each copy of a decision retains its dozen strings and arrays.
        var claims: [ClaimStore.Claim] = []
        for index in page.indices {
            guard !page[index].decision.claims.isEmpty || page[index].decision.dropsEarlierClaims else { continue }
            claims.append(
                ClaimStore.Claim(
                    requestID: page[index].decision.requestID, revision: page[index].decision.revision,
                    keys: page[index].decision.claims, dropsEarlier: page[index].decision.dropsEarlierClaims))
        }
        return Prepared(
            decisions: try DecisionStore.encode(runID: runID, page),
            claims: try ClaimStore.prepare(claims, contested: contestedKeys, month: month, runID: runID),
            entries: try ledgerEntries(page))
    }

    /// Records a page encoded by `prepare`.
    func write(_ prepared: Prepared) throws {
        try DecisionStore(connection: connection).write(prepared.decisions)
        try ClaimStore(connection: connection).take(prepared.claims)
        // Appended once the batch is decided (`Ledger.append(_: LedgerSpool)`): the checks run once.
        try Ledger.spool(prepared.entries, into: ledgerSpool)
    }

    /// A reservation of what each decision leaves owed, and an overpayment where more reached the
    /// enterprise than is now payable.
    func ledgerEntries(_ page: [(seq: Int, line: Int, decision: Decision)]) throws -> [Ledger.NewEntry] {
        var entries: [Ledger.NewEntry] = []
        for index in page.indices
        where page[index].decision.reservation > .zero || page[index].decision.overpayment > .zero {
            let d = page[index].decision
            guard let account = accountIDs[d.account] else {
                throw SettleError(.unexpected, "no voucher account for \(d.account.uscc)/\(d.account.year)")
            }
            if case .owe(let amount, let kind) = d.adjustment, amount > .zero {
                let note =
                    kind == .payment && d.history == .none
                    ? nil
                    : "\(kind.rawValue): payable \(d.payable.yuanText), reached before \(d.previouslyPaid.yuanText)"
                entries.append(
                    Ledger.NewEntry(
                        runID: runID, accountID: account, month: month, requestID: d.requestID, revision: d.revision,
                        kind: .reservation, amount: d.reservation, note: note))
            }
            if d.overpayment > .zero {
                entries.append(
                    Ledger.NewEntry(
                        runID: runID, accountID: account, month: month, requestID: d.requestID, revision: d.revision,
                        kind: .overpayment, amount: d.overpayment,
                        note:
                            "reached \(d.previouslyPaid.yuanText), now payable \(d.payable.yuanText): recover the difference"
                    ))
            }
        }
        return entries
    }
}
