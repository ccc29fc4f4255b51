import Foundation
import SettlementCore
import SettlementStore

/// Runs one stage of one batch the way every stage that writes outputs must: its run row, its
/// database work and its outputs in one transaction; the files staged beside the final directory
/// and renamed into place only after the commit. A dry run does all of it, then rolls back and
/// moves the files to a temporary directory. A run killed at any point leaves either nothing
/// (PostgreSQL rolls back) or a committed run whose staged files `OutputRecovery` publishes.
struct StagedRun {
    let connection: Connection
    let recorder: RunRecorder

    struct Identity {
        var stage: Stage
        var month: BatchMonth
        var businessDate: CivilDate?
        var policyHash: String?
        var inputs: [String: String]
        var reason: String?
    }

    /// Returns the body's value and where its outputs are.
    func perform<Value>(
        _ identity: Identity, out: String, dryRun: Bool, summary: (Value) -> String,
        _ body: (RunRecord, OutputDirectory) throws -> Value
    ) throws -> (value: Value, outputs: String) {
        var output: OutputDirectory?
        var committed = false
        try connection.execute("BEGIN")
        do {
            let run = try recorder.begin(
                identity.stage, month: identity.month, businessDate: identity.businessDate,
                policyHash: identity.policyHash, inputs: identity.inputs, reason: identity.reason)
            let directory = try OutputDirectory(out: out, month: identity.month, name: run.directoryName, runID: run.id)
            output = directory
            let value = try body(run, directory)
            try recorder.commit(run, summary: summary(value))
            if dryRun {
                try connection.execute("ROLLBACK")
                return (value, try directory.moveForDryRun())
            }
            try connection.execute("COMMIT")
            committed = true
            try directory.publish()
            return (value, directory.finalPath)
        } catch {
            if !committed {
                if connection.inTransaction { _ = try? connection.execute("ROLLBACK") }
                output?.discard()
            }
            throw error
        }
    }
}

/// Finishes or discards what a killed run left in an output month directory: the staged files of
/// a committed run are renamed into place; those of a run that never committed are removed.
public enum OutputRecovery {
    public static func recover(_ connection: Connection, out: String, month: BatchMonth) throws -> [String] {
        let directory = out + "/" + month.description
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var actions: [String] = []
        for name in names.sorted() where name.hasPrefix(".") && name.contains(".partial-") {
            guard let marker = name.range(of: ".partial-"), let runID = Int64(name[marker.upperBound...]) else {
                continue
            }
            let finalName = String(name[name.index(after: name.startIndex)..<marker.lowerBound])
            let outcome = try connection.query("SELECT outcome FROM runs WHERE id = $1", [String(runID)]).first?.string(
                0)
            let staged = directory + "/" + name
            let final = directory + "/" + finalName
            if outcome == "committed", !FileManager.default.fileExists(atPath: final) {
                try FileManager.default.moveItem(atPath: staged, toPath: final)
                actions.append("finished \(final) (committed run \(runID))")
            } else {
                try FileManager.default.removeItem(atPath: staged)
                actions.append("discarded \(staged) (run \(runID) did not commit)")
            }
        }
        return actions
    }
}
