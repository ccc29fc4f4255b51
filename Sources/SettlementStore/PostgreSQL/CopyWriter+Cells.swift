/// Rows written a cell at a time — `cell(_:)` for each column in order, then `endRow()` — in
/// COPY's text format: cells separated by tabs, backslash, tab, LF and CR escaped, NULL as `\N`
/// (`write(_:)` writes an array of cells through them). The review encodes millions of rows this
/// way: no array per row, and integers written as digits without a `String` in between.
extension CopyWriter {
    /// A text cell.
    public mutating func cell(_ text: String) {
        separateCell()
        CopyText.appendEscaped(text, to: &buffer)
    }

    /// A text cell, SQL NULL for `nil`.
    public mutating func cell(_ text: String?) {
        if let text { cell(text) } else { nullCell() }
    }

    /// A text cell of UTF-8 bytes, written as they are (escaped).
    public mutating func cell(utf8 bytes: [UInt8]) {
        separateCell()
        bytes.withUnsafeBufferPointer { CopyText.appendEscaped($0, to: &buffer) }
    }

    /// A text cell of `parts` joined by the byte `separator` (an ASCII byte COPY does not escape).
    public mutating func cell(joining parts: [String], separator: UInt8) {
        separateCell()
        for (index, part) in parts.enumerated() {
            if index > 0 { buffer.append(separator) }
            CopyText.appendEscaped(part, to: &buffer)
        }
    }

    /// An integer cell, in decimal.
    public mutating func cell(_ value: Int64) {
        separateCell()
        CopyText.appendDecimal(value, to: &buffer)
    }

    /// An integer cell, in decimal.
    public mutating func cell(_ value: Int) { cell(Int64(value)) }

    /// A boolean cell (`t` or `f`).
    public mutating func cell(_ value: Bool) {
        separateCell()
        buffer.append(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    /// An SQL NULL cell.
    public mutating func nullCell() {
        separateCell()
        buffer.append(contentsOf: [0x5C, 0x4E])
    }

    private mutating func separateCell() {
        if cellsInRow > 0 { buffer.append(0x09) }
        cellsInRow += 1
    }
}

extension CopyText {
    /// `value` in decimal ASCII, as `String(value)` spells it.
    static func appendDecimal(_ value: Int64, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var digits = 1
        var rest = magnitude
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var remaining = magnitude
        var index = start + digits - 1
        while remaining > 0 {
            buffer[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
            index -= 1
        }
    }
}
