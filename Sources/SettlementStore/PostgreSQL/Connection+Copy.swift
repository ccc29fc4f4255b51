import CLibPQ

/// Bulk transfer with `COPY … FROM STDIN` and `COPY … TO STDOUT` in PostgreSQL's text format.
extension Connection {
    /// Streams rows into a `COPY … FROM STDIN` statement. `body` writes the rows through the
    /// writer; they are sent in chunks, so memory does not grow with the row count. On an error in
    /// `body` the COPY is aborted (the connection stays usable) and the error is rethrown.
    /// Returns the number of rows the server stored.
    @discardableResult
    public func copyIn(_ sql: String, _ body: (inout CopyWriter) throws -> Void) throws -> Int {
        let start = try runCopy(sql, expecting: PGRES_COPY_IN)
        PQclear(start)
        var writer = CopyWriter(connection: self)
        let sent = Result {
            try body(&writer)
            try writer.flush()
            try writer.sender?.wait()
        }
        if case .failure = sent { try? writer.sender?.wait() }
        return try endCopyIn(sql, sent)
    }

    /// Sends rows encoded ahead (`EncodedCopy.encode`) into their `COPY … FROM STDIN` statement;
    /// on an error the COPY is aborted (the connection stays usable). Returns the number of rows
    /// the server stored.
    @discardableResult
    public func copyIn(_ copy: EncodedCopy) throws -> Int {
        var chunks = copy.chunks.makeIterator()
        return try copyIn(copy.sql, chunks: { chunks.next() })
    }

    /// Sends COPY data that is already encoded — chunks `next` returns until it returns nil — into
    /// its `COPY … FROM STDIN` statement (a review's ledger entries, spooled to a file page by
    /// page: `LedgerSpool`). On an error the COPY is aborted (the connection stays usable).
    /// Returns the number of rows the server stored.
    @discardableResult
    public func copyIn(_ sql: String, chunks next: () throws -> [UInt8]?) throws -> Int {
        let start = try runCopy(sql, expecting: PGRES_COPY_IN)
        PQclear(start)
        let sent = Result { while let chunk = try next() { try sendCopyData(chunk) } }
        return try endCopyIn(sql, sent)
    }

    /// Ends a `COPY … FROM STDIN` once its data is sent: aborted when sending failed (the error
    /// rethrown; the connection stays usable), else finished. Returns the number of rows stored.
    private func endCopyIn(_ sql: String, _ sent: Result<Void, any Error>) throws -> Int {
        if case .failure(let error) = sent {
            _ = PQputCopyEnd(handle, "aborted by the client")
            drainResults()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            throw DatabaseError(message: Connection.clientMessage(handle), context: Connection.summary(sql))
        }
        return try finishCopy(sql)
    }

    /// Streams the rows of a `COPY … TO STDOUT` statement to `row`, one at a time, as text cells
    /// (`nil` for NULL). Returns the row count.
    @discardableResult
    public func copyOut(_ sql: String, _ row: ([String?]) throws -> Void) throws -> Int {
        let start = try runCopy(sql, expecting: PGRES_COPY_OUT)
        PQclear(start)
        var count = 0
        var failure: Error?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            if length == -1 { break }
            if length == -2 {
                throw DatabaseError(message: Connection.clientMessage(handle), context: Connection.summary(sql))
            }
            guard let buffer else { continue }
            defer { PQfreemem(buffer) }
            if failure != nil { continue }
            let bytes = UnsafeRawBufferPointer(start: buffer, count: Int(length))
            do {
                try row(CopyText.decodeRow(bytes))
                count += 1
            } catch {
                // Keep reading so that the connection ends the COPY cleanly, then rethrow.
                failure = error
            }
        }
        _ = try finishCopy(sql)
        if let failure { throw failure }
        return count
    }

    /// Streams the rows of a `COPY (SELECT …) TO STDOUT` as rows read by name: `columns` names the
    /// cells of the statement's select list, in order (a row of another width is an error).
    @discardableResult
    public func copyOut(
        _ sql: String, columns: [String], _ row: (QueryResult.Row) throws -> Void
    ) throws -> Int {
        let names = QueryResult.Columns(columns)
        return try copyOut(sql) { cells in
            guard cells.count == columns.count else {
                throw DatabaseError(
                    message: "COPY returned \(cells.count) cells where \(columns.count) were expected",
                    context: Connection.summary(sql))
            }
            try row(QueryResult.Row(cells: cells, columns: names))
        }
    }

    func runCopy(_ sql: String, expecting status: ExecStatusType) throws(DatabaseError) -> OpaquePointer {
        guard let result = PQexec(handle, sql) else {
            throw DatabaseError(message: Connection.clientMessage(handle), context: Connection.summary(sql))
        }
        guard PQresultStatus(result) == status else {
            let error = Connection.error(from: result, connection: handle, context: Connection.summary(sql))
            PQclear(result)
            drainResults()
            throw error
        }
        return result
    }

    func finishCopy(_ sql: String) throws(DatabaseError) -> Int {
        var firstError: DatabaseError?
        var count = 0
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) != PGRES_COMMAND_OK, firstError == nil {
                firstError = Connection.error(from: result, connection: handle, context: Connection.summary(sql))
            } else {
                count = Int(String(cString: PQcmdTuples(result))) ?? 0
            }
            PQclear(result)
        }
        if let firstError { throw firstError }
        return count
    }

    func drainResults() {
        while let result = PQgetResult(handle) { PQclear(result) }
    }

    func sendCopyData(_ bytes: [UInt8]) throws(DatabaseError) {
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                PQputCopyData(handle, chars.baseAddress, Int32(chars.count))
            }
        }
        guard status == 1 else {
            throw DatabaseError(message: Connection.clientMessage(handle), context: "COPY data")
        }
    }
}

/// The rows of a `COPY … FROM STDIN` encoded ahead — on any thread, without the connection — to
/// be sent later with `Connection.copyIn(_:)`: a stage encodes a page's rows while the database
/// still stores the page before, so that the database is never kept waiting for the encoding.
public struct EncodedCopy: Sendable {
    public let sql: String
    let chunks: [[UInt8]]
    public let rows: Int

    /// Encodes the rows `body` writes (in chunks of about 256 KiB).
    public static func encode(_ sql: String, _ body: (inout CopyWriter) throws -> Void) throws -> EncodedCopy {
        var writer = CopyWriter()
        try body(&writer)
        try writer.flush()
        return EncodedCopy(sql: sql, chunks: writer.recorded, rows: writer.rowsWritten)
    }
}

/// A cell of a COPY row.
public enum CopyCell: Sendable {
    case null
    case text(String)
    /// UTF-8 bytes, written as they are (escaped for COPY).
    case utf8([UInt8])
}

/// Collects rows for `COPY … FROM STDIN` and sends them in chunks of about 256 KiB, on the
/// sender's thread while the next ones are being filled (`CopySender`).
public struct CopyWriter {
    /// Nil when the rows are encoded ahead (`EncodedCopy`): chunks are then kept in `recorded`.
    let sender: CopySender?
    var buffer: [UInt8] = []
    var recorded: [[UInt8]] = []
    public private(set) var rowsWritten = 0
    /// Cells of the row being written a cell at a time (`CopyWriter+Cells`).
    var cellsInRow = 0

    init(connection: Connection) {
        sender = CopySender(connection: connection)
        buffer.reserveCapacity(300_000)
    }

    /// A writer that keeps its chunks instead of sending them.
    init() {
        sender = nil
    }

    /// Appends one row; `nil` cells are SQL NULL.
    public mutating func write(_ cells: [String?]) throws {
        for cell in cells { self.cell(cell) }
        try endRow()
    }

    /// Appends one row whose cells may be bytes already (UTF-8 text kept as read, not turned into a
    /// `String` first: a request line's body).
    public mutating func write(_ cells: [CopyCell]) throws {
        for cell in cells {
            switch cell {
            case .null: nullCell()
            case .text(let text): self.cell(text)
            case .utf8(let bytes): self.cell(utf8: bytes)
            }
        }
        try endRow()
    }

    /// Ends a row (after its cells: `write` or `cell`).
    public mutating func endRow() throws {
        buffer.append(0x0A)
        cellsInRow = 0
        try rowEnded()
    }

    /// Counts a row whose bytes are in the buffer, and hands the chunk over once it is full.
    mutating func rowEnded() throws {
        rowsWritten += 1
        if buffer.count >= 262_144 { try flush() }
    }

    /// Hands the filled chunk to the sender (waiting while its queue is full) and starts a new one.
    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        if let sender {
            try sender.send(&buffer)
        } else {
            recorded.append(buffer)
            buffer = []
        }
    }
}

/// PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes.
enum CopyText {
    static func appendEscaped(_ text: String, to buffer: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendEscaped($0, to: &buffer) }
    }

    /// Copies runs of bytes that need no escape whole; only `\\`, tab, LF and CR are escaped.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x5C || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                switch byte {
                case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
                case 0x09: buffer.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x0A: buffer.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                default: buffer.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                }
                start = index + 1
            }
            index += 1
        }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
    }

    static func decodeRow(_ bytes: UnsafeRawBufferPointer) -> [String?] {
        var cells: [String?] = []
        var cell: [UInt8] = []
        var index = 0
        var count = bytes.count
        if count > 0, bytes[count - 1] == 0x0A { count -= 1 }
        var isNull = false
        func endCell() {
            cells.append(isNull ? nil : String(decoding: cell, as: UTF8.self))
            cell.removeAll(keepingCapacity: true)
            isNull = false
        }
        while index < count {
            let byte = bytes[index]
            if byte == 0x09 {
                endCell()
            } else if byte == 0x5C, index + 1 < count {
                index += 1
                switch bytes[index] {
                case UInt8(ascii: "N"): isNull = true
                case UInt8(ascii: "t"): cell.append(0x09)
                case UInt8(ascii: "n"): cell.append(0x0A)
                case UInt8(ascii: "r"): cell.append(0x0D)
                case UInt8(ascii: "b"): cell.append(0x08)
                case UInt8(ascii: "f"): cell.append(0x0C)
                case UInt8(ascii: "v"): cell.append(0x0B)
                default: cell.append(bytes[index])
                }
            } else {
                cell.append(byte)
            }
            index += 1
        }
        endCell()
        return cells
    }
}
