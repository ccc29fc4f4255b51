import Foundation
import SettlementCore
import SettlementFormats
import SettlementStore

/// Records runs in the `runs` table and holds the batch's advisory lock while a run works.
///
/// A run's row is committed as `running` before its work starts; the work commits in one
/// transaction that also marks the row `committed`. A row left `running` by a killed process is
/// found by the next run (its lock is free again) and marked `abandoned`: PostgreSQL has already
/// rolled its transaction back.
public struct RunRecorder {
    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// The advisory lock key of a batch month.
    static func lockKey(_ month: BatchMonth) -> Int64 { 7_300_000_000 + Int64(month.year * 100 + month.month) }

    /// Takes the batch's lock or fails with exit code 4, saying who holds it.
    public func lock(_ month: BatchMonth) throws {
        let key = RunRecorder.lockKey(month)
        guard try connection.tryAdvisoryLock(key) || (try LockHolder.endIfDead(connection, key: key)) else {
            let holder = try connection.advisoryLockHolder(key)
            let running = try RunStore(connection: connection).running(month: month)
            var who = holder.map { "server process \($0)" } ?? "another session"
            if let running {
                who +=
                    " (\(running.stage) run \(running.number) by \(running.operatorName), started \(running.startedAt))"
            }
            throw SettleError(.lockHeld, "batch \(month) is locked by \(who); try again when it has finished")
        }
    }

    public func unlock(_ month: BatchMonth) {
        _ = try? connection.releaseAdvisoryLock(RunRecorder.lockKey(month))
    }

    /// Marks runs of `month` left `running` by a process that died as `abandoned` (call with the lock held).
    @discardableResult
    public func abandonStaleRuns(_ month: BatchMonth) throws -> Int {
        try RunStore(connection: connection).abandonRunning(month: month)
    }

    /// Starts a run: commits its row as `running` and returns it.
    public func begin(
        _ stage: Stage, month: BatchMonth, businessDate: CivilDate?, policyHash: String?, inputs: [String: String],
        reason: String?, operatorName: String? = nil, outputDirectory: String? = nil
    ) throws -> RunRecord {
        try RunStore(connection: connection).insert(
            stage, month: month, businessDate: businessDate, policyHash: policyHash,
            inputsJSON: JSONText.object(inputs), operatorName: operatorName ?? RunRecorder.operatorName,
            reason: reason, outputDirectory: outputDirectory)
    }

    /// Marks the run committed (inside the stage's transaction).
    public func commit(_ run: RunRecord, summary: String) throws {
        try RunStore(connection: connection).markCommitted(run, summary: summary)
    }

    /// Records the SHA-256 of the run's inputs, when they are known only after it began.
    public func recordInputs(_ run: RunRecord, _ inputs: [String: String]) throws {
        try RunStore(connection: connection).setInputs(run, inputsJSON: JSONText.object(inputs))
    }

    /// Marks a run that failed before committing (its work was rolled back), with its inputs'
    /// SHA-256 when they were known only later and are known now.
    public func fail(_ run: RunRecord, _ error: Error, inputs: [String: String]? = nil) {
        if let inputs { try? recordInputs(run, inputs) }
        try? RunStore(connection: connection).markFailed(run, summary: "failed: \(error)")
    }

    /// Who runs this: `--by`/`SETTLE_OPERATOR`, else the login name, else the account's name.
    public static var operatorName: String {
        let environment = ProcessInfo.processInfo.environment
        for key in ["SETTLE_OPERATOR", "USER", "LOGNAME"] {
            if let name = environment[key], !name.isEmpty { return name }
        }
        if let account = getpwuid(getuid()), let name = account.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }
}
