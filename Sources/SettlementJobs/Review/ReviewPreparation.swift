import SettlementCore
import SettlementStore

/// Loads, in bulk and inside the review's transaction, what the review of one batch needs:
/// the triage of its lines, the roster and providers as of the batch, the voucher accounts with
/// their limits and committed amounts, and the claim keys that can conflict.
struct ReviewPreparation {
    let connection: Connection
    let bundleID: Int64
    let month: BatchMonth
    let runID: Int64
    let policies: PolicyBook

    var workspace: ReviewWorkspace { ReviewWorkspace(connection: connection, bundleID: bundleID, month: month) }

    /// Lines kept for review and the quarantine of this review.
    func triage() throws -> (kept: Int, quarantined: Int) {
        let workspace = self.workspace
        try workspace.createLineTable()
        try TriageRunner.run(connection, bundleID: bundleID, month: month) { results in
            try workspace.addTriagedLines(
                results.map { result in
                    switch result.disposition {
                    case .kept:
                        ReviewWorkspace.TriagedLine(
                            line: result.line, requestID: result.requestID, reason: nil, detail: nil)
                    case .quarantined(let reason, let detail):
                        ReviewWorkspace.TriagedLine(
                            line: result.line, requestID: result.requestID, reason: reason.rawValue, detail: detail)
                    }
                })
        }
        return try workspace.quarantineSetAside(runID: runID)
    }

    func resolveRosters() throws { try workspace.resolveRosters() }

    /// Creates or updates the voucher accounts of the batch with their limit (effective quota less
    /// `used_before`, under the policy of their year) and loads what is committed on them.
    func accounts() throws -> (book: BalanceBook, ids: [AccountKey: Int64]) {
        let limits = try workspace.quotas().map { quota in
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
