import Foundation
import SettlementJobs
import SettlementStore
import Testing

/// Two runs that change the same rows in opposite order deadlock; PostgreSQL stops one. That run
/// must end with "run it again" (exit 4), not an unexpected failure.
@Suite("A run stopped by another's change at the same moment")
struct ConcurrentChangeTests {
    @Test("a real deadlock comes back as a DatabaseError that says: run it again, exit 4")
    func deadlock() throws {
        try withTestDatabase { database in
            let first = try database.connectAsOwner()
            let second = try database.connectAsOwner()
            try first.execute("CREATE TABLE counters (id integer PRIMARY KEY, n integer NOT NULL)")
            try first.execute("INSERT INTO counters VALUES (1, 0), (2, 0)")
            try first.begin()
            try second.begin()
            try first.execute("UPDATE counters SET n = n + 1 WHERE id = 1")
            try second.execute("UPDATE counters SET n = n + 1 WHERE id = 2")
            // The first waits for the second's row 2; the second then waits for row 1.
            let waiting = BackgroundJob()
            waiting.start { try first.execute("UPDATE counters SET n = n + 1 WHERE id = 2") }
            Thread.sleep(forTimeInterval: 0.3)
            var errors: [any Error] = []
            do { try second.execute("UPDATE counters SET n = n + 1 WHERE id = 1") } catch { errors.append(error) }
            do { try waiting.wait() } catch { errors.append(error) }
            first.rollback()
            second.rollback()
            #expect(errors.count == 1, "one of the two is stopped: \(errors)")
            let stopped = try #require(errors.first as? DatabaseError)
            #expect(stopped.sqlState == "40P01")
            let conflict = try #require(SettleError(concurrentChange: stopped))
            #expect(conflict.exitCode == 4)
            #expect(conflict.message.contains("run it again"))
            // Any other database error is not one.
            #expect(SettleError(concurrentChange: DatabaseError(sqlState: "23505", message: "x", context: "")) == nil)
        }
    }
}
