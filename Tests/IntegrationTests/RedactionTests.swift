import SettlementStore
import Testing

/// Passwords never appear in a message or a log, in any form libpq takes.
@Suite("Passwords redacted")
struct RedactionTests {
    @Test(
        "every URL form",
        arguments: [
            ("postgresql://app:s3cr%40t@db.example/settle", "postgresql://app:***@db.example/settle"),
            (
                "postgresql://app@db/settle?password=s3cret&sslmode=require",
                "postgresql://app@db/settle?password=***&sslmode=require"
            ),
            ("postgresql:///settle?host=/run/pg&PASSWORD=s3cret", "postgresql:///settle?host=/run/pg&PASSWORD=***"),
            ("host=db user=app password=s3cret dbname=settle", "host=db user=app password=*** dbname=settle"),
            ("host=db password = 's3 cr\\'et' dbname=settle", "host=db password = *** dbname=settle"),
        ])
    func forms(_ url: String, _ expected: String) {
        #expect(Connection.redacted(url) == expected)
        #expect(!Connection.redacted(url).contains("s3c"))
    }

    @Test("a connection error quoting the connection string does not show the password")
    func connectionError() {
        let url = "host=/nonexistent user=app password=topsecret dbname=x connect_timeout=oops"
        let error = #expect(throws: DatabaseError.self) { try Connection(url: url) }
        #expect(error.map { !"\($0)".contains("topsecret") } == true, "\(String(describing: error))")
        let malformed = "host=/nonexistent password=topsecret dbname"
        let second = #expect(throws: DatabaseError.self) { try Connection(url: malformed) }
        #expect(second.map { !"\($0)".contains("topsecret") } == true, "\(String(describing: second))")
    }
}
