import Foundation
import Logging
import SettlementJobs
import SettlementStore

/// What a command needs: the configuration, an open database (started on demand and stopped
/// afterwards when embedded) and a logger.
struct CommandContext {
    let configuration: SettleConfiguration
    let connection: Connection
    let logger: Logger

    func policies() throws -> PolicyBook {
        try PolicyBook.load(
            policyDirectory: configuration.policyDirectory, calendarDirectory: configuration.calendarDirectory)
    }

    func stageContext() throws -> StageContext {
        StageContext(connection: connection, configuration: configuration, policies: try policies(), logger: logger)
    }

    static func run(_ global: GlobalOptions, _ body: (CommandContext) throws -> Void) throws {
        try Exit.guarding {
            global.bootstrapLogging()
            let configuration = try global.loadConfiguration()
            let database = try global.databaseAccess(configuration).open()
            defer { database.close() }
            let context = CommandContext(
                configuration: configuration, connection: database.connection, logger: Logger(label: "settle"))
            for warning in database.warnings { context.logger.warning("\(warning)") }
            // Publishing is part of recovery: whatever a killed run committed is published first.
            for action in try OutputRecovery.recoverAll(database.connection, out: configuration.out) {
                context.logger.warning("recovery: \(action)")
            }
            try body(context)
        }
    }
}
