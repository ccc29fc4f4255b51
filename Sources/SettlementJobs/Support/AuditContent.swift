import SettlementCore
import SettlementStore

/// The text an audit entry records: what ran, on what, what it wrote (every file with its SHA-256
/// and size) and what it came to. One line per fact, sorted, so the same facts give the same text.
enum AuditContent {
    static func text(
        stage: String, reason: String?, policyHash: String?, inputs: [String: String],
        outputs: [String: (sha256: String, bytes: Int)], outputDirectory: String?, summary: String
    ) -> String {
        var lines = ["stage=\(stage)"]
        if let reason { lines.append("reason=\(reason)") }
        if let policyHash, !policyHash.isEmpty { lines.append("policy_sha256=\(policyHash)") }
        for name in inputs.keys.sorted(by: { $0.bytesPrecede($1) }) {
            lines.append("input \(name) sha256=\(inputs[name] ?? "")")
        }
        if let outputDirectory { lines.append("output_dir=\(outputDirectory)") }
        for name in outputs.keys.sorted(by: { $0.bytesPrecede($1) }) {
            lines.append("output \(name) sha256=\(outputs[name]?.sha256 ?? "") bytes=\(outputs[name]?.bytes ?? 0)")
        }
        lines.append("summary=\(summary)")
        return lines.joined(separator: "\n")
    }
}
