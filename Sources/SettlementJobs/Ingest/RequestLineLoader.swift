import SettlementCore
import SettlementStore

/// Loads every line of `redemptions.jsonl` with its number and SHA-256, and what reading it
/// showed (well-formed, malformed with the key paths, or wrong batch), with COPY, streaming.
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
        try connection.copyIn(
            """
            COPY request_lines (bundle_id, line, sha256, outcome, request_id, revision, detail, submitted_s,
                submitted_ns, enterprise_uscc, voucher_year, shop_id, body, attachment_problems, claim_keys) FROM STDIN
            """
        ) { writer in
            try TextLineSource(path: path, encoding: encoding).forEachLine(dropCR: true) { line in
                outcome.lines += 1
                progress.tick(outcome.lines)
                let bundle = String(bundleID)
                let number = String(line.number)
                if let length = line.overlongLength {
                    outcome.malformed += 1
                    try writer.write(
                        [
                            bundle, number, line.sha256, "malformed", nil, nil,
                            details.summarise("line longer than 32 MiB (\(length) bytes)", line: line.number),
                        ]
                            + [String?](repeating: nil, count: 8))
                    return
                }
                switch LineReader.read(line.bytes, month: month) {
                case .malformed(let detail, let requestID):
                    outcome.malformed += 1
                    try writer.write(
                        [
                            bundle, number, line.sha256, "malformed",
                            requestID.map(QuarantineDetail.bounded),
                            nil, details.summarise(detail, line: line.number),
                        ]
                            + [String?](repeating: nil, count: 8))
                case .wrongBatch(let detail, let request):
                    outcome.wrongBatch += 1
                    try writer.write(
                        [
                            bundle, number, line.sha256, "wrong_batch", request.requestID, String(request.revision),
                            details.summarise(detail, line: line.number),
                        ]
                            + [String?](repeating: nil, count: 8))
                case .wellFormed(let request):
                    let problems = verifier?.problems(of: request) ?? []
                    if !problems.isEmpty { outcome.attachmentMismatches += 1 }
                    try writer.write([
                        bundle, number, line.sha256, "well_formed", request.requestID, String(request.revision), nil,
                        String(request.submittedAt.seconds), String(request.submittedAt.nanoseconds),
                        request.enterpriseUSCC, String(request.voucherYear), request.shopID,
                        String(decoding: line.bytes, as: UTF8.self),
                        problems.isEmpty ? nil : problems.joined(separator: "\n"),
                        PostgresArray.text(ClaimKey.keys(of: request).map { $0.kind.rawValue + ":" + $0.value }),
                    ])
                }
            }
        }
        progress.finish(outcome.lines)
        return outcome
    }
}
