import Foundation
import SettlementCore
import SettlementStore

/// Finishes or discards what killed runs left, for any batch: the staged outputs of a committed run
/// are renamed into place (and marked published); those of a run that never committed are removed.
/// Every command that opens the database runs `recoverAll` first, so a publicity list or a payment
/// file committed by a run killed before its rename is published by whatever runs next.
///
/// A batch whose lock another live run holds is left alone: that run publishes its own outputs.
public enum OutputRecovery {
    /// For every batch month; returns what was done, and what could not be (outputs missing).
    public static func recoverAll(_ connection: Connection, out: String) throws -> [String] {
        let publication = PublicationStore(connection: connection)
        var months = Set(try publication.unpublished().map(\.month))
        for name in (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [] {
            if let month = BatchMonth(name), !stagedNames(out + "/" + name).isEmpty { months.insert(month) }
        }
        // Released payment batches are staged in the outbox the same way (`settle approve`).
        for (name, _) in stagedNames(out + "/outbox") {
            if let month = BatchMonth(String(name.dropFirst().prefix(7))) { months.insert(month) }
        }
        var actions: [String] = []
        let recorder = RunRecorder(connection: connection)
        for month in months.sorted() {
            guard try connection.tryAdvisoryLock(RunRecorder.lockKey(month)) else {
                actions.append("batch \(month) is locked by a running command; its outputs are left to it")
                continue
            }
            defer { recorder.unlock(month) }
            do {
                try recorder.abandonStaleRuns(month)
                actions += try recover(connection, out: out, month: month)
            } catch {
                actions.append("batch \(month): outputs left by an earlier run cannot be finished: \(error)")
            }
        }
        return actions
    }

    /// For one batch month (call with its lock held).
    public static func recover(_ connection: Connection, out: String, month: BatchMonth) throws -> [String] {
        let publication = PublicationStore(connection: connection)
        let manager = FileManager.default
        var actions: [String] = []
        for run in try publication.unpublished(month: month) {
            let final = run.outputDirectory
            let parent = (final as NSString).deletingLastPathComponent
            let staged = parent + "/." + (final as NSString).lastPathComponent + ".partial-\(run.runID)"
            if manager.fileExists(atPath: final) {
                try publication.markPublished(runID: run.runID)
            } else if manager.fileExists(atPath: staged) {
                guard rename(staged, final) == 0 else {
                    throw OutputError("cannot publish \(final): \(String(cString: strerror(errno)))")
                }
                try publication.markPublished(runID: run.runID)
                actions.append(
                    "published \(final) (committed by \(run.stage) run \(run.runID), not renamed into place)")
            } else {
                actions.append(
                    "the outputs of committed \(run.stage) run \(run.runID) are missing: neither \(final) nor its "
                        + "staged copy exists")
            }
        }
        let directory = out + "/" + month.description
        let outbox = out + "/outbox"
        let staged =
            stagedNames(directory).map { (directory + "/" + $0.0, $0.1) }
            + stagedNames(outbox).filter { $0.0.dropFirst().hasPrefix(month.description) }.map {
                (outbox + "/" + $0.0, $0.1)
            }
        for (path, runID) in staged {
            guard let outcome = try publication.outcome(runID: runID), outcome == "committed" else {
                try manager.removeItem(atPath: path)
                actions.append("discarded \(path) (run \(runID) did not commit)")
                continue
            }
        }
        return actions
    }

    /// The staging directories `.<name>.partial-<run id>` in a month directory.
    static func stagedNames(_ directory: String) -> [(String, Int64)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().compactMap { name in
            guard name.hasPrefix("."), let marker = name.range(of: ".partial-"),
                let runID = Int64(name[marker.upperBound...])
            else { return nil }
            return (name, runID)
        }
    }
}
