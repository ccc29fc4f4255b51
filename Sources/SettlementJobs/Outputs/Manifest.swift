import SettlementCore

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
        lines.append("  \"batch\": \(ManifestJSON.string(batch.description))")
        lines.append("  \"business_date\": " + (businessDate.map { ManifestJSON.string($0.description) } ?? "null"))
        lines.append(
            "  \"counts\": {"
                + counts.keys.sorted().map { "\(ManifestJSON.string($0)): \(counts[$0] ?? 0)" }.joined(separator: ", ")
                + "}")
        for key in extra.keys.sorted() {
            lines.append("  \(ManifestJSON.string(key)): \(ManifestJSON.string(extra[key] ?? ""))")
        }
        let fileLines = files.keys.sorted().map { name in
            "    {\"name\": \(ManifestJSON.string(name)), \"sha256\": \(ManifestJSON.string(files[name]?.sha256 ?? "")), \"size\": \(files[name]?.bytes ?? 0)}"
        }
        lines.append("  \"files\": [\n" + fileLines.joined(separator: ",\n") + "\n  ]")
        let inputLines = inputs.keys.sorted().map {
            "    \(ManifestJSON.string($0)): \(ManifestJSON.string(inputs[$0] ?? ""))"
        }
        lines.append(
            inputLines.isEmpty
                ? "  \"inputs\": {}" : "  \"inputs\": {\n" + inputLines.joined(separator: ",\n") + "\n  }")
        lines.append("  \"kind\": \(ManifestJSON.string(kind))")
        lines.append("  \"policy_sha256\": \(ManifestJSON.string(policyHash))")
        lines.append("  \"run\": \(runNumber)")
        lines.append(
            "  \"totals\": {"
                + totals.keys.sorted().map {
                    "\(ManifestJSON.string($0)): \(ManifestJSON.string(totals[$0]?.yuanText ?? "0.00"))"
                }.joined(separator: ", ") + "}")
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }
}
