/// One record of a CSV file.
public struct CSVRecord: Sendable, Equatable {
    /// The 1-based physical line on which the record starts.
    public let line: Int
    public let fields: [String]
    /// Set when the record breaks RFC 4180 (text after a closing quote, an unterminated quote);
    /// `fields` then holds what could be read.
    public let problem: String?
}

/// A streaming RFC 4180 parser: quoted fields with embedded commas, quotes and newlines, CRLF or LF
/// line ends. Feed it bytes in chunks of any size; it calls back once per record. Blank records
/// are skipped; cells are not trimmed.
public struct CSVParser {
    enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted, broken
    }

    var state = State.fieldStart
    var field: [UInt8] = []
    var fields: [String] = []
    var line = 1
    var recordLine = 1
    var pendingCR = false
    var quotedRecord = false
    var problem: String?

    public init() {}

    /// Feeds the next bytes; `emit` receives every record completed by them.
    public mutating func feed(_ bytes: some Sequence<UInt8>, emit: (CSVRecord) throws -> Void) rethrows {
        let contiguous: Void? = try bytes.withContiguousStorageIfAvailable { buffer in
            try feed(buffer: buffer, emit: emit)
        }
        if contiguous != nil { return }
        for byte in bytes { try step(byte, emit) }
    }

    /// One byte: the end of a CRLF pending from the byte before, or the next byte of the state.
    private mutating func step(_ byte: UInt8, _ emit: (CSVRecord) throws -> Void) rethrows {
        if pendingCR {
            pendingCR = false
            if byte == 0x0A {
                try endLine(emit)
                return
            }
            // A lone CR outside quotes is kept as data.
            field.append(0x0D)
        }
        try consume(byte, emit)
    }

    /// The same as feeding the bytes one by one, but the bytes of a field up to the next byte
    /// that matters in its state (a quote, a comma, a line end) are copied as one run.
    mutating func feed(buffer bytes: UnsafeBufferPointer<UInt8>, emit: (CSVRecord) throws -> Void) rethrows {
        var index = 0
        while index < bytes.count {
            if !pendingCR, state == .unquoted || state == .quoted {
                var end = index
                if state == .unquoted {
                    while end < bytes.count, !CSVParser.endsUnquotedRun(bytes[end]) { end += 1 }
                } else {
                    while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != 0x0A { end += 1 }
                }
                if end > index {
                    field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
                    index = end
                    continue
                }
            }
            try step(bytes[index], emit)
            index += 1
        }
    }

    /// A byte that ends a run of plain bytes in an unquoted field.
    static func endsUnquotedRun(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0D || byte == 0x0A
    }

    /// Ends the input; emits the last record if it was not terminated by a line end.
    public mutating func finish(emit: (CSVRecord) throws -> Void) rethrows {
        if pendingCR {
            pendingCR = false
            try endRecord(emit)
            return
        }
        switch state {
        case .quoted:
            problem = problem ?? "unterminated quoted field"
            try endRecord(emit)
        case .fieldStart where fields.isEmpty && field.isEmpty && !quotedRecord:
            break
        default:
            try endRecord(emit)
        }
    }

    private mutating func consume(_ byte: UInt8, _ emit: (CSVRecord) throws -> Void) rethrows {
        switch state {
        case .fieldStart:
            switch byte {
            case UInt8(ascii: "\""):
                state = .quoted
                quotedRecord = true
            case UInt8(ascii: ","):
                endField()
            case 0x0D:
                pendingCR = true
            case 0x0A:
                try endLine(emit)
            default:
                field.append(byte)
                state = .unquoted
            }
        case .unquoted:
            switch byte {
            case UInt8(ascii: "\""):
                problem = problem ?? "a quote inside the unquoted field \(fields.count + 1)"
                field.append(byte)
            case UInt8(ascii: ","):
                endField()
                state = .fieldStart
            case 0x0D:
                pendingCR = true
            case 0x0A:
                try endLine(emit)
            default:
                field.append(byte)
            }
        case .quoted:
            if byte == UInt8(ascii: "\"") {
                state = .quoteInQuoted
            } else {
                if byte == 0x0A { line += 1 }
                field.append(byte)
            }
        case .quoteInQuoted:
            switch byte {
            case UInt8(ascii: "\""):
                field.append(byte)
                state = .quoted
            case UInt8(ascii: ","):
                endField()
                state = .fieldStart
            case 0x0D:
                state = .unquoted
                pendingCR = true
            case 0x0A:
                try endLine(emit)
            default:
                problem = problem ?? "text after a closing quote in field \(fields.count + 1)"
                state = .broken
            }
        case .broken:
            if byte == 0x0A {
                try endLine(emit)
            }
        }
    }

    private mutating func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
    }

    /// A line end outside quotes: the record ends and the next one starts on the next line.
    private mutating func endLine(_ emit: (CSVRecord) throws -> Void) rethrows {
        try endRecord(emit)
        line += 1
        recordLine = line
    }

    private mutating func endRecord(_ emit: (CSVRecord) throws -> Void) rethrows {
        endField()
        let blank = fields.count == 1 && fields[0].isEmpty && !quotedRecord && problem == nil
        if !blank {
            try emit(CSVRecord(line: recordLine, fields: fields, problem: problem))
        }
        fields.removeAll(keepingCapacity: true)
        state = .fieldStart
        quotedRecord = false
        problem = nil
    }
}
