import Foundation
import SettlementCore
import SettlementDigest

/// One run's output directory, `<out>/<YYYY-MM>/<kind>-<NN>/`. Files are written into a staging
/// directory beside it — each to a temporary name, flushed, then renamed — and the staging
/// directory is renamed into place only after the database transaction committed. Nothing is
/// ever overwritten; files naming bank accounts get mode 0600.
public final class OutputDirectory {
    public let finalPath: String
    let stagingPath: String
    /// Every file written, with its SHA-256 and size. Files may be written from two threads at
    /// once (a workbook beside the notices); the record is kept under a lock.
    public var files: [String: (sha256: String, bytes: Int)] { lock.withLock { recorded } }
    private var recorded: [String: (sha256: String, bytes: Int)] = [:]
    private let lock = NSLock()

    private func record(_ name: String, _ file: (sha256: String, bytes: Int)) {
        lock.withLock { recorded[name] = file }
    }

    public init(out: String, month: BatchMonth, name: String, runID: Int64) throws {
        let monthDirectory = out + "/" + month.description
        finalPath = monthDirectory + "/" + name
        stagingPath = monthDirectory + "/." + name + ".partial-\(runID)"
        // Never follow a link we did not create: the month directory must be a real directory (made
        // here if missing), and nothing — not even a dangling link — may stand at the final name.
        try OutputDirectory.makeRealDirectory(out, createParents: true)
        try OutputDirectory.makeRealDirectory(monthDirectory, createParents: false)
        var status = stat()
        guard lstat(finalPath, &status) != 0 else {
            if (status.st_mode & S_IFMT) == S_IFLNK {
                throw SettleError.usage("\(finalPath) is a symbolic link; outputs are never written through one")
            }
            throw SettleError.refused("\(finalPath) already exists; outputs are never overwritten")
        }
        if lstat(stagingPath, &status) == 0 {
            // A staging directory of this very run id can only be a leftover (or a planted link).
            guard unlink(stagingPath) == 0 || (try? FileManager.default.removeItem(atPath: stagingPath)) != nil else {
                throw OutputError("cannot remove \(stagingPath)")
            }
        }
        guard mkdir(stagingPath, 0o755) == 0 else {
            throw OutputError("cannot create \(stagingPath): \(String(cString: strerror(errno)))")
        }
    }

    /// Makes `path` a directory (mkdir does not follow a link at the last component), or checks
    /// that it is one and not a symbolic link; a link refuses the run (exit 2) naming it.
    static func makeRealDirectory(_ path: String, createParents: Bool) throws {
        var status = stat()
        if lstat(path, &status) == 0 {
            if (status.st_mode & S_IFMT) == S_IFLNK {
                if createParents {
                    // The configured output root may be a link an operator made; follow that one only.
                    var target = stat()
                    if stat(path, &target) == 0, (target.st_mode & S_IFMT) == S_IFDIR { return }
                }
                throw SettleError.usage("\(path) is a symbolic link; outputs are never written through one")
            }
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                throw SettleError.usage("\(path) is not a directory")
            }
            return
        }
        if createParents {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } else if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw OutputError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes one file atomically inside the staging directory.
    public func write(_ name: String, _ bytes: [UInt8], private isPrivate: Bool = false) throws {
        let temporary = stagingPath + "/." + name + ".tmp"
        let target = stagingPath + "/" + name
        let descriptor = open(
            temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, isPrivate ? 0o600 : 0o644)
        guard descriptor >= 0 else {
            throw OutputError("cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        var written = 0
        let result: Int32 = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let count = Foundation.write(descriptor, raw.baseAddress.map { $0 + written }, raw.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return -1
                }
                written += count
            }
            return fsync(descriptor)
        }
        close(descriptor)
        guard result == 0 else { throw OutputError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        if isPrivate { chmod(temporary, 0o600) }
        guard rename(temporary, target) == 0 else {
            throw OutputError("cannot rename \(temporary): \(String(cString: strerror(errno)))")
        }
        record(name, (SHA256.hex(bytes), bytes.count))
    }

    /// Writes one file in pieces through `body`, without holding it in memory.
    func stream<Value>(_ name: String, private isPrivate: Bool = false, _ body: (StagedFile) throws -> Value) throws
        -> Value
    {
        let file = try StagedFile(directory: stagingPath, name: name, private: isPrivate)
        let value = try body(file)
        record(name, try file.finish())
        return value
    }

    /// Lets `produce` write a file at a temporary path (e.g. libxml2's writer), then checks,
    /// flushes and renames it like `write`.
    func produce(_ name: String, private isPrivate: Bool = false, _ produce: (String) throws -> Void) throws {
        let temporary = stagingPath + "/." + name + ".tmp"
        if isPrivate {
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard descriptor >= 0 else { throw OutputError("cannot create \(temporary)") }
            close(descriptor)
        }
        try produce(temporary)
        let descriptor = open(temporary, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw OutputError("\(temporary) was not written") }
        fsync(descriptor)
        close(descriptor)
        if isPrivate { chmod(temporary, 0o600) }
        let hash = try IngestStage.hash(path: temporary)
        guard rename(temporary, stagingPath + "/" + name) == 0 else { throw OutputError("cannot rename \(temporary)") }
        record(name, (hash.sha256, Int(hash.bytes)))
    }

    /// The path a file has while staged (to read it back before the commit).
    func stagedPath(_ name: String) -> String { stagingPath + "/" + name }

    public func write(_ name: String, text: String, private isPrivate: Bool = false) throws {
        try write(name, Array(text.utf8), private: isPrivate)
    }

    /// Renames the staging directory into place (after the commit).
    public func publish() throws {
        guard rename(stagingPath, finalPath) == 0 else {
            throw OutputError("cannot publish \(finalPath): \(String(cString: strerror(errno)))")
        }
        if let directory = open((finalPath as NSString).deletingLastPathComponent, O_RDONLY) as Int32?, directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    /// Removes the staging directory (the transaction rolled back, or this was a dry run).
    public func discard() {
        try? FileManager.default.removeItem(atPath: stagingPath)
    }

    /// Moves the staged files to a fresh directory under /tmp (dry runs) and returns it.
    public func moveForDryRun() throws -> String {
        OutputDirectory.removeStaleDryRuns()
        // A fresh directory of our own (mkdtemp), never a predictable name another user could plant.
        var template = Array((NSTemporaryDirectory() + "settle-dry-run-XXXXXX").utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap(mkdtemp) })
        else {
            throw OutputError("cannot create a temporary directory for the dry run")
        }
        let target = String(cString: created) + "/" + (finalPath as NSString).lastPathComponent
        try FileManager.default.moveItem(atPath: stagingPath, toPath: target)
        return target
    }
}

extension OutputDirectory {
    /// How long a dry run's files stay in the temporary directory for the operator to look at.
    static let dryRunRetention: TimeInterval = 24 * 3_600

    /// Removes this user's dry-run directories older than `dryRunRetention` (a dry run killed
    /// half-way leaves one too); called by every dry run.
    static func removeStaleDryRuns(now: Date = Date()) {
        let temporary = NSTemporaryDirectory()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        for name in names where name.hasPrefix("settle-dry-run-") {
            let path = temporary + "/" + name
            var status = stat()
            guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR, status.st_uid == getuid(),
                now.timeIntervalSince1970 - TimeInterval(status.st_mtim.tv_sec) > dryRunRetention
            else { continue }
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}

public struct OutputError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
