#if canImport(Glibc)
    import Glibc
#endif

/// A review's ledger entries on their way to the ledger (台账): written page by page as the rows of
/// one `COPY ledger_entries` (`Ledger.spool`) to an anonymous temporary file, and appended in one
/// statement once the batch is decided (`Ledger.append(_:)`), so that the ledger's checks run once
/// over the whole batch. Memory holds one page's rows at a time.
///
/// The file comes from `tmpfile` in the system's temporary directory (`O_TMPFILE` where the file
/// system has it, else created exclusively under a random name and unlinked at once: no path
/// to plant a link at; gone when it is closed or the process ends; ~100 bytes an entry). It
/// holds what the run's transaction writes anyway; if the run fails, nothing of it reached the
/// ledger. Used by one job at a time: the review's storing job, then the review once it has
/// waited for that job.
public final class LedgerSpool: @unchecked Sendable {
    private let file: UnsafeMutablePointer<FILE>
    /// The rows spooled.
    public private(set) var rows = 0

    public init() throws(DatabaseError) {
        guard let file = tmpfile() else {
            throw DatabaseError(
                message: "no temporary file for the ledger's entries: \(LedgerSpool.systemError())",
                context: "spool ledger entries")
        }
        self.file = file
    }

    deinit { fclose(file) }

    func append(_ encoded: EncodedCopy) throws(DatabaseError) {
        for chunk in encoded.chunks {
            let written = chunk.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            guard written == chunk.count else {
                throw DatabaseError(
                    message: "the ledger's entries cannot be spooled: \(LedgerSpool.systemError())",
                    context: "spool ledger entries")
            }
        }
        rows += encoded.rows
    }

    /// From the start, the bytes spooled, in chunks of up to 256 KiB, then nil.
    func chunks() throws(DatabaseError) -> () throws -> [UInt8]? {
        guard fflush(file) == 0, fseek(file, 0, SEEK_SET) == 0 else {
            throw DatabaseError(
                message: "the ledger's spooled entries cannot be read back: \(LedgerSpool.systemError())",
                context: "append spooled ledger entries")
        }
        let file = file
        return {
            var chunk = [UInt8](repeating: 0, count: 1 << 18)
            let read = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if read == 0 {
                guard ferror(file) == 0 else {
                    throw DatabaseError(
                        message: "the ledger's spooled entries cannot be read back: \(LedgerSpool.systemError())",
                        context: "append spooled ledger entries")
                }
                return nil
            }
            chunk.removeLast(chunk.count - read)
            return chunk
        }
    }

    private static func systemError() -> String { String(cString: strerror(errno)) }
}
