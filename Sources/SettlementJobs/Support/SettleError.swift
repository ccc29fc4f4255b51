import SettlementStore

/// An error that ends a command with one of the exit codes listed in README.md, with a
/// typed cause where a caller decides on it (never on the message's text).
public struct SettleError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Int32, Sendable {
        /// Unexpected failure (details logged).
        case unexpected = 1
        /// Usage or configuration error: bad flag, bad policy, unreachable database.
        case usage = 2
        /// Input refused as a whole: unreadable bundle, wrong encoding, missing required file.
        case inputRefused = 3
        /// Another run holds the batch's lock, or changed the same rows at the same moment (the
        /// database stopped this one): run it again.
        case lockHeld = 4
        /// Refused: the batch is already reviewed/disbursed (use rerun), or not yet due.
        case refused = 5
    }

    /// Why a command refused, where a caller acts on the reason (`settle cycle` skips a batch
    /// with nothing new to pay).
    public enum Cause: Sendable, Equatable {
        /// A later disbursement of a batch found nothing owed it could pay or release.
        case nothingNew
    }

    public let kind: Kind
    public let cause: Cause?
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.cause = nil
        self.message = message
    }

    public init(_ cause: Cause, _ message: String) {
        switch cause {
        case .nothingNew: self.kind = .refused
        }
        self.cause = cause
        self.message = message
    }

    /// A run the database stopped because another run changed the same rows at the same moment
    /// (e.g. an operator's `reconcile` and the cron cycle's review updating the same accounts'
    /// counters): its transaction was rolled back whole, and running it again is the remedy. Exit
    /// 4, as when another run holds the batch's lock. Nil for any other database error.
    public init?(concurrentChange error: DatabaseError) {
        guard error.isConcurrentChange else { return nil }
        self.init(
            .lockHeld,
            "another run changed the same rows at the same moment and the database stopped this one "
                + "(\(error.message)); nothing of it was kept — run it again")
    }

    public var exitCode: Int32 { kind.rawValue }
    public var description: String { message }

    public static func usage(_ message: String) -> SettleError { SettleError(.usage, message) }
    public static func inputRefused(_ message: String) -> SettleError { SettleError(.inputRefused, message) }
    public static func refused(_ message: String) -> SettleError { SettleError(.refused, message) }
}
