import Foundation

/// A value one thread hands to another that waits for it: the waiting side gets the value, or the
/// error the giving side failed with. Given (or failed) once.
final class Handoff<Value>: @unchecked Sendable {
    private let ready = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: Result<Value, any Error>?

    /// Hands `value` over; a second hand-over is ignored.
    func give(_ value: Value) { settle(.success(value)) }

    /// Tells the waiting side that no value will come.
    func fail(_ error: any Error) { settle(.failure(error)) }

    /// Waits for the value; rethrows the giving side's error.
    func take() throws -> Value {
        ready.wait()
        defer { ready.signal() }
        guard let result = lock.withLock({ result }) else {
            preconditionFailure("a handoff was signalled without a value")
        }
        return try result.get()
    }

    private func settle(_ outcome: Result<Value, any Error>) {
        let first = lock.withLock {
            guard result == nil else { return false }
            result = outcome
            return true
        }
        if first { ready.signal() }
    }
}
