import SettlementCore
import SettlementFormats

/// `manifest.json`: what a run was and what it wrote, for finance to check the files against.
/// Keys are sorted and nothing depends on the wall clock, so the same run gives the same bytes.
struct Manifest {
    var batch: BatchMonth
    var runNumber: Int
    var kind: String
    var businessDate: CivilDate?
    var policyHash: String
    var inputs: [String: String]
    var counts: [String: Int]
    var totals: [String: Fen]
    var extra: [String: String] = [:]

    func json(files: [String: (sha256: String, bytes: Int)]) -> String {
        var lines: [String] = []
        lines.append("  \"batch\": \(JSONText.string(batch.description))")
        lines.append("  \"business_date\": " + (businessDate.map { JSONText.string($0.description) } ?? "null"))
        lines.append(
            "  \"counts\": {"
                + counts.keys.sorted().map { "\(JSONText.string($0)): \(counts[$0] ?? 0)" }.joined(separator: ", ")
                + "}")
        for key in extra.keys.sorted() {
            lines.append("  \(JSONText.string(key)): \(JSONText.string(extra[key] ?? ""))")
        }
        let fileLines = files.keys.sorted().map { name in
            "    {\"name\": \(JSONText.string(name)), \"sha256\": \(JSONText.string(files[name]?.sha256 ?? "")), \"size\": \(files[name]?.bytes ?? 0)}"
        }
        lines.append("  \"files\": [\n" + fileLines.joined(separator: ",\n") + "\n  ]")
        let inputLines = inputs.keys.sorted().map {
            "    \(JSONText.string($0)): \(JSONText.string(inputs[$0] ?? ""))"
        }
        lines.append(
            inputLines.isEmpty
                ? "  \"inputs\": {}" : "  \"inputs\": {\n" + inputLines.joined(separator: ",\n") + "\n  }")
        lines.append("  \"kind\": \(JSONText.string(kind))")
        lines.append("  \"policy_sha256\": \(JSONText.string(policyHash))")
        lines.append("  \"run\": \(runNumber)")
        lines.append(
            "  \"totals\": {"
                + totals.keys.sorted().map {
                    "\(JSONText.string($0)): \(JSONText.string(totals[$0]?.yuanText ?? "0.00"))"
                }.joined(separator: ", ") + "}")
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }
}
