import Logging
import SettlementStore

/// What the stages that review and pay work with: the database, the job configuration, the
/// yearly policies and calendars, and the logger.
public struct StageContext {
    public let connection: Connection
    public let configuration: SettleConfiguration
    public let policies: PolicyBook
    public let logger: Logger

    public init(connection: Connection, configuration: SettleConfiguration, policies: PolicyBook, logger: Logger) {
        self.connection = connection
        self.configuration = configuration
        self.policies = policies
        self.logger = logger
    }
}

/// A stage that works with a `StageContext`, and reads its parts by name.
protocol ContextualStage {
    var context: StageContext { get }
}

extension ContextualStage {
    var connection: Connection { context.connection }
    var configuration: SettleConfiguration { context.configuration }
    var policies: PolicyBook { context.policies }
    var logger: Logger { context.logger }
}
