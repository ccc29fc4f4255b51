import SettlementCore
import SettlementStore

/// Loads every line of `redemptions.jsonl` with its number and SHA-256, and what reading it
/// showed (well-formed, malformed with the key paths, or wrong batch), with COPY, streaming. The
/// file is read, checked and hashed a few batches ahead on a thread of its own while the lines
/// before are parsed here.
struct RequestLineLoader {
    let connection: Connection
    let bundleID: Int64
    let month: BatchMonth
    let encoding: BundleEncoding
    let verifier: AttachmentVerifier?
    let progress: ProgressReporter

    struct Outcome {
        var lines = 0
        var malformed = 0
        var wrongBatch = 0
        var attachmentMismatches = 0
    }

    func load(path: String) throws -> Outcome {
        var outcome = Outcome()
        var details = RepeatedDetails()
        try BundleStore(connection: connection).writeRequestLines(bundleID: bundleID) { writer in
            try TextLineSource(path: path, encoding: encoding).forEachLineReadAhead(dropCR: true) { line in
                outcome.lines += 1
                progress.tick(outcome.lines)
                if let length = line.overlongLength {
                    outcome.malformed += 1
                    try writer.malformed(
                        line: line.number, sha256: line.sha256, requestID: nil,
                        detail: details.summarise("line longer than 32 MiB (\(length) bytes)", line: line.number))
                    return
                }
                switch LineReader.read(line.bytes, month: month) {
                case .malformed(let detail, let requestID):
                    outcome.malformed += 1
                    try writer.malformed(
                        line: line.number, sha256: line.sha256, requestID: requestID.map(QuarantineDetail.bounded),
                        detail: details.summarise(detail, line: line.number))
                case .wrongBatch(let detail, let request):
                    outcome.wrongBatch += 1
                    try writer.wrongBatch(
                        line: line.number, sha256: line.sha256, requestID: request.requestID,
                        revision: request.revision, detail: details.summarise(detail, line: line.number))
                case .wellFormed(let request):
                    let problems = verifier?.problems(of: request) ?? []
                    if !problems.isEmpty { outcome.attachmentMismatches += 1 }
                    try writer.wellFormed(
                        line: line.number, sha256: line.sha256, request: request,
                        body: line.bytes, attachmentProblems: problems)
                }
            }
        }
        progress.finish(outcome.lines)
        return outcome
    }
}
