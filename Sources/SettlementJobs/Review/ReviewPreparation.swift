import SettlementCore
import SettlementStore

/// Loads, in bulk, what the review of one batch needs: the triage of its lines, the roster and
/// providers as of the batch, the voucher accounts with their limits and committed amounts, and
/// the claim keys that can conflict.
///
/// Two sessions share the work: the review's own (`connection`, inside the review's transaction,
/// where everything is written) and a reader of the same snapshot (`reader`, a `SnapshotReader`'s
/// session) that reads what was committed before the review began — the bundle's lines, the
/// roster, earlier months' reviews — and later walks the batch in allocation order. Each keeps
/// its own working tables (`ReviewWorkspace`); what one needs of the other's passes through here.
struct ReviewPreparation {
    let connection: Connection
    let reader: Connection
    let bundleID: Int64
    let month: BatchMonth
    let runID: Int64
    let policies: PolicyBook

    /// The working tables of the review's session: every triaged line, the contested claims.
    var workspace: ReviewWorkspace { ReviewWorkspace(connection: connection, bundleID: bundleID, month: month) }
    /// The working tables of the reader: the kept lines, the roster and providers as of the batch.
    var reading: ReviewWorkspace { ReviewWorkspace(connection: reader, bundleID: bundleID, month: month) }

    /// Lines kept for review and the quarantine of this review: triage reads the lines on the
    /// reader; the lines it sets aside (a few per thousand) are copied to the review's session
    /// for the quarantine. Both sessions then take the kept lines — the bundle's well-formed lines
    /// but those — in one statement each, at the same time.
    func triage() throws -> (kept: Int, quarantined: Int) {
        let workspace = self.workspace
        let reading = self.reading
        try workspace.createLineTable()
        try reading.createLineTable()
        // The lines set aside are copied to the review's session on a background job while the
        // reader reads the next page.
        let copying = BackgroundJob()
        defer { try? copying.wait() }
        var setAside: [Int] = []
        try TriageRunner.run(reader, bundleID: bundleID, month: month) { results in
            var lines: [ReviewWorkspace.TriagedLine] = []
            for result in results {
                guard case .quarantined(let reason, let detail) = result.disposition else { continue }
                lines.append(
                    ReviewWorkspace.TriagedLine(
                        line: result.line, requestID: result.requestID, reason: reason.rawValue, detail: detail))
                setAside.append(result.line)
            }
            try copying.wait()
            if !lines.isEmpty { copying.start { try workspace.addSetAsideLines(lines) } }
        }
        try copying.wait()
        let keeping = BackgroundJob()
        let read = Handoff<Int>()
        keeping.start { [setAside] in read.give(try reading.keepWellFormedLines(except: setAside)) }
        let counts: (kept: Int, quarantined: Int)
        do {
            counts = try workspace.quarantineSetAside(runID: runID)
        } catch {
            try? keeping.wait()
            throw error
        }
        try keeping.wait()
        let readerKept = try read.take()
        guard readerKept == counts.kept else {
            throw SettleError(.unexpected, "the review keeps \(counts.kept) lines but its reader \(readerKept)")
        }
        return counts
    }

    /// On the reader: the roster and provider rows that apply to the batch, and the quotas of its
    /// accounts.
    func resolveRosters() throws -> [ReviewWorkspace.Quota] {
        try reading.resolveRosters()
        return try reading.quotas()
    }

    /// Creates or updates the voucher accounts of the batch with their limit (effective quota less
    /// `used_before`, under the policy of their year) and loads what is committed on them.
    func accounts(_ quotas: [ReviewWorkspace.Quota]) throws -> (book: BalanceBook, ids: [AccountKey: Int64]) {
        let limits = quotas.map { quota in
            let policy = policies.policy(for: quota.account.year)
            let effective = min(quota.quota, policy.quota(cityCode: quota.cityCode))
            return (quota.account, effective.subtracting(quota.usedBefore) ?? .zero)
        }
        var book = BalanceBook()
        var ids: [AccountKey: Int64] = [:]
        for account in try workspace.setLimits(limits) {
            ids[account.key] = account.id
            book.load(account.key, committed: account.committed)
        }
        try LedgerGuard.verify(connection, .accounts(Array(ids.values)))
        return (book, ids)
    }

    /// The claim keys of the batch that can conflict: held already by a request, or used by two or
    /// more requests of the batch. Every other key is unique and free.
    func contestedClaims() throws -> (registry: ClaimRegistry, tracked: Set<ClaimKey>) {
        let contested = try workspace.contestedClaims()
        var registry = ClaimRegistry()
        var tracked: Set<ClaimKey> = []
        for (key, owner) in contested.held {
            registry.load(key, owner: owner)
            tracked.insert(key)
        }
        tracked.formUnion(contested.shared)
        return (registry, tracked)
    }
}
