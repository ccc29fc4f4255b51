import Foundation
import SettlementStore

/// Where the database is: `--database`, else `DATABASE_URL`, else the configuration's
/// `database_url`, else the embedded cluster under the state directory.
public struct DatabaseAccess: Sendable {
    public let explicitURL: String?
    public let stateDirectory: String

    public init(explicitURL: String?, stateDirectory: String) {
        self.explicitURL = explicitURL
        self.stateDirectory = stateDirectory
    }

    public var cluster: EmbeddedCluster { EmbeddedCluster(stateDirectory: stateDirectory) }

    /// Opens a connection with the schema up to date. The embedded cluster is started on demand
    /// and stopped by `close()` unless `settle db start` started it.
    public func open() throws -> OpenDatabase {
        if let explicitURL {
            return OpenDatabase(connection: try connect(explicitURL), startedCluster: nil)
        }
        let cluster = self.cluster
        let started: Bool
        do {
            started = try cluster.start()
        } catch let error as ClusterError {
            throw SettleError.usage("the embedded database cannot start: \(error)")
        }
        let database = OpenDatabase(connection: try connect(cluster.url), startedCluster: started ? cluster : nil)
        return database
    }

    func connect(_ url: String) throws -> Connection {
        let connection: Connection
        do {
            connection = try Connection(url: url)
        } catch {
            throw SettleError.usage("the database is unreachable: \(error)")
        }
        do {
            try Migrator.migrate(connection)
        } catch let error as MigrationError {
            throw SettleError.usage(error.message)
        }
        return connection
    }
}

/// An open database; `close()` stops an embedded cluster this command started.
public final class OpenDatabase {
    public let connection: Connection
    let startedCluster: EmbeddedCluster?

    init(connection: Connection, startedCluster: EmbeddedCluster?) {
        self.connection = connection
        self.startedCluster = startedCluster
    }

    public func close() {
        if let startedCluster, !startedCluster.keepsRunning {
            try? startedCluster.stop()
        }
    }
}
