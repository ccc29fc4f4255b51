/// Writing CSV for people: RFC 4180 quoting, and formula-safe cells, so that a spreadsheet never
/// runs a cell as a formula.
public enum CSVFormat {
    /// The UTF-8 byte order mark that makes Excel read a CSV file as UTF-8.
    public static let byteOrderMark = "\u{FEFF}"

    /// A cell that starts with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`; a cell with a comma,
    /// quote, CR or LF is quoted.
    public static func cell(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendCell(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A plain cell for machine-read files (numbers, codes): quoted only when needed.
    public static func plainCell(_ text: String) -> String {
        if text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
        }
        return text
    }

    /// One record, cells made formula-safe, ended by CRLF.
    public static func row(_ cells: [String]) -> String {
        var bytes: [UInt8] = []
        appendRow(cells, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `row(cells)`'s bytes, appended to `bytes` without making the row's strings.
    public static func appendRow(_ cells: [String], to bytes: inout [UInt8]) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendCell(cell, to: &bytes)
        }
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    /// `cell(text)`'s bytes, appended. The guard and the quoting concern ASCII characters only, so
    /// they are decided on the UTF-8 bytes.
    static func appendCell(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendCell($0, to: &bytes) }
    }

    /// The cell's bytes, scanned once as a buffer (the UTF-8 view's iterator, one closure call a
    /// byte, was ~1 s of a 1,000,000-request review's main thread).
    static func appendCell(_ text: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        let guarded: Bool
        switch text.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: guarded = true
        default: guarded = false
        }
        var quoted = false
        for byte in text where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            quoted = true
            break
        }
        if quoted { bytes.append(0x22) }
        if guarded { bytes.append(UInt8(ascii: "'")) }
        guard quoted else { return bytes.append(contentsOf: text) }
        for byte in text {
            if byte == 0x22 { bytes.append(0x22) }
            bytes.append(byte)
        }
        bytes.append(0x22)
    }

    /// Undoes the formula guard for a cell read back (`'=1` → `=1`).
    public static func unguarded(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let second = cell.unicodeScalars.dropFirst().first,
            "=+-@\t\r".unicodeScalars.contains(second)
        else { return cell }
        return String(cell.dropFirst())
    }
}

extension String {
    /// Every occurrence of `target` replaced (Foundation-free).
    public func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var remainder = self[...]
        while let range = remainder.range(of: target) {
            result += remainder[..<range.lowerBound]
            result += replacement
            remainder = remainder[range.upperBound...]
        }
        return result + remainder
    }
}

extension Substring {
    func range(of target: String) -> Range<Substring.Index>? {
        guard let first = target.first else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index] == first, self[index...].hasPrefix(target) {
                return index..<self.index(index, offsetBy: target.count)
            }
            index = self.index(after: index)
        }
        return nil
    }
}
