import ArgumentParser
import Foundation
import SettlementJobs
import SettlementStore

/// `settle db start|stop|status|url`: the embedded database.
struct Database: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the embedded PostgreSQL cluster under the state directory.",
        subcommands: [Start.self, Stop.self, DatabaseStatus.self, URLCommand.self]
    )

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create (on first use) and start the embedded cluster; it keeps running until `settle db stop`.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Exit.guarding {
                let cluster = EmbeddedCluster(stateDirectory: global.resolvedStateDirectory)
                do {
                    let started = try cluster.start(keepRunning: true)
                    let access = DatabaseAccess(explicitURL: nil, stateDirectory: global.resolvedStateDirectory)
                    try access.open().close()
                    print(
                        started
                            ? "started the embedded database at \(cluster.dataDirectory)"
                            : "the embedded database is already running")
                } catch let error as ClusterError {
                    throw SettleError.usage("the embedded database cannot start: \(error)")
                }
            }
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded cluster.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try Exit.guarding {
                let cluster = EmbeddedCluster(stateDirectory: global.resolvedStateDirectory)
                let outcome: EmbeddedCluster.StopOutcome
                do {
                    outcome = try cluster.stop()
                } catch let error as ClusterError {
                    throw SettleError.usage("the embedded database cannot stop: \(error)")
                }
                switch outcome {
                case .stopped: print("stopped the embedded database")
                case .notRunning: print("the embedded database is not running")
                case .inUse:
                    print("the embedded database is in use by another command; it stops when that command ends")
                }
            }
        }
    }

    struct DatabaseStatus: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Say whether the embedded cluster exists and runs (starts nothing).")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let cluster = EmbeddedCluster(stateDirectory: global.resolvedStateDirectory)
            switch cluster.state() {
            case .absent: print("embedded database: stopped (not created yet; \(cluster.dataDirectory))")
            case .stopped: print("embedded database: stopped (\(cluster.dataDirectory))")
            case .running:
                print("embedded database: running (\(cluster.dataDirectory), socket \(cluster.socketDirectory))")
            }
        }
    }

    struct URLCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url",
            abstract: "Print the embedded cluster's libpq URL (the application role settle works as).")
        @Flag(help: "The owner role's URL instead (migrations, maintenance): it can alter the schema.")
        var admin = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let cluster = EmbeddedCluster(stateDirectory: global.resolvedStateDirectory)
            print(admin ? cluster.url(role: DatabaseRoles.owner) : cluster.url)
        }
    }
}
