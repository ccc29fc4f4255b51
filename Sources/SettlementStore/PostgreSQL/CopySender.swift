import Dispatch

/// Sends a COPY's chunks on a thread of its own, so that the caller encodes the next chunk while
/// the previous one is being sent (`PQputCopyData` blocks while the server is busy with what it
/// has): client and server at work together instead of in turns.
///
/// One chunk is in flight at a time. The sender owns the connection from `send` until `wait`
/// returns: the caller touches the connection only after `wait`, which rethrows the send's error.
final class CopySender: @unchecked Sendable {
    private let connection: Connection
    private let queue = DispatchQueue(label: "settle.copy-sender")
    private let done = DispatchSemaphore(value: 0)
    private var inFlight = false
    private var failure: DatabaseError?
    /// The chunk being sent; its storage is handed back to the writer by `wait`.
    private var chunk: [UInt8] = []

    init(connection: Connection) {
        self.connection = connection
    }

    /// Sends `bytes` on the sender's thread and returns an emptied buffer (the one sent before, its
    /// capacity kept) for the caller to fill. Waits for the chunk before, rethrowing its error.
    func send(_ bytes: inout [UInt8]) throws(DatabaseError) {
        try wait()
        swap(&chunk, &bytes)
        bytes.removeAll(keepingCapacity: true)
        inFlight = true
        queue.async { [self] in
            do throws(DatabaseError) {
                try connection.sendCopyData(chunk)
            } catch {
                failure = error
            }
            done.signal()
        }
    }

    /// Waits for the chunk in flight, if any, and rethrows its error.
    func wait() throws(DatabaseError) {
        guard inFlight else { return }
        done.wait()
        inFlight = false
        if let failure {
            self.failure = nil
            throw failure
        }
    }

    deinit {
        if inFlight { done.wait() }
    }
}
