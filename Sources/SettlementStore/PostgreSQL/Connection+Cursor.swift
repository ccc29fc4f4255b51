/// Reading a large result a page at a time with a server-side cursor, so that other statements
/// (including COPY) can run on the same connection between pages. Needs an open transaction.
extension Connection {
    /// Declares a cursor for `sql` and calls `body` with each page of at most `pageSize` rows.
    public func forEachPage(
        _ sql: String, _ parameters: [String?] = [], pageSize: Int = 2_000,
        _ body: ([QueryResult.Row]) throws -> Void
    ) throws {
        let cursor = try openCursor(sql, parameters, pageSize: pageSize)
        while true {
            let rows = try cursor.next()
            if rows.isEmpty { break }
            try body(rows)
        }
        try cursor.close()
    }

    /// Every row of `sql` (with bound `parameters`), one at a time, read through a cursor a page
    /// at a time: memory holds one page. Needs an open transaction.
    public func forEachRow(
        _ sql: String, _ parameters: [String?] = [], pageSize: Int = 5_000, _ body: (QueryResult.Row) throws -> Void
    ) throws {
        try forEachPage(sql, parameters, pageSize: pageSize) { rows in
            for row in rows { try body(row) }
        }
    }

    /// Declares a cursor for `sql` (with bound `parameters`), to be read with `PageCursor.next`
    /// by whichever thread holds the connection at the time. Needs an open transaction.
    public func openCursor(_ sql: String, _ parameters: [String?] = [], pageSize: Int = 2_000) throws -> PageCursor {
        let name = "settle_cursor_\(UInt32.random(in: 0...UInt32.max))"
        try execute("DECLARE \(name) NO SCROLL CURSOR FOR \(sql)", parameters)
        return PageCursor(connection: self, name: name, pageSize: pageSize)
    }
}

/// A server-side cursor read a page at a time (`Connection.openCursor`). Its pages are read
/// between other statements of the connection, never during one.
public final class PageCursor: @unchecked Sendable {
    let connection: Connection
    let name: String
    let pageSize: Int
    private var finished = false

    init(connection: Connection, name: String, pageSize: Int) {
        self.connection = connection
        self.name = name
        self.pageSize = pageSize
    }

    /// The next page: at most `pageSize` rows, none once the result is read.
    public func next() throws -> [QueryResult.Row] {
        guard !finished else { return [] }
        let page = try connection.query("FETCH \(pageSize) FROM \(name)")
        if page.rows.count < pageSize { finished = true }
        return page.rows
    }

    /// Closes the cursor (it is closed at the transaction's end in any case).
    public func close() throws {
        try connection.execute("CLOSE \(name)")
    }
}
