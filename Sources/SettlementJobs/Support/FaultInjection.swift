import Foundation

/// Test hooks that end the process at a named point, as a power cut would: `SETTLE_FAULT=NAME`
/// makes `point(NAME)` exit at once (status 86, no clean-up, no buffered output flushed). Used by
/// the recovery tests; harmless when the variable is not set.
///
/// Points: `after-commit` (a stage's transaction committed, its outputs not yet renamed into
/// place), `after-publish` (renamed, not yet marked published).
public enum FaultInjection {
    static let armed = ProcessInfo.processInfo.environment["SETTLE_FAULT"]

    public static func point(_ name: String) {
        if armed == name { _exit(86) }
    }
}
