/// Sends a COPY's chunks on a thread of its own, so that the caller encodes the next chunk while
/// the previous one is being sent (`PQputCopyData` blocks while the server is busy with what it
/// has): client and server at work together instead of in turns.
///
/// One chunk is in flight at a time. The sender owns the connection from `send` until `wait`
/// returns: the caller touches the connection only after `wait`, which rethrows the send's error.
final class CopySender {
    private let connection: Connection
    private let job = BackgroundJob()
    /// The chunk being sent; its storage is handed back to the writer by the next `send`.
    private var chunk: [UInt8] = []

    init(connection: Connection) {
        self.connection = connection
    }

    /// Sends `bytes` on the sender's thread and leaves in `bytes` an emptied buffer (the one sent
    /// before, its capacity kept) to fill. Waits for the chunk before, rethrowing its error.
    func send(_ bytes: inout [UInt8]) throws {
        try job.wait()
        swap(&chunk, &bytes)
        bytes.removeAll(keepingCapacity: true)
        job.start { [self] in try connection.sendCopyData(chunk) }
    }

    /// Waits for the chunk in flight, if any, and rethrows its error.
    func wait() throws { try job.wait() }
}
