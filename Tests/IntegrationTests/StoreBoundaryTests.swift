import Foundation
import SettlementStore
import Testing

/// The store is the one home of SQL: these read the product's sources as text and fail on the
/// first SQL statement outside `Sources/SettlementStore`, on a value interpolated into SQL text, on
/// a row read by position, and on a NULL amount read as zero.
@Suite("SQL has one home")
struct StoreBoundaryTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources").path

    /// Every Swift file of the product, relative to `Sources/`, with its text.
    static func files() throws -> [(path: String, text: String)] {
        guard let enumerator = FileManager.default.enumerator(atPath: sources) else { return [] }
        var files: [(String, String)] = []
        while let path = enumerator.nextObject() as? String {
            guard path.hasSuffix(".swift") else { continue }
            files.append((path, try String(contentsOfFile: sources + "/" + path, encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// The string literals of a Swift file (single-line and multi-line), comments skipped.
    static func literals(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        let quote = UInt8(ascii: "\"")
        var literals: [String] = []
        var index = 0
        func at(_ i: Int, _ s: String) -> Bool {
            Array(s.utf8).enumerated().allSatisfy { i + $0 < bytes.count && bytes[i + $0] == $1 }
        }
        while index < bytes.count {
            if at(index, "//") {
                while index < bytes.count && bytes[index] != 0x0A { index += 1 }
            } else if at(index, "\"\"\"") {
                var end = index + 3
                while end < bytes.count && !at(end, "\"\"\"") { end += 1 }
                literals.append(String(decoding: bytes[(index + 3)..<min(end, bytes.count)], as: UTF8.self))
                index = end + 3
            } else if bytes[index] == quote {
                var end = index + 1
                while end < bytes.count && bytes[end] != quote && bytes[end] != 0x0A {
                    end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
                }
                literals.append(String(decoding: bytes[(index + 1)..<min(end, bytes.count)], as: UTF8.self))
                index = end + 1
            } else {
                index += 1
            }
        }
        return literals
    }

    nonisolated(unsafe) static let statement = try? Regex(
        #"\b(SELECT\s.+\sFROM|INSERT INTO|UPDATE \w+ SET|DELETE FROM|COPY \w+|COPY \(|CREATE (TEMP |UNIQUE )?(TABLE|INDEX)|DECLARE \w+|ALTER TABLE|TRUNCATE \w+|^\s*(BEGIN|COMMIT|ROLLBACK)\s*$)"#
    ).dotMatchesNewlines()

    /// Whether a literal holds an SQL statement (if the pattern did not compile, every literal
    /// does, and the tests fail loudly).
    static func isSQL(_ literal: String) -> Bool { statement.map { literal.contains($0) } ?? true }

    @Test("no SQL statement outside Sources/SettlementStore")
    func sqlOnlyInStore() throws {
        var found: [String] = []
        for (path, text) in try Self.files() where !path.hasPrefix("SettlementStore/") {
            for literal in Self.literals(text) where Self.isSQL(literal) {
                found.append("\(path): \(literal.prefix(60))")
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test("no value is interpolated into SQL text (only the cursor helper names its cursor)")
    func noInterpolatedSQL() throws {
        var found: [String] = []
        for (path, text) in try Self.files() where !path.hasPrefix("SettlementStore/PostgreSQL/") {
            for literal in Self.literals(text) where Self.isSQL(literal) {
                // The quoting helper is the one way to put a name (never a value) into SQL text.
                let rest = literal.replacingOccurrences(of: "\\(Connection.quoteIdentifier(", with: "")
                guard rest.contains("\\(") else { continue }
                found.append("\(path): \(literal.prefix(80))")
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test("rows are read by column name, and no amount read from the database turns NULL into zero")
    func rowsByName() throws {
        let positional = try Regex(#"\.(string|int|int64|bool)\([0-9]+\)"#)
        let nullAsZero = try Regex(#"Fen\([^()]*\?\?\s*0\)"#)
        var found: [String] = []
        for (path, text) in try Self.files() {
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if line.contains(positional) || line.contains(nullAsZero) {
                    found.append("\(path):\(number + 1): \(line)")
                }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test("the detector finds what it must")
    func detectorWorks() {
        let sample = """
            let a = "SELECT id FROM runs WHERE month = '\\(month)'"
            let b = \"\"\"
                UPDATE runs SET outcome = 'x'
                \"\"\"
            // "DELETE FROM runs" in a comment is not code
            """
        let literals = Self.literals(sample)
        #expect(literals.filter(Self.isSQL).count == 2)
        #expect(literals.filter { Self.isSQL($0) && $0.contains("\\(") }.count == 1)
    }

    @Test("the ledger's kinds are the schema's CHECK list")
    func ledgerKindsMatchSchema() throws {
        try withTestDatabase { database in
            let definition = try database.connect().queryRow(
                """
                SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
                 WHERE conname = 'ledger_entries_kind_check'
                """
            ).text("definition")
            let quoted = try Regex(#"'([a-z_]+)'"#)
            let inSchema = Set(definition.matches(of: quoted).compactMap { $0.output[1].substring.map(String.init) })
            #expect(inSchema == Set(LedgerEntry.Kind.allCases.map(\.rawValue)))
        }
    }
}
