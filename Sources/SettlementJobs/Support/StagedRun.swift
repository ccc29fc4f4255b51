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
        var operatorName: String?
    }

    /// Returns the body's value and where its outputs are.
    func perform<Value>(
        _ identity: Identity, out: String, dryRun: Bool, summary: (Value) -> String,
        _ body: (RunRecord, OutputDirectory) throws -> Value
    ) throws -> (value: Value, outputs: String) {
        var output: OutputDirectory?
        var committed = false
        try connection.begin()
        do {
            let run = try recorder.begin(
                identity.stage, month: identity.month, businessDate: identity.businessDate,
                policyHash: identity.policyHash, inputs: identity.inputs, reason: identity.reason,
                operatorName: identity.operatorName)
            let directory = try OutputDirectory(out: out, month: identity.month, name: run.directoryName, runID: run.id)
            output = directory
            let publication = PublicationStore(connection: connection)
            try publication.setOutputDirectory(runID: run.id, directory.finalPath)
            let value = try body(run, directory)
            let text = summary(value)
            // The files and an audit entry commit with the run, or not at all.
            let audit = AuditStore(connection: connection)
            try audit.recordFiles(
                runID: run.id,
                directory.files.keys.sorted().map {
                    ($0, directory.files[$0]?.sha256 ?? "", directory.files[$0]?.bytes ?? 0)
                })
            try audit.append(
                action: identity.stage.rawValue, month: identity.month.description, runID: run.id,
                operatorName: identity.operatorName ?? RunRecorder.operatorName,
                businessDate: identity.businessDate?.description ?? "",
                content: AuditContent.text(
                    stage: "\(identity.stage.rawValue) \(run.directoryName)", reason: identity.reason,
                    policyHash: identity.policyHash, inputs: identity.inputs, outputs: directory.files,
                    outputDirectory: directory.finalPath, summary: text))
            try recorder.commit(run, summary: text)
            if dryRun {
                connection.rollback()
                return (value, try directory.moveForDryRun())
            }
            try connection.commit()
            committed = true
            FaultInjection.point("after-commit")
            try directory.publish()
            FaultInjection.point("after-publish")
            try publication.markPublished(runID: run.id)
            return (value, directory.finalPath)
        } catch {
            if !committed {
                connection.rollback()
                output?.discard()
            }
            throw error
        }
    }
}
