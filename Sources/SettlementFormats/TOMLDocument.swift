/// A value read from a TOML document. Numbers keep their literal text so that money and ratios
/// are parsed exactly by their own types, never through floating point.
public indirect enum TOMLValue: Sendable, Equatable {
    case string(String)
    case number(String)
    case bool(Bool)
    /// A local date, `YYYY-MM-DD`, kept as its text (the reader of the value checks the calendar).
    case date(String)
    case array([TOMLValue])
    case table(TOMLTable)

    /// `NNNN-NN-NN`: the shape of a TOML local date.
    static func isLocalDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10 else { return false }
        return bytes.enumerated().allSatisfy { index, byte in
            index == 4 || index == 7
                ? byte == UInt8(ascii: "-") : (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }

    public var kindName: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .date: "a date"
        case .array: "an array"
        case .table: "a table"
        }
    }
}

/// A TOML table: keys in document order.
public struct TOMLTable: Sendable, Equatable {
    public private(set) var keys: [String] = []
    public private(set) var values: [String: TOMLValue] = [:]

    public init() {}

    public subscript(key: String) -> TOMLValue? { values[key] }

    mutating func set(_ key: String, _ value: TOMLValue) {
        if values[key] == nil { keys.append(key) }
        values[key] = value
    }
}

/// A problem in a TOML document, with its line.
public struct TOMLError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let message: String
    public var description: String { "line \(line): \(message)" }
}

/// Reads the subset of TOML that configuration and policy files use: comments, `[table]`,
/// `[[array.of.tables]]`, dotted and quoted keys, basic and literal strings, integers and decimals
/// (kept as text), booleans, local dates, arrays (over several lines) and inline tables.
public enum TOMLDocument {
    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        var reader = Reader(bytes: Array(text.utf8))
        return try reader.document()
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var root = TOMLTable()
        /// The path of the table that key/value lines go to; for an array of tables, the path
        /// names the array and `inArray` says to use its last element.
        var current: [String] = []
        var definedTables: Set<[String]> = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        func fail(_ message: String) -> TOMLError { TOMLError(line: line, message: message) }

        var atEnd: Bool { index >= bytes.count }
        var peek: UInt8 { bytes[index] }

        mutating func skipSpaces() {
            while !atEnd, peek == 0x20 || peek == 0x09 { index += 1 }
        }

        mutating func skipComment() {
            if !atEnd, peek == UInt8(ascii: "#") {
                while !atEnd, peek != 0x0A { index += 1 }
            }
        }

        mutating func endOfLine() throws(TOMLError) {
            skipSpaces()
            skipComment()
            if atEnd { return }
            if peek == 0x0D { index += 1 }
            guard !atEnd, peek == 0x0A else { throw fail("unexpected text at the end of the line") }
            index += 1
            line += 1
        }

        /// Skips blank lines, comments and (inside arrays) newlines.
        mutating func skipBlank() {
            while !atEnd {
                skipSpaces()
                skipComment()
                if atEnd { return }
                if peek == 0x0D || peek == 0x0A {
                    if peek == 0x0A { line += 1 }
                    index += 1
                } else {
                    return
                }
            }
        }

        mutating func document() throws(TOMLError) -> TOMLTable {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
            while true {
                skipBlank()
                if atEnd { return root }
                if peek == UInt8(ascii: "[") {
                    try header()
                } else {
                    let path = try key()
                    skipSpaces()
                    guard !atEnd, peek == UInt8(ascii: "=") else { throw fail("expected '=' after the key") }
                    index += 1
                    skipSpaces()
                    let value = try self.value()
                    try assign(current + path, value)
                }
                try endOfLine()
            }
        }

        mutating func header() throws(TOMLError) {
            index += 1
            let arrayOfTables = !atEnd && peek == UInt8(ascii: "[")
            if arrayOfTables { index += 1 }
            skipSpaces()
            let path = try key()
            skipSpaces()
            guard !atEnd, peek == UInt8(ascii: "]") else { throw fail("expected ']'") }
            index += 1
            if arrayOfTables {
                guard !atEnd, peek == UInt8(ascii: "]") else { throw fail("expected ']]'") }
                index += 1
                try appendTable(path)
            } else {
                guard definedTables.insert(path).inserted else {
                    throw fail("table [\(path.joined(separator: "."))] defined twice")
                }
                try ensureTable(path)
            }
            current = path
        }

        mutating func key() throws(TOMLError) -> [String] {
            var parts: [String] = []
            while true {
                skipSpaces()
                guard !atEnd else { throw fail("expected a key") }
                if peek == UInt8(ascii: "\"") || peek == UInt8(ascii: "'") {
                    guard case .string(let text) = try value() else { throw fail("expected a key") }
                    parts.append(text)
                } else {
                    let start = index
                    while !atEnd, isBareKey(peek) { index += 1 }
                    guard index > start else { throw fail("expected a key") }
                    parts.append(String(decoding: bytes[start..<index], as: UTF8.self))
                }
                skipSpaces()
                if !atEnd, peek == UInt8(ascii: ".") {
                    index += 1
                    continue
                }
                return parts
            }
        }

        func isBareKey(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default: false
            }
        }

        mutating func value() throws(TOMLError) -> TOMLValue {
            guard !atEnd else { throw fail("expected a value") }
            switch peek {
            case UInt8(ascii: "\""): return .string(try basicString())
            case UInt8(ascii: "'"): return .string(try literalString())
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "{"): return try inlineTable()
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                if bytes[index...].starts(with: Array("true".utf8)) {
                    index += 4
                    return .bool(true)
                }
                if bytes[index...].starts(with: Array("false".utf8)) {
                    index += 5
                    return .bool(false)
                }
                throw fail("expected a value")
            default:
                let start = index
                while !atEnd, isBareKey(peek) || peek == UInt8(ascii: ".") || peek == UInt8(ascii: "+") {
                    index += 1
                }
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                if TOMLValue.isLocalDate(text) { return .date(text) }
                guard isNumber(text) else { throw fail("bad value '\(text)'") }
                return .number(text.replacingAll("_", with: ""))
            }
        }

        func isNumber(_ text: String) -> Bool {
            var digits = 0
            var points = 0
            for (offset, byte) in text.utf8.enumerated() {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
                case UInt8(ascii: "_"): continue
                case UInt8(ascii: "."): points += 1
                case UInt8(ascii: "-"), UInt8(ascii: "+"): if offset != 0 { return false }
                default: return false
                }
            }
            return digits > 0 && points <= 1
        }

        mutating func basicString() throws(TOMLError) -> String {
            index += 1
            var out: [UInt8] = []
            while !atEnd {
                let byte = peek
                index += 1
                switch byte {
                case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
                case 0x0A: throw fail("newline in a string")
                case UInt8(ascii: "\\"):
                    guard !atEnd else { break }
                    let escape = peek
                    index += 1
                    switch escape {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "\\"): out.append(0x5C)
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "u"):
                        guard index + 4 <= bytes.count,
                            let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
                            let scalar = Unicode.Scalar(code)
                        else { throw fail("bad \\u escape") }
                        index += 4
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default: throw fail("unknown escape in a string")
                    }
                default: out.append(byte)
                }
            }
            throw fail("unterminated string")
        }

        mutating func literalString() throws(TOMLError) -> String {
            index += 1
            let start = index
            while !atEnd, peek != UInt8(ascii: "'") {
                if peek == 0x0A { throw fail("newline in a string") }
                index += 1
            }
            guard !atEnd else { throw fail("unterminated string") }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            index += 1
            return text
        }

        mutating func array() throws(TOMLError) -> TOMLValue {
            index += 1
            var elements: [TOMLValue] = []
            while true {
                skipBlank()
                guard !atEnd else { throw fail("unterminated array") }
                if peek == UInt8(ascii: "]") {
                    index += 1
                    return .array(elements)
                }
                elements.append(try value())
                skipBlank()
                guard !atEnd else { throw fail("unterminated array") }
                if peek == UInt8(ascii: ",") {
                    index += 1
                } else if peek != UInt8(ascii: "]") {
                    throw fail("expected ',' or ']' in an array")
                }
            }
        }

        mutating func inlineTable() throws(TOMLError) -> TOMLValue {
            index += 1
            var table = TOMLTable()
            skipSpaces()
            if !atEnd, peek == UInt8(ascii: "}") {
                index += 1
                return .table(table)
            }
            while true {
                let path = try key()
                guard path.count == 1 else { throw fail("dotted keys are not supported in inline tables") }
                skipSpaces()
                guard !atEnd, peek == UInt8(ascii: "=") else { throw fail("expected '='") }
                index += 1
                skipSpaces()
                guard table[path[0]] == nil else { throw fail("key '\(path[0])' defined twice") }
                table.set(path[0], try value())
                skipSpaces()
                guard !atEnd else { throw fail("unterminated inline table") }
                if peek == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard peek == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
                index += 1
                return .table(table)
            }
        }

        // MARK: - Building the tree

        mutating func ensureTable(_ path: [String]) throws(TOMLError) {
            root = try Reader.updating(root, path[...], line: line) { table throws(TOMLError) in table }
        }

        mutating func appendTable(_ path: [String]) throws(TOMLError) {
            let parent = path.dropLast()
            let last = path[path.count - 1]
            let line = self.line
            root = try Reader.updating(root, parent, line: line) { (table) throws(TOMLError) -> TOMLTable in
                var table = table
                switch table[last] {
                case nil: table.set(last, .array([.table(TOMLTable())]))
                case .array(let elements)?: table.set(last, .array(elements + [.table(TOMLTable())]))
                case .some: throw TOMLError(line: line, message: "'\(last)' is not an array of tables")
                }
                return table
            }
        }

        mutating func assign(_ path: [String], _ value: TOMLValue) throws(TOMLError) {
            let parent = path.dropLast()
            let last = path[path.count - 1]
            let line = self.line
            root = try Reader.updating(root, parent, line: line) { (table) throws(TOMLError) -> TOMLTable in
                guard table[last] == nil else { throw TOMLError(line: line, message: "key '\(last)' defined twice") }
                var table = table
                table.set(last, value)
                return table
            }
        }

        /// Applies `change` to the table at `path` below `table`, creating tables on the way; an
        /// array of tables on the way means its last element.
        static func updating(
            _ table: TOMLTable, _ path: ArraySlice<String>, line: Int,
            _ change: (TOMLTable) throws(TOMLError) -> TOMLTable
        ) throws(TOMLError) -> TOMLTable {
            guard let first = path.first else { return try change(table) }
            var table = table
            switch table[first] {
            case nil:
                table.set(first, .table(try updating(TOMLTable(), path.dropFirst(), line: line, change)))
            case .table(let inner)?:
                table.set(first, .table(try updating(inner, path.dropFirst(), line: line, change)))
            case .array(var elements)? where elements.last.map({ if case .table = $0 { true } else { false } }) == true:
                guard case .table(let inner)? = elements.last else { break }
                elements[elements.count - 1] = .table(try updating(inner, path.dropFirst(), line: line, change))
                table.set(first, .array(elements))
            default:
                throw TOMLError(line: line, message: "'\(first)' is not a table")
            }
            return table
        }
    }
}
