import Foundation

/// One job at a time on another thread, so that the client computes while the database works
/// (client and server at work together instead of in turns): a stage reviews the next page while
/// the previous one is stored, a COPY encodes the next chunk while the previous one is sent.
///
/// The job owns what it touches until `wait()` returns — the caller must not use the connection
/// in between; `wait()` rethrows the job's error. A job not waited for is waited for on deinit.
public final class BackgroundJob: @unchecked Sendable {
    private let group = DispatchGroup()
    /// A queue of its own: one job at a time, on the same thread from job to job.
    private let queue = DispatchQueue(label: "settle.background-job")
    private var failure: (any Error)?
    private var running = false

    public init() {}

    /// Starts `job`; the previous one must have been waited for.
    public func start(_ job: @escaping () throws -> Void) {
        precondition(!running, "a background job is still running")
        running = true
        group.enter()
        let work = UncheckedJob(run: job)
        queue.async { [self] in
            do {
                try work.run()
            } catch {
                failure = error
            }
            group.leave()
        }
    }

    /// Waits for the running job, if any, and rethrows its error.
    public func wait() throws {
        guard running else { return }
        group.wait()
        running = false
        if let failure {
            self.failure = nil
            throw failure
        }
    }

    deinit {
        if running { group.wait() }
    }
}

/// A job handed to another thread; `BackgroundJob` guarantees that nothing it touches is used
/// by the caller until it has finished.
private struct UncheckedJob: @unchecked Sendable {
    let run: () throws -> Void
}

/// What a `BackgroundJob` produces for its starter — the next page read ahead, say: the job sets
/// `value`, the starter reads it once `wait()` has returned (the wait orders the two).
public final class JobOutput<Value>: @unchecked Sendable {
    public var value: Value

    public init(_ initial: Value) { value = initial }
}
