/// Small helpers to write JSON text deterministically (sorted keys), without Foundation's encoders.
public enum JSONText {
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

extension String {
    /// `value` in decimal, left-padded with zeros to `width` digits (`7` → `0007`).
    public static func zeroPadded(_ value: Int, width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: Swift.max(width - text.count, 0)) + text
    }
}
