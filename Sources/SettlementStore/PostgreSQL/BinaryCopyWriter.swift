/// A cell of a binary COPY row, in the binary representation of its column's type.
public enum BinaryCopyCell: Sendable {
    case null
    /// `text`: the UTF-8 bytes.
    case text(String)
    /// `text` from bytes already UTF-8 (a request line as read).
    case utf8([UInt8])
    /// `bigint`.
    case int64(Int64)
    /// `integer`.
    case int32(Int32)
    /// `text[]` of one dimension (empty: the empty array).
    case textArray([String])
}

/// Rows for `COPY … FROM STDIN WITH (FORMAT binary)`, sent like `CopyWriter`'s (its chunks,
/// its sender). Each cell goes as its length and its bytes: the server neither scans a text cell
/// for escapes nor parses a number, which is most of what a large text COPY costs it (a request
/// line's body is ~2 kB). The server still checks every text cell is valid in its encoding, as it
/// does in text COPY, and refuses a NUL byte in one (`22021`).
///
/// Only a writer started by `Connection.copyInBinary` sends a valid stream: it writes the
/// format's signature first and its trailer last.
public struct BinaryCopyWriter {
    var writer: CopyWriter
    let columns: Int

    /// PostgreSQL's binary COPY signature (11 bytes), no flags, no header extension.
    static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    /// The type oid of `text` (fixed in PostgreSQL's catalog), named in a `text[]` cell.
    static let textOID: UInt32 = 25

    init(_ writer: CopyWriter, columns: Int) {
        self.writer = writer
        self.columns = columns
        self.writer.buffer.append(contentsOf: BinaryCopyWriter.header)
    }

    /// Appends one row; it must have as many cells as the statement names columns.
    public mutating func write(_ cells: [BinaryCopyCell]) throws {
        guard cells.count == columns else {
            throw DatabaseError(
                message: "a binary COPY row has \(cells.count) cells where \(columns) were named", context: "COPY data")
        }
        append(Int16(columns))
        for cell in cells {
            switch cell {
            case .null: append(Int32(-1))
            case .text(var text): try text.withUTF8 { try appendField($0) }
            case .utf8(let bytes): try bytes.withUnsafeBufferPointer { try appendField($0) }
            case .int64(let value):
                append(Int32(8))
                append(value)
            case .int32(let value):
                append(Int32(4))
                append(value)
            case .textArray(let elements): try appendTextArray(elements)
            }
        }
        try writer.rowEnded()
    }

    /// The trailer: a field count of −1.
    mutating func finish() throws {
        append(Int16(-1))
        try writer.flush()
    }

    private mutating func appendField(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        append(try BinaryCopyWriter.length(bytes.count))
        writer.buffer.append(contentsOf: bytes)
    }

    /// An array's binary form: dimensions, a has-null flag, the element type, each dimension's
    /// length and lower bound, then each element as a field — preceded, as every cell, by its
    /// length in bytes.
    private mutating func appendTextArray(_ elements: [String]) throws {
        let header = elements.isEmpty ? 12 : 20
        try append(BinaryCopyWriter.length(elements.reduce(header) { $0 + 4 + $1.utf8.count }))
        append(Int32(elements.isEmpty ? 0 : 1))
        append(Int32(0))
        append(BinaryCopyWriter.textOID)
        if !elements.isEmpty {
            append(Int32(elements.count))
            append(Int32(1))
        }
        for var element in elements { try element.withUTF8 { try appendField($0) } }
    }

    /// A cell's length as the format holds it (a 32-bit integer); longer cannot be sent.
    private static func length(_ count: Int) throws -> Int32 {
        guard let length = Int32(exactly: count) else {
            throw DatabaseError(message: "a cell of \(count) bytes is too large for COPY", context: "COPY data")
        }
        return length
    }

    private mutating func append<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.bigEndian) { writer.buffer.append(contentsOf: $0) }
    }
}

extension Connection {
    /// Streams rows into `COPY … FROM STDIN WITH (FORMAT binary)` (`sql` must say so), `columns`
    /// cells a row, with what `copyIn` promises: chunks sent while the next are written; on an
    /// error the COPY is aborted (the connection stays usable) and the error rethrown. Returns
    /// the number of rows the server stored.
    @discardableResult
    public func copyInBinary(_ sql: String, columns: Int, _ body: (inout BinaryCopyWriter) throws -> Void) throws
        -> Int
    {
        try copyIn(sql) { writer in
            var binary = BinaryCopyWriter(writer, columns: columns)
            try body(&binary)
            try binary.finish()
            writer = binary.writer
        }
    }
}
