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
                    let access = DatabaseAccess(explicitURL: cluster.url, stateDirectory: global.resolvedStateDirectory)
                    _ = try access.open()
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
                let wasRunning = cluster.state() == .running
                do {
                    try cluster.stop()
                } catch let error as ClusterError {
                    throw SettleError.usage("the embedded database cannot stop: \(error)")
                }
                print(wasRunning ? "stopped the embedded database" : "the embedded database is not running")
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
            commandName: "url", abstract: "Print the embedded cluster's libpq URL.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            print(EmbeddedCluster(stateDirectory: global.resolvedStateDirectory).url)
        }
    }
}
