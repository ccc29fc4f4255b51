/// A failure reported by PostgreSQL or libpq: the server's message, its SQLSTATE and what was being done.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// The five-character SQLSTATE (e.g. `23505` unique violation), empty for client-side failures.
    public let sqlState: String
    public let message: String
    public let detail: String?
    /// What the program was doing, e.g. the first line of the statement.
    public let context: String

    public init(sqlState: String = "", message: String, detail: String? = nil, context: String) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.context = context
    }

    public var description: String {
        var text = message
        if !sqlState.isEmpty { text += " (SQLSTATE \(sqlState))" }
        if let detail, !detail.isEmpty { text += " — \(detail)" }
        if !context.isEmpty { text += " [while: \(context)]" }
        return text
    }

    /// A unique, check, foreign-key or exclusion constraint refused the change.
    public var isConstraintViolation: Bool { sqlState.hasPrefix("23") }
    /// A `RAISE` from a trigger or function with a check_violation code counts as one too.
    public var isCheckViolation: Bool { sqlState == "23514" }
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// The server stopped the transaction because another one changed the same rows at the same
    /// moment (a deadlock, or a serialization failure); run again, it may well pass.
    public var isConcurrentChange: Bool { sqlState == "40P01" || sqlState == "40001" }
}
