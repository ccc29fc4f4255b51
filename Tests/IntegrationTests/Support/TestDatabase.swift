import Foundation
import SettlementStore
import Testing

/// A fresh database per test on the server named by `SETTLE_TEST_DATABASE_URL`, the owner role's
/// URL (Scripts/test.sh starts a throwaway embedded cluster and sets it to `settle db url --admin`).
/// The schema is migrated as the owner; `connect()` works as the application role, like `settle`.
/// An unreachable server fails the test; it is never skipped.
struct TestDatabase {
    let name: String
    let url: String
    let admin: Connection

    static var serverURL: String {
        get throws {
            guard let url = ProcessInfo.processInfo.environment["SETTLE_TEST_DATABASE_URL"], !url.isEmpty else {
                throw TestSetupError(
                    "SETTLE_TEST_DATABASE_URL is not set: run the tests through Scripts/test.sh, "
                        + "or start a cluster with `settle db start` and export its `settle db url`")
            }
            return url
        }
    }

    /// Creates an empty database with the schema migrated; with `icuLocale`, its default collation
    /// is that ICU locale's (as a managed server's database may be) instead of the cluster's C.
    static func make(migrated: Bool = true, icuLocale: String? = nil, encoding: String? = nil) throws -> TestDatabase {
        let server = try serverURL
        let admin = try Connection(url: server)
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        if let encoding {
            try admin.execute("CREATE DATABASE \(name) TEMPLATE template0 ENCODING '\(encoding)' LOCALE 'C'")
        } else if let icuLocale {
            try admin.execute(
                "CREATE DATABASE \(name) TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '\(icuLocale)' LOCALE 'C'")
        } else {
            try admin.execute("CREATE DATABASE \(name)")
        }
        let url = replacingDatabase(in: server, with: String(name))
        let database = TestDatabase(name: String(name), url: url, admin: admin)
        if migrated {
            let owner = try database.connectAsOwner()
            try Migrator.migrate(owner)
            try DatabaseRoles.grant(owner: owner)
        }
        return database
    }

    /// The application role's URL, as every stage of `settle` connects.
    var applicationURL: String {
        url.replacingOccurrences(of: "user=\(DatabaseRoles.owner)", with: "user=\(DatabaseRoles.application)")
    }

    func connect() throws -> Connection { try Connection(url: applicationURL) }

    /// The owner of the schema: may alter tables and disable triggers.
    func connectAsOwner() throws -> Connection { try Connection(url: url) }

    /// Drops the database (other sessions are ended first).
    func drop() {
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    static func replacingDatabase(in url: String, with name: String) -> String {
        // postgresql:///settle?host=… or postgresql://user@host:port/settle?…
        guard let schemeEnd = url.range(of: "://") else { return url }
        let afterScheme = url[schemeEnd.upperBound...]
        guard let slash = afterScheme.firstIndex(of: "/") else { return url + "/" + name }
        let rest = afterScheme[afterScheme.index(after: slash)...]
        let query = rest.firstIndex(of: "?").map { String(rest[$0...]) } ?? ""
        return String(url[..<afterScheme.index(after: slash)]) + name + query
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` with a fresh migrated database and drops it afterwards.
func withTestDatabase<T>(_ body: (TestDatabase) throws -> T) throws -> T {
    let database = try TestDatabase.make()
    defer { database.drop() }
    return try body(database)
}
