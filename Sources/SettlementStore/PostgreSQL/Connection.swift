import CLibPQ
import Foundation

/// A synchronous connection to PostgreSQL through libpq. Not shareable between threads; a batch
/// job uses one connection per stage (the review also reads on a second, `SnapshotReader`).
///
/// ```swift
/// let connection = try Connection(url: "postgresql:///settle?host=/run/settle")
/// let rows = try connection.query("SELECT month FROM runs WHERE stage = $1", ["review"])
/// ```
public final class Connection {
    let handle: OpaquePointer
    /// What the connection was opened with, for `sibling()` (never logged: it may hold a password).
    private let url: String

    /// Opens a connection; the error carries libpq's message (bad URL, server not reachable, …).
    public init(url: String) throws(DatabaseError) {
        guard let handle = PQconnectdb(url) else {
            throw DatabaseError(message: "libpq could not allocate a connection", context: "connect")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Connection.scrubbed(Connection.clientMessage(handle), secretsOf: url)
            PQfinish(handle)
            throw DatabaseError(message: message, context: "connect to \(Connection.redacted(url))")
        }
        // Every byte exchanged is UTF-8, whatever PGCLIENTENCODING, the role's or the database's
        // default says (a Chinese desktop often sets GBK: libpq would then convert every name).
        guard PQsetClientEncoding(handle, "UTF8") == 0 else {
            let message = Connection.scrubbed(Connection.clientMessage(handle), secretsOf: url)
            PQfinish(handle)
            throw DatabaseError(
                message: "the client encoding cannot be set to UTF8: \(message)",
                context: "connect to \(Connection.redacted(url))")
        }
        self.handle = handle
        self.url = url
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        _ = try? execute("SET client_min_messages = warning")
        // Dates are read as ISO text (`QueryResult.Row.date`); a database or role whose DateStyle is
        // German or SQL/DMY would otherwise hand back 20.03.2024 or 20/03/2024.
        // A month is one transaction and some of its statements run for minutes at a million
        // requests, the reader's session waits idle inside its own: a managed server's default
        // timeouts for interactive roles would abort the job every month (rolled back, but never
        // done). Limits belong to whoever schedules the job (the systemd unit), not to the session.
        // The stages' transactions are READ COMMITTED and write (what the batch locks and the
        // ledger's checks are designed for), whatever the database makes the default. No JIT
        // compilation: a batch's tables make the planner's costs pass every JIT threshold (and a plan
        // made with a join method switched off costs ~10^10 by construction), so each large
        // statement paid 0.2–0.5 s of LLVM inlining and optimization, ~1 CPU-second of a
        // 200,000-request review, for code that saved less than that (nothing measurable at a
        // million; docs/operations/performance.md). One round trip.
        try execute(
            """
            SELECT set_config('DateStyle', 'ISO, YMD', false), set_config('statement_timeout', '0', false),
                   set_config('lock_timeout', '0', false), set_config('idle_in_transaction_session_timeout', '0', false),
                   set_config('default_transaction_isolation', 'read committed', false),
                   set_config('default_transaction_read_only', 'off', false), set_config('jit', 'off', false)
            """)
        // A review's working tables (its kept lines, roster, claim keys) are temporary tables of
        // tens of megabytes; with the default 8 MB of buffers for them, every lookup goes back to
        // the file system. A limit, not an allocation; it can only be set before the session's
        // first temporary table, hence here.
        _ = try? execute("SET temp_buffers = '256MB'")
        _ = try? execute("SELECT set_config('application_name', $1, false)", [Connection.applicationName])
    }

    /// A second session to the same database, as the same role, with the same settings (for a
    /// stage that reads on one session while it writes on another: `SnapshotReader`).
    public func sibling() throws(DatabaseError) -> Connection { try Connection(url: url) }

    /// `settle:<host>:<pid>`: tells a lock's holder by process, so that a lock left by a client that
    /// was killed can be recognised (see `RunRecorder.lock`).
    public static let applicationName: String = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "settle:localhost:\(getpid())" }
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
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

    /// Runs a statement that returns exactly one row (an aggregate, `RETURNING` of one insert)
    /// and returns it; no row is an error.
    public func queryRow(_ sql: String, _ parameters: [String?] = []) throws(DatabaseError) -> QueryResult.Row {
        guard let row = try query(sql, parameters).rows.first else {
            throw DatabaseError(message: "the statement returned no row", context: Connection.summary(sql))
        }
        return row
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
        try begin()
        do {
            let value = try body()
            try commit()
            return value
        } catch {
            rollback()
            throw error
        }
    }

    /// Opens a transaction (for a caller whose commit and its aftermath must be apart: a stage
    /// commits, then publishes its files).
    public func begin() throws(DatabaseError) { try execute("BEGIN") }

    /// Commits; when it fails the transaction is rolled back by the server and nothing was kept.
    public func commit() throws(DatabaseError) { try execute("COMMIT") }

    /// Rolls the open transaction back, if there is one (never fails: a broken connection has none).
    public func rollback() {
        if inTransaction { _ = try? execute("ROLLBACK") }
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
        let names = QueryResult.Columns(columns)
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
            rows.append(QueryResult.Row(cells: cells, columns: names))
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

    /// The connection string without its password, for messages and logs, in every form libpq
    /// takes: URI user info (`postgresql://user:secret@host`), a URI query parameter
    /// (`?password=secret`, percent-encoded or not) and the keyword form (`password=secret`,
    /// `password = 'se cret'`).
    public static func redacted(_ url: String) -> String {
        var text = url
        if let scheme = text.range(of: "://") {
            let authorityEnd =
                text[scheme.upperBound...].firstIndex { $0 == "/" || $0 == "?" } ?? text.endIndex
            if let at = text[scheme.upperBound..<authorityEnd].lastIndex(of: "@"),
                let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
            {
                text.replaceSubrange(text.index(after: colon)..<at, with: "***")
            }
        }
        // `password=` as a query parameter or a keyword, with an optionally quoted value.
        var result = ""
        var rest = Substring(text)
        while let match = rest.range(of: "password", options: .caseInsensitive) {
            result += rest[..<match.upperBound]
            rest = rest[match.upperBound...]
            let spaces = rest.prefix { $0 == " " }
            guard rest.dropFirst(spaces.count).first == "=" else { continue }
            rest = rest.dropFirst(spaces.count + 1)
            let more = rest.prefix { $0 == " " }
            rest = rest.dropFirst(more.count)
            result += String(spaces) + "=" + String(more) + "***"
            if rest.first == "'" {
                var index = rest.index(after: rest.startIndex)
                while index < rest.endIndex {
                    if rest[index] == "\\" {
                        index = rest.index(index, offsetBy: 2, limitedBy: rest.endIndex) ?? rest.endIndex
                        continue
                    }
                    if rest[index] == "'" {
                        index = rest.index(after: index)
                        break
                    }
                    index = rest.index(after: index)
                }
                rest = rest[index...]
            } else {
                rest = rest.drop { $0 != "&" && $0 != " " }
            }
        }
        return result + rest
    }

    /// `message` with every password that `url` holds replaced by `***` (libpq quotes parts of a
    /// connection string it cannot parse).
    public static func scrubbed(_ message: String, secretsOf url: String) -> String {
        var secrets: [String] = []
        let redactedText = redacted(url)
        // The parts of `url` that `redacted` replaced: walk both strings, collecting what stands
        // in `url` where `***` stands in the redacted text.
        var original = Substring(url)
        var shown = Substring(redactedText)
        while let star = shown.range(of: "***") {
            let before = shown[..<star.lowerBound]
            guard original.hasPrefix(before) else { break }
            original = original.dropFirst(before.count)
            shown = shown[star.upperBound...]
            let next = shown.first
            var secret = original.prefix { next == nil ? true : $0 != next }
            if original.first == "'", let close = original.dropFirst().firstIndex(of: "'") {
                secret = original[...close]
                secrets.append(String(original[original.index(after: original.startIndex)..<close]))
            }
            if !secret.isEmpty { secrets.append(String(secret)) }
            original = original.dropFirst(secret.count)
        }
        var result = message
        for secret in secrets.sorted(by: { $0.count > $1.count }) where secret.count >= 1 {
            result = result.replacingOccurrences(of: secret, with: "***")
        }
        return result
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
