import SettlementCore
import Testing

@testable import SettlementJobs

/// The pages' escaping works on UTF-8 bytes; it must say what the rule says scalar by scalar.
@Suite("HTML escaping")
struct HTMLTests {
    /// The rule, scalar by scalar: the five markup characters as entities, control characters
    /// other than tab and newline as U+FFFD, everything else as it is.
    static func model(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default: out.unicodeScalars.append(scalar.value < 0x20 ? "\u{FFFD}" : scalar)
            }
        }
        return out
    }

    @Test("escaping on bytes gives the bytes of the rule applied scalar by scalar")
    func escaping() {
        let pieces = [
            "&", "<", ">", "\"", "'", "\t", "\n", "\r", "\u{0}", "\u{1F}", " ", "a", "江苏", "（", "é", "\u{7F}", "\u{85}",
        ]
        var generator = SplitMix64(seed: 3)
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...8, using: &generator)).map { _ in
                pieces.randomElement(using: &generator) ?? ""
            }.joined()
            #expect(Array(HTML.escape(text).utf8) == Array(HTMLTests.model(text).utf8), "\(text.debugDescription)")
        }
    }

    @Test("a table row: classes by column, cells escaped")
    func row() {
        #expect(
            HTML.tableRow(["1", "A&B <公司>", "南京市", "9.00"], numeric: [0, 3], nowrap: [2, 3])
                == "<tr><td class=\"num\">1</td><td>A&amp;B &lt;公司&gt;</td><td class=\"nw\">南京市</td>"
                + "<td class=\"num nw\">9.00</td></tr>\n")
    }
}
