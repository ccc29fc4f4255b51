import SettlementDigest
import SettlementStore

/// The SHA-256 and size of a bundle's data files, read on a thread of their own while the bundle
/// loads (the load reads every line on the main thread, which sets ingest's pace; the files'
/// hashes cost ~0.5 s at 200,000 requests). Asked for only when needed: before the load when the
/// month already has a bundle (is this the same one?), else at the end of the load, where the
/// bundle's fingerprint, its files and the run's inputs are recorded in the same transaction.
final class BundleFileHashes: @unchecked Sendable {
    private let job = BackgroundJob()
    /// Written by the job, read once it has been waited for.
    private var hashes: [String: IngestStage.FileHash]?

    /// Starts hashing the data files of the bundle in `directory` (objections and attachments are
    /// not part of the bundle's identity: objections arrive later, during publicity).
    init(directory: String) {
        job.start { [self] in
            var hashed: [String: IngestStage.FileHash] = [:]
            for name in IngestStage.requiredFiles {
                hashed[name] = try IngestStage.hash(path: directory + "/" + name)
            }
            hashes = hashed
        }
    }

    /// The files' hashes by name; waits for them, and throws what reading a file threw.
    func value() throws -> [String: IngestStage.FileHash] {
        try job.wait()
        guard let hashes else { throw SettleError(.unexpected, "the bundle's files were not hashed") }
        return hashes
    }

    /// The bundle's identity: every data file's hash and the encoding it was read in.
    static func fingerprint(_ hashes: [String: IngestStage.FileHash], encoding: BundleEncoding) -> String {
        SHA256.hex(
            Array(
                (hashes.keys.sorted().map { "\($0)=\(hashes[$0]?.sha256 ?? "")" }.joined(separator: "\n") + "|"
                    + encoding.rawValue).utf8))
    }
}
