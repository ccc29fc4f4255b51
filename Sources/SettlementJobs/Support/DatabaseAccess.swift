import Foundation
import SettlementStore

/// Where the database is: `--database`, else `DATABASE_URL`, else the configuration's
/// `database_url`, else the embedded cluster under the state directory.
///
/// Stages work through the application role (`DatabaseRoles.application`), which cannot alter a
/// table, disable a trigger or write the ledger's counters. Migrations run through the owner: for
/// the embedded cluster that is `settle_owner`; for an external server, `SETTLE_ADMIN_DATABASE_URL`
/// when set, else the working URL itself (then the working role owns the schema, which `settle`
/// reports as a warning).
public struct DatabaseAccess: Sendable {
    public let explicitURL: String?
    public let stateDirectory: String
    public let adminURL: String?

    public init(explicitURL: String?, stateDirectory: String, adminURL: String? = nil) {
        self.explicitURL = explicitURL
        self.stateDirectory = stateDirectory
        self.adminURL = adminURL ?? ProcessInfo.processInfo.environment["SETTLE_ADMIN_DATABASE_URL"]
    }

    public var cluster: EmbeddedCluster { EmbeddedCluster(stateDirectory: stateDirectory) }

    /// Opens a connection with the schema up to date. The embedded cluster is started on demand and
    /// stopped by `close()` when no other command uses it and `settle db start` did not start it.
    public func open() throws -> OpenDatabase {
        if let explicitURL {
            if let adminURL { try migrate(ownerURL: adminURL) }
            let connection = try connect(explicitURL)
            if adminURL == nil { try migrate(connection) }
            return OpenDatabase(connection: connection, lease: nil, warnings: try roleWarnings(connection))
        }
        let cluster = self.cluster
        let lease: ClusterLease
        do {
            lease = try cluster.acquire()
            try DatabaseAccess.prepareEmbedded(cluster)
        } catch let error as ClusterError {
            throw SettleError.usage("the embedded database cannot start: \(error)")
        }
        try migrate(ownerURL: cluster.url(role: DatabaseRoles.owner))
        return OpenDatabase(connection: try connect(cluster.url), lease: lease, warnings: [])
    }

    /// Creates the roles and hands the schema to the owner (idempotent).
    static func prepareEmbedded(_ cluster: EmbeddedCluster) throws {
        do {
            let superuser = try Connection(url: cluster.url(role: EmbeddedCluster.userName))
            try DatabaseRoles.prepare(superuser: superuser, database: EmbeddedCluster.databaseName)
        } catch let error as DatabaseError {
            throw SettleError.usage("the embedded database's roles cannot be set up: \(error)")
        }
    }

    func migrate(ownerURL: String) throws {
        try migrate(try connect(ownerURL))
    }

    func migrate(_ connection: Connection) throws {
        do {
            try Migrator.migrate(connection)
            try DatabaseRoles.grant(owner: connection)
        } catch let error as MigrationError {
            throw SettleError.usage(error.message)
        } catch let error as DatabaseError {
            throw SettleError.usage(
                "the schema cannot be brought up to date (\(error)); run once with the owner's URL in "
                    + "SETTLE_ADMIN_DATABASE_URL (see docs/operations/database.md)")
        }
    }

    func connect(_ url: String) throws -> Connection {
        let connection: Connection
        do {
            connection = try Connection(url: url)
        } catch {
            throw SettleError.usage("the database is unreachable: \(error)")
        }
        // SQL_ASCII would store any bytes unchecked and LATIN1 cannot hold a Chinese name.
        let encoding = try DatabaseRoles.serverEncoding(connection)
        guard encoding == "UTF8" else {
            throw SettleError.usage(
                "the database's encoding is \(encoding); settle needs UTF8 "
                    + "(CREATE DATABASE settle ENCODING 'UTF8' LOCALE 'C' TEMPLATE template0; docs/operations/database.md)"
            )
        }
        return connection
    }

    /// A working role that could bend the ledger's guards is worth a warning on every run.
    func roleWarnings(_ connection: Connection) throws -> [String] {
        guard let role = try DatabaseRoles.currentRole(connection) else { return [] }
        if role.isSuperuser {
            return [
                "the database role \(role.name) is a superuser: it can disable the ledger's guards; "
                    + "run settle as an application role (docs/operations/database.md)"
            ]
        }
        if role.ownsLedger {
            return [
                "the database role \(role.name) owns the ledger: it can disable its triggers; "
                    + "run settle as an application role (docs/operations/database.md)"
            ]
        }
        return []
    }
}

/// An open database; `close()` leaves the embedded cluster (stopping it when this was its last user).
public final class OpenDatabase {
    public let connection: Connection
    /// Things an operator should know about the connection (e.g. it runs as a superuser).
    public let warnings: [String]
    let lease: ClusterLease?

    init(connection: Connection, lease: ClusterLease?, warnings: [String]) {
        self.connection = connection
        self.lease = lease
        self.warnings = warnings
    }

    public func close() {
        lease?.release()
    }
}
