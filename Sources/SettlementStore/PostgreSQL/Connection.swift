import CLibPQ
import Foundation

/// A synchronous connection to PostgreSQL through libpq. Not shareable between threads; a batch
/// job uses one connection per stage.
///
/// ```swift
/// let connection = try Connection(url: "postgresql:///settle?host=/run/settle")
/// let rows = try connection.query("SELECT month FROM runs WHERE stage = $1", ["review"])
/// ```
public final class Connection {
    let handle: OpaquePointer

    /// Opens a connection; the error carries libpq's message (bad URL, server not reachable, …).
    public init(url: String) throws(DatabaseError) {
        guard let handle = PQconnectdb(url) else {
            throw DatabaseError(message: "libpq could not allocate a connection", context: "connect")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Connection.clientMessage(handle)
            PQfinish(handle)
            throw DatabaseError(message: message, context: "connect to \(Connection.redacted(url))")
        }
        self.handle = handle
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        _ = try? execute("SET client_min_messages = warning")
        _ = try? execute("SELECT set_config('application_name', $1, false)", [Connection.applicationName])
    }

    /// `settle:<host>:<pid>`: tells a lock's holder by process, so that a lock left by a client that
    /// was killed can be recognised (see `RunRecorder.lock`).
    public static let applicationName: String = {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count) == 0 ? String(cString: name) : "localhost"
        return "settle:\(host):\(getpid())"
    }()

    /// A double-quoted SQL identifier (for names that cannot be bound as parameters).
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    deinit { PQfinish(handle) }

    /// Runs one statement with `$1 …` parameters in text form and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws(DatabaseError) -> QueryResult {
        let result = try run(sql, parameters)
        defer { PQclear(result) }
        return Connection.rows(of: result)
    }

    /// Runs a statement (or several separated by `;` when there are no parameters).
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws(DatabaseError) -> Int {
        let result = try run(sql, parameters)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// Runs `body` inside `BEGIN … COMMIT`; any error rolls back and is rethrown.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    /// Whether the connection is inside a transaction block.
    public var inTransaction: Bool {
        PQtransactionStatus(handle) != PQTRANS_IDLE
    }

    func run(_ sql: String, _ parameters: [String?]) throws(DatabaseError) -> OpaquePointer {
        let result: OpaquePointer?
        if parameters.isEmpty {
            result = PQexec(handle, sql)
        } else {
            result = Connection.withCStrings(parameters) { pointers in
                PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
            }
        }
        guard let result else {
            throw DatabaseError(message: Connection.clientMessage(handle), context: Connection.summary(sql))
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        default:
            let error = Connection.error(from: result, connection: handle, context: Connection.summary(sql))
            PQclear(result)
            throw error
        }
    }

    static func rows(of result: OpaquePointer) -> QueryResult {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var columns: [String] = []
        for column in 0..<columnCount { columns.append(String(cString: PQfname(result, Int32(column)))) }
        var rows: [QueryResult.Row] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var cells: [String?] = []
            cells.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                    cells.append(nil)
                } else {
                    cells.append(String(cString: PQgetvalue(result, Int32(row), Int32(column))))
                }
            }
            rows.append(QueryResult.Row(cells: cells))
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? rowCount
        return QueryResult(columns: columns, rows: rows, affectedRows: affected)
    }

    static func error(from result: OpaquePointer, connection: OpaquePointer, context: String) -> DatabaseError {
        func field(_ code: Character) -> String? {
            guard let ascii = code.asciiValue, let pointer = PQresultErrorField(result, Int32(ascii)) else {
                return nil
            }
            return String(cString: pointer)
        }
        let message = field("M") ?? clientMessage(connection)
        return DatabaseError(sqlState: field("C") ?? "", message: message, detail: field("D"), context: context)
    }

    static func clientMessage(_ handle: OpaquePointer) -> String {
        guard let pointer = PQerrorMessage(handle) else { return "unknown libpq error" }
        let text = String(cString: pointer)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    static func summary(_ sql: String) -> String {
        let firstLine = sql.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? sql
        let trimmed = firstLine.trimmingLeadingSpaces()
        return trimmed.count > 80 ? String(trimmed.prefix(80)) + "…" : trimmed
    }

    /// The URL without a password, for messages.
    static func redacted(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://") else { return url }
        let credentials = url[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }

    static func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        var storage: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } ?? nil }
        defer { for pointer in storage { free(pointer) } }
        return storage.withUnsafeMutableBufferPointer { buffer in
            body(buffer.map { $0.map { UnsafePointer($0) } })
        }
    }
}

extension String {
    func trimmingLeadingSpaces() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }))
    }
}
