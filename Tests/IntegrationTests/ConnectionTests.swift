import SettlementCore
import SettlementStore
import Testing

@Suite("libpq wrapper against a real PostgreSQL")
struct ConnectionTests {
    @Test("parameterised queries and typed cells")
    func parameters() throws {
        try withTestDatabase { database in
            let connection = try database.connect()
            let row = try #require(
                try connection.query("SELECT $1::int + 1, $2::text, $3::text IS NULL, '江苏'", ["41", "a'b", nil]).first)
            #expect(row.int(0) == 42)
            #expect(row.string(1) == "a'b")
            #expect(row.bool(2) == true)
            #expect(row.string(3) == "江苏")
        }
    }

    @Test("cells read through columns found once give what their names give, and fail as their names fail")
    func columnsFoundOnce() throws {
        try withTestDatabase { database in
            let connection = try database.connect()
            let result = try connection.query(
                "SELECT 42 AS n, '江苏' AS t, NULL::text AS missing_value, 12345 AS amount, DATE '2024-08-31' AS day")
            let row = try #require(result.first)
            let columns = row.columns
            #expect(try row.int(columns.column("n")) == row.int("n"))
            #expect(try row.text(columns.column("t")) == "江苏")
            #expect(try row.optionalText(columns.column("missing_value")) == nil)
            #expect(try row.fen(columns.column("amount")) == Fen(12_345))
            #expect(try row.date(columns.column("day")) == row.date("day"))
            let null = #expect(throws: DatabaseError.self) { try row.text(columns.column("missing_value")) }
            #expect(null?.message == "column missing_value is NULL")
            let absent = #expect(throws: DatabaseError.self) { try row.text(columns.column("nowhere")) }
            #expect(absent?.message.hasPrefix("column nowhere no such column") == true)
            let notNumber = #expect(throws: DatabaseError.self) { try row.int(columns.column("t")) }
            #expect(notNumber?.message == "column t is not an integer: 江苏")
        }
    }

    @Test("the session speaks UTF-8 and ISO dates, with no timeout and no JIT, whatever the database's defaults say")
    func clientEncoding() throws {
        try withTestDatabase { database in
            try database.admin.execute("ALTER DATABASE \(database.name) SET client_encoding = 'GBK'")
            try database.admin.execute("ALTER DATABASE \(database.name) SET DateStyle = 'German, DMY'")
            try database.admin.execute("ALTER DATABASE \(database.name) SET statement_timeout = '20ms'")
            try database.admin.execute(
                "ALTER DATABASE \(database.name) SET default_transaction_isolation = 'serializable'")
            try database.admin.execute("ALTER DATABASE \(database.name) SET default_transaction_read_only = on")
            try database.admin.execute("ALTER DATABASE \(database.name) SET jit = on")
            let connection = try database.connect()
            #expect(try connection.query("SHOW jit").first?.string(0) == "off")
            #expect(try connection.query("SHOW client_encoding").first?.string(0) == "UTF8")
            let name = "江苏海微（无锡）医药科技有限责任公司"
            #expect(
                try connection.query("SELECT $1::text, octet_length($1::text)", [name]).first?.cells == [
                    name, String(name.utf8.count),
                ])
            try connection.execute("CREATE TEMP TABLE names (name text)")
            try connection.copyIn("COPY names (name) FROM STDIN") { writer in try writer.write([name]) }
            #expect(try connection.query("SELECT name FROM names").first?.string(0) == name)
            // Dates come back as ISO text, whatever the database's DateStyle.
            #expect(try connection.query("SELECT DATE '2024-03-20'").first?.string(0) == "2024-03-20")
            // A statement longer than the database's default timeout still runs to its end.
            #expect(try connection.query("SELECT 1 FROM pg_sleep(0.1)").first?.int(0) == 1)
            // Transactions are read committed and may write.
            let modes = try connection.transaction {
                [
                    try connection.query("SHOW transaction_isolation").first?.string(0),
                    try connection.query("SHOW transaction_read_only").first?.string(0),
                ]
            }
            #expect(modes == ["read committed", "off"])
        }
    }

    @Test("COPY in and out round-trips tabs, newlines, backslashes and NULL, over many chunks in order")
    func copyRoundTrip() throws {
        try withTestDatabase { database in
            let connection = try database.connectAsOwner()
            try connection.execute("CREATE TABLE t (n int, s text)")
            let tricky = ["plain", "tab\there", "new\nline", "back\\slash", "cr\rx", "江苏（南京）", "\\N"]
            let stored = try connection.copyIn("COPY t (n, s) FROM STDIN") { writer in
                for (index, text) in tricky.enumerated() { try writer.write([String(index), text]) }
                try writer.write(["99", nil])
                // About ten chunks, each sent while the next is written (`CopySender`).
                for index in 100..<200_100 { try writer.write([String(index), "row \(index)"]) }
            }
            #expect(stored == tricky.count + 1 + 200_000)
            var read: [Int: String?] = [:]
            let count = try connection.copyOut("COPY (SELECT n, s FROM t ORDER BY n) TO STDOUT") { cells in
                read[Int(cells[0] ?? "") ?? -1] = cells[1]
            }
            #expect(count == stored)
            for (index, text) in tricky.enumerated() { #expect(read[index] == .some(text)) }
            #expect(read[99] == .some(nil))
            #expect((100..<200_100).allSatisfy { read[$0] == .some("row \($0)") })
        }
    }

    @Test("binary COPY stores text, bytes, integers, arrays and NULL as sent, over many chunks in order")
    func binaryCopyRoundTrip() throws {
        try withTestDatabase { database in
            let connection = try database.connectAsOwner()
            try connection.execute("CREATE TABLE b (n bigint, i integer, s text, a text[], u text)")
            let tricky = [
                "plain", "tab\there", "new\nline", "back\\slash", "cr\rx", "江苏（南京）", "\\N", "", "{\"k\":[1,2]}",
                "caf\u{E9}", "cafe\u{301}",
            ]
            let sql = "COPY b (n, i, s, a, u) FROM STDIN WITH (FORMAT binary)"
            let stored = try connection.copyInBinary(sql, columns: 5) { writer in
                for (index, text) in tricky.enumerated() {
                    try writer.write([
                        .int64(Int64(index)), .int32(Int32(-index)), .text(text), .textArray(tricky),
                        .utf8(Array(text.utf8)),
                    ])
                }
                try writer.write([.int64(Int64.min), .int32(Int32.max), .null, .textArray([]), .null])
                // About eight chunks, each sent while the next is written (`CopySender`).
                for index in 100..<100_100 {
                    try writer.write([
                        .int64(Int64(index)), .int32(Int32(index)), .text("row \(index)"), .textArray(["k:\(index)"]),
                        .null,
                    ])
                }
            }
            #expect(stored == tricky.count + 1 + 100_000)
            for (index, text) in tricky.enumerated() {
                let row = try #require(
                    try connection.query(
                        "SELECT i, s, u, cardinality(a), s = u FROM b WHERE n = $1::bigint", [String(index)]
                    ).first)
                #expect(row.int(0) == -index)
                // Compared by bytes: é precomposed and decomposed are two texts.
                #expect(Array(row.string(1).utf8) == Array(text.utf8))
                #expect(Array(row.string(2).utf8) == Array(text.utf8))
                #expect(row.int(3) == tricky.count)
                #expect(row.bool(4) == true)
                for (position, element) in tricky.enumerated() {
                    let cell = try connection.query(
                        "SELECT a[$2::int] FROM b WHERE n = $1::bigint", [String(index), String(position + 1)]
                    ).first?.string(0)
                    #expect(cell.map { Array($0.utf8) } == Array(element.utf8))
                }
            }
            let extremes = try #require(
                try connection.query(
                    "SELECT n, i, s IS NULL, cardinality(a), u IS NULL FROM b WHERE n < 0"
                ).first)
            #expect(extremes.cells == [String(Int64.min), String(Int32.max), "t", "0", "t"])
            let inOrder = try connection.query(
                """
                SELECT count(*) FROM b
                 WHERE n >= 100 AND i = n AND s = 'row ' || n AND a = ARRAY['k:' || n] AND u IS NULL
                """
            ).first?.int(0)
            #expect(inOrder == 100_000)
        }
    }

    @Test(
        "a binary COPY refused by the server (a NUL byte in a text) or by the writer leaves nothing and the connection usable"
    )
    func refusedBinaryCopy() throws {
        try withTestDatabase { database in
            let connection = try database.connectAsOwner()
            try connection.execute("CREATE TABLE b (n bigint, s text)")
            let sql = "COPY b (n, s) FROM STDIN WITH (FORMAT binary)"
            let nul = #expect(throws: DatabaseError.self) {
                try connection.copyInBinary(sql, columns: 2) { writer in
                    for index in 0..<50_000 { try writer.write([.int64(Int64(index)), .text("row")]) }
                    try writer.write([.int64(-1), .utf8([0x61, 0x00, 0x62])])
                }
            }
            #expect(nul?.sqlState == "22021")
            #expect(throws: DatabaseError.self) {
                try connection.copyInBinary(sql, columns: 2) { writer in try writer.write([.int64(1)]) }
            }
            #expect(try connection.query("SELECT count(*) FROM b").first?.int(0) == 0)
            #expect(try connection.copyInBinary(sql, columns: 2) { try $0.write([.int64(7), .text("ok")]) } == 1)
        }
    }

    @Test("an aborted COPY leaves the connection usable")
    func abortedCopy() throws {
        try withTestDatabase { database in
            let connection = try database.connectAsOwner()
            try connection.execute("CREATE TABLE t (n int)")
            struct Stop: Error {}
            #expect(throws: Stop.self) {
                try connection.copyIn("COPY t FROM STDIN") { writer in
                    try writer.write(["1"])
                    throw Stop()
                }
            }
            #expect(try connection.query("SELECT count(*) FROM t").first?.int(0) == 0)
            // Stopped after several chunks were sent, one perhaps still in flight.
            #expect(throws: Stop.self) {
                try connection.copyIn("COPY t FROM STDIN") { writer in
                    for index in 0..<300_000 { try writer.write([String(index)]) }
                    throw Stop()
                }
            }
            #expect(try connection.query("SELECT count(*) FROM t").first?.int(0) == 0)
            let bad = #expect(throws: DatabaseError.self) {
                try connection.copyIn("COPY t FROM STDIN") { writer in try writer.write(["not a number"]) }
            }
            #expect(bad?.sqlState == "22P02")
            #expect(try connection.query("SELECT 1").first?.int(0) == 1)
        }
    }

    @Test("a COPY whose server goes away mid-stream fails with an error, chunks queued or not")
    func copyLosingItsServer() throws {
        try withTestDatabase { database in
            let connection = try database.connectAsOwner()
            let killer = try database.connectAsOwner()
            try connection.execute("CREATE TABLE t (n int, s text)")
            let pid = try connection.query("SELECT pg_backend_pid()").first?.int(0) ?? 0
            var rowsAfterKill = 0
            #expect(throws: DatabaseError.self) {
                try connection.copyIn("COPY t (n, s) FROM STDIN") { writer in
                    for index in 0..<50_000 { try writer.write([String(index), String(repeating: "x", count: 40)]) }
                    _ = try killer.query("SELECT pg_terminate_backend($1::int)", [String(pid)])
                    // The sender finds the socket closed on one of the next chunks; every send
                    // after that throws instead of queueing more.
                    for index in 0..<2_000_000 {
                        try writer.write([String(index), String(repeating: "y", count: 40)])
                        rowsAfterKill += 1
                    }
                }
            }
            #expect(rowsAfterKill < 2_000_000, "the writer went on sending to a closed connection")
            #expect(try killer.query("SELECT count(*) FROM t").first?.int(0) == 0)
        }
    }

    @Test("a failed statement in a transaction rolls it back and reports SQLSTATE")
    func failedStatementInTransaction() throws {
        try withTestDatabase { database in
            let connection = try database.connectAsOwner()
            try connection.execute("CREATE TABLE t (n int PRIMARY KEY)")
            let error = #expect(throws: DatabaseError.self) {
                try connection.transaction {
                    try connection.execute("INSERT INTO t VALUES (1)")
                    try connection.execute("INSERT INTO t VALUES (1)")
                }
            }
            #expect(error?.sqlState == "23505")
            #expect(error?.isUniqueViolation == true)
            #expect(!connection.inTransaction)
            #expect(try connection.query("SELECT count(*) FROM t").first?.int(0) == 0)
        }
    }

    @Test("an advisory lock held by another connection is refused until released")
    func advisoryLock() throws {
        try withTestDatabase { database in
            let first = try database.connect()
            let second = try database.connect()
            #expect(try first.tryAdvisoryLock(202_408))
            #expect(try !second.tryAdvisoryLock(202_408))
            #expect(try second.advisoryLockHolder(202_408) == (try first.backendProcessID()))
            try first.releaseAdvisoryLock(202_408)
            #expect(try second.tryAdvisoryLock(202_408))
        }
    }

    @Test("an unreachable server gives a clear error")
    func unreachable() {
        let error = #expect(throws: DatabaseError.self) {
            try Connection(url: "postgresql:///nope?host=/nonexistent-dir-settle")
        }
        #expect(error?.description.contains("nonexistent-dir-settle") == true)
    }
}

@Suite("Schema migrations")
struct MigrationTests {
    @Test("applied once, recorded, and a newer database is refused")
    func migrations() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connectAsOwner()
        #expect(try Migrator.migrate(connection) == Migrator.all.map(\.version))
        #expect(try Migrator.migrate(connection).isEmpty)
        #expect(try Migrator.currentVersion(connection) == Migrator.latestVersion)
        let recorded = try connection.query("SELECT count(*) FROM schema_migrations").first?.int(0)
        #expect(recorded == Migrator.all.count)
        try connection.execute("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from the future')")
        #expect(throws: MigrationError.self) { try Migrator.migrate(connection) }
    }
}
