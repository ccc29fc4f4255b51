import ArgumentParser
import Foundation
import SettlementJobs
import SettlementStore

/// Options every subcommand accepts after its name.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .customLong("database"),
        help: "PostgreSQL URL (else DATABASE_URL, else the configuration, else the embedded database).")
    var databaseURL: String?

    @Option(
        name: .customLong("state-dir"),
        help: "Directory of the embedded cluster and run state (else SETTLE_STATE_DIR, else .settle/).")
    var stateDirectory: String?

    @Option(name: .customLong("config"), help: "Job configuration (else Jobs/settlement.toml).")
    var configPath: String?

    @Option(name: .customLong("log-format"), help: "text or json (default: text on a terminal, json otherwise).")
    var logFormat: String?

    @Option(
        name: .customLong("by"), help: "The operator recorded on the run (else SETTLE_OPERATOR, else the login name).")
    var operatorName: String?

    /// The operator: `--by`, else `SETTLE_OPERATOR`, else the login name.
    var resolvedOperator: String? {
        let environment = ProcessInfo.processInfo.environment
        return [operatorName, environment["SETTLE_OPERATOR"], environment["USER"], environment["LOGNAME"]]
            .compactMap { $0 }.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    func validate() throws {
        if let logFormat, LogFormat(rawValue: logFormat) == nil {
            throw ValidationError("--log-format must be text or json")
        }
    }

    var resolvedStateDirectory: String {
        let path = stateDirectory ?? ProcessInfo.processInfo.environment["SETTLE_STATE_DIR"] ?? ".settle"
        return Paths.absolute(path)
    }

    /// `--config`, else `SETTLE_CONFIG`, else `./Jobs/settlement.toml`, else `/etc/settle/settlement.toml`,
    /// else the defaults.
    func loadConfiguration() throws -> SettleConfiguration {
        if let configPath { return try SettleConfiguration.load(path: Paths.absolute(configPath)) }
        if let variable = ProcessInfo.processInfo.environment["SETTLE_CONFIG"], !variable.isEmpty {
            return try SettleConfiguration.load(path: Paths.absolute(variable))
        }
        for candidate in [Paths.absolute("Jobs/settlement.toml"), "/etc/settle/settlement.toml"]
        where FileManager.default.fileExists(atPath: candidate) {
            return try SettleConfiguration.load(path: candidate)
        }
        return SettleConfiguration.defaults(base: FileManager.default.currentDirectoryPath)
    }

    func databaseAccess(_ configuration: SettleConfiguration?) -> DatabaseAccess {
        let url =
            databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? configuration?.databaseURL
        return DatabaseAccess(explicitURL: url, stateDirectory: resolvedStateDirectory)
    }

    func bootstrapLogging() {
        if let operatorName { setenv("SETTLE_OPERATOR", operatorName, 1) }
        SettleLog.bootstrap(format: logFormat.flatMap(LogFormat.init(rawValue:)) ?? .automatic)
    }
}

enum Paths {
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return (path as NSString).standardizingPath }
        let joined = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return (joined as NSString).standardizingPath
    }
}

/// Runs a command body and turns its errors into the exit codes of the spec.
enum Exit {
    static func guarding(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as SettleError {
            printError(error.message)
            throw ExitCode(error.exitCode)
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            if let database = error as? DatabaseError, let conflict = SettleError(concurrentChange: database) {
                printError(conflict.message)
                throw ExitCode(conflict.exitCode)
            }
            printError("unexpected failure: \(error)")
            throw ExitCode(1)
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data(("settle: " + message + "\n").utf8))
    }
}
