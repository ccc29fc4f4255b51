import Foundation
import SettlementCore
import SettlementStore

/// The stages a run can be.
public enum Stage: String, Sendable {
    case ingest, review, disburse, reconcile, resolve, approve, reject
}

/// A run being recorded: (stage, batch month, run number).
public struct RunRecord: Sendable {
    public let id: Int64
    public let stage: Stage
    public let month: BatchMonth
    public let number: Int

    /// `review-03`, `payment-01`, …
    public var directoryName: String {
        let prefix: String
        switch stage {
        case .ingest: prefix = "ingest"
        case .review: prefix = "review"
        case .disburse: prefix = "payment"
        case .reconcile: prefix = "reconcile"
        case .resolve: prefix = "resolve"
        case .approve: prefix = "approve"
        case .reject: prefix = "reject"
        }
        return prefix + "-" + (number < 10 ? "0" : "") + String(number)
    }
}

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
            let running = try connection.query(
                "SELECT stage, run_no, operator, started_at FROM runs WHERE month = $1 AND outcome = 'running' ORDER BY id DESC LIMIT 1",
                [month.description]
            ).first
            var who = holder.map { "server process \($0)" } ?? "another session"
            if let running {
                who +=
                    " (\(running.string(0)) run \(running.string(1)) by \(running.string(2)), started \(running.string(3)))"
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
        try connection.execute(
            "UPDATE runs SET outcome = 'abandoned', ended_at = now() WHERE month = $1 AND outcome = 'running'",
            [month.description])
    }

    /// Starts a run: commits its row as `running` and returns it.
    public func begin(
        _ stage: Stage, month: BatchMonth, businessDate: CivilDate?, policyHash: String?, inputs: [String: String],
        reason: String?, operatorName: String? = nil, outputDirectory: String? = nil
    ) throws -> RunRecord {
        let number =
            try connection.query(
                "SELECT coalesce(max(run_no), 0) + 1 FROM runs WHERE stage = $1 AND month = $2 AND outcome <> 'abandoned'",
                [stage.rawValue, month.description]
            ).first?.int(0) ?? 1
        let row = try connection.query(
            """
            INSERT INTO runs (stage, month, run_no, business_date, policy_hash, input_hashes, operator, reason,
                              output_dir)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
            """,
            [
                stage.rawValue, month.description, String(number), businessDate?.description, policyHash,
                ManifestJSON.object(inputs), operatorName ?? RunRecorder.operatorName, reason, outputDirectory,
            ])
        guard let id = row.first?.int64(0) else { throw SettleError(.unexpected, "no run id returned") }
        return RunRecord(id: id, stage: stage, month: month, number: number)
    }

    /// Marks the run committed (inside the stage's transaction).
    public func commit(_ run: RunRecord, summary: String) throws {
        try connection.execute(
            "UPDATE runs SET outcome = 'committed', ended_at = now(), summary = $2 WHERE id = $1",
            [String(run.id), summary])
    }

    /// Marks a run that failed before committing (its work was rolled back).
    public func fail(_ run: RunRecord, _ error: Error) {
        _ = try? connection.execute(
            "UPDATE runs SET outcome = 'abandoned', ended_at = now(), summary = $2 WHERE id = $1 AND outcome = 'running'",
            [String(run.id), "failed: \(error)"])
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

/// Small helpers to write JSON text deterministically (sorted keys), without Foundation's encoders.
public enum ManifestJSON {
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    public static func object(_ pairs: [String: String]) -> String {
        "{" + pairs.keys.sorted().map { string($0) + ":" + string(pairs[$0] ?? "") }.joined(separator: ",") + "}"
    }
}
