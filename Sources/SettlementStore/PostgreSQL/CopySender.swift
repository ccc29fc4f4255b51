import Foundation

/// Sends a COPY's chunks on a thread of its own, so that the caller encodes the next chunks while
/// the earlier ones are being sent (`PQputCopyData` blocks while the server is busy with what it
/// has): client and server at work together instead of in turns.
///
/// Up to `depth` chunks wait to be sent, in order, so that a stretch where one side is slower
/// does not stall the other (with one chunk in flight, each waited for the other's slowest
/// moments). 32 chunks (8 MiB at ingest's 256 KiB) absorb the server's pauses — a new WAL segment
/// zeroed and synced, a relation extended a page at a time — during which eight (2 MiB) filled
/// up in ~30 ms and held the client back while the server then waited for it.
///
/// The sender owns the connection from the first `send` until `wait` returns: the caller touches
/// the connection only after `wait`, which rethrows the first send's error; once a send has
/// failed, the chunks after it are dropped and the next `send` throws.
final class CopySender: @unchecked Sendable {
    private let connection: Connection
    private let queue = DispatchQueue(label: "settle.copy-sender")
    private let group = DispatchGroup()
    private let slots: DispatchSemaphore
    private let lock = NSLock()
    /// The first send's error; guarded by `lock`.
    private var failure: (any Error)?

    init(connection: Connection, depth: Int = 32) {
        precondition(depth > 0, "at least one chunk in flight")
        self.connection = connection
        slots = DispatchSemaphore(value: depth)
    }

    /// Queues `bytes` to be sent and leaves in `bytes` an empty buffer of the same capacity to
    /// fill. Waits while `depth` chunks are waiting; throws the error of a send that failed before.
    func send(_ bytes: inout [UInt8]) throws {
        try rethrowFailure()
        slots.wait()
        var chunk: [UInt8] = []
        chunk.reserveCapacity(bytes.capacity)
        swap(&chunk, &bytes)
        let work = Chunk(bytes: chunk)
        group.enter()
        queue.async { [self] in
            defer {
                slots.signal()
                group.leave()
            }
            guard lock.withLock({ failure == nil }) else { return }
            do {
                try connection.sendCopyData(work.bytes)
            } catch {
                lock.withLock { failure = error }
            }
        }
    }

    /// Waits until every chunk queued is sent (or dropped after a failure) and rethrows the
    /// first send's error.
    func wait() throws {
        group.wait()
        try rethrowFailure()
    }

    private func rethrowFailure() throws {
        if let failure = lock.withLock({ failure }) { throw failure }
    }

    deinit { group.wait() }
}

/// A chunk handed to the sender's thread; the writer no longer holds its storage.
private struct Chunk: @unchecked Sendable {
    let bytes: [UInt8]
}
