/// A second session that sees the database exactly as a transaction of another connection saw it
/// when the reader was opened (PostgreSQL's exported snapshot), so that a stage can read on one
/// session while it writes on the other — the two servers' processes at work at once.
///
/// What the reader sees: every row committed when it was opened, and nothing after; never the
/// owner's own uncommitted writes (a stage reads through it only what was committed before it
/// began: the bundle, the roster, earlier months' reviews). It may create temporary tables of its
/// own. It writes nothing else: its transaction is rolled back by `close()`, or by the server when
/// the process ends.
///
/// Failure: opening fails (and nothing is left open) when the owner has no transaction, the server
/// refuses a second session, or the snapshot cannot be imported; a statement's error is thrown to
/// the caller like any other, and the owner's transaction is untouched.
public final class SnapshotReader: @unchecked Sendable {
    /// The reader's session: use it from one thread at a time.
    public let connection: Connection

    /// Opens a reader of what `owner`'s open transaction sees now.
    public init(sharing owner: Connection) throws(DatabaseError) {
        let snapshot = try owner.queryRow("SELECT pg_export_snapshot() AS snapshot").text("snapshot")
        // An identifier such as 00000003-0000001B-1: bound parameters are not allowed here.
        guard !snapshot.isEmpty, snapshot.utf8.allSatisfy(SnapshotReader.isSnapshotByte) else {
            throw DatabaseError(message: "unexpected snapshot identifier \(snapshot)", context: "export snapshot")
        }
        let connection = try owner.sibling()
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        try connection.execute("SET TRANSACTION SNAPSHOT '\(snapshot)'")
        self.connection = connection
    }

    static func isSnapshotByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
            || byte == UInt8(ascii: "-")
    }

    /// Ends the reader's transaction, dropping its temporary tables.
    public func close() { connection.rollback() }
}
