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

    /// What triage leaves: the lines kept for review, the lines quarantined, and the reader's
    /// allocation order of the kept lines.
    struct Triaged {
        let kept: Int
        let quarantined: Int
        let plan: ReviewWorkspace.AllocationPlan
    }

    /// Lines kept for review and the quarantine of this review. Triage reads the lines in request
    /// order on a session of its own (a third one, of the same snapshot) and decides them on this
    /// thread, while the other two sessions prepare from every well-formed line: the review's
    /// session copies them with their claim keys and quarantines what ingest found malformed; the
    /// reader copies them with their accounts, shops and submission times and sorts them into
    /// allocation order. (Both sessions used to wait for triage, then copy the lines it kept.)
    /// The lines triage sets aside — a few per thousand — are quarantined by the review's
    /// session as they come, once its copy is done (`setAsideWaiting` batches of
    /// `setAsideBatch` lines at most wait for it), and leave both sessions' tables at the end.
    /// Both sessions must then hold the same number of lines.
    func triage(setAsideBatch: Int = 1_000, setAsideWaiting: Int = 16) throws -> Triaged {
        let workspace = self.workspace
        let reading = self.reading
        let runID = self.runID
        try workspace.createLineTable()
        try reading.createLineTable()
        let triageReader = try SnapshotReader(sharing: connection)
        defer { triageReader.close() }

        let setAsideBatches = PageChannel<[ReviewWorkspace.TriagedLine]>(capacity: setAsideWaiting)
        let copying = BackgroundJob()
        let copied = JobOutput((lines: 0, quarantined: 0))
        copying.start {
            do {
                copied.value.lines = try workspace.copyLinesWithClaimKeys()
                try workspace.analyzeLines()
                copied.value.quarantined = try workspace.quarantineIngestOutcomes(runID: runID)
                while let lines = try setAsideBatches.receive() {
                    try workspace.quarantine(lines, runID: runID)
                    copied.value.quarantined += lines.count
                }
            } catch {
                setAsideBatches.abandon()
                throw error
            }
        }
        let ordering = BackgroundJob()
        let ordered = JobOutput((lines: 0, plan: ReviewWorkspace.AllocationPlan?.none))
        ordering.start {
            ordered.value.lines = try reading.copyLinesForAllocation()
            try reading.analyzeLines()
            ordered.value.plan = try reading.orderBatch()
        }
        /// Waits for both sessions' jobs; the first error wins.
        func waitForSessions() throws {
            let copyingError: (any Error)?
            do {
                try copying.wait()
                copyingError = nil
            } catch {
                copyingError = error
            }
            try ordering.wait()
            if let copyingError { throw copyingError }
        }

        var setAside: [Int] = []
        do {
            var pending: [ReviewWorkspace.TriagedLine] = []
            try TriageRunner.run(triageReader.connection, bundleID: bundleID, month: month) { results in
                for result in results {
                    guard case .quarantined(let reason, let detail) = result.disposition else { continue }
                    pending.append(
                        ReviewWorkspace.TriagedLine(
                            line: result.line, requestID: result.requestID, reason: reason.rawValue, detail: detail))
                    setAside.append(result.line)
                    if pending.count >= setAsideBatch {
                        setAsideBatches.send(pending)
                        pending = []
                    }
                }
            }
            if !pending.isEmpty { setAsideBatches.send(pending) }
            setAsideBatches.finish()
        } catch {
            setAsideBatches.fail(error)
            try? waitForSessions()
            throw error
        }
        try waitForSessions()
        guard let plan = ordered.value.plan else { throw SettleError(.unexpected, "the batch was not ordered") }

        // The set-aside lines leave both sessions' tables at once.
        let dropping = BackgroundJob()
        let readerDropped = JobOutput(0)
        dropping.start { [setAside] in readerDropped.value = try reading.dropSetAside(setAside, fromOrder: true) }
        let dropped: Int
        do {
            dropped = try workspace.dropSetAside(setAside)
        } catch {
            try? dropping.wait()
            throw error
        }
        try dropping.wait()
        let kept = copied.value.lines - dropped
        let readerKept = ordered.value.lines - readerDropped.value
        guard dropped == setAside.count, readerKept == kept else {
            throw SettleError(
                .unexpected,
                "triage set aside \(setAside.count) lines; the review keeps \(kept) lines (\(dropped) dropped) but its reader \(readerKept)"
            )
        }
        return Triaged(kept: kept, quarantined: copied.value.quarantined, plan: plan)
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
