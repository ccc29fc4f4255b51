import Foundation
import SettlementCore
import SettlementDigest

/// A file being written into a staging directory in pieces, hashed as it goes, so that an output
/// of any size needs only a small buffer. `finish()` flushes, syncs and renames it into its name.
final class StagedFile {
    let temporaryPath: String
    let finalPath: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private(set) var size = 0

    init(directory: String, name: String, private isPrivate: Bool) throws {
        temporaryPath = directory + "/." + name + ".tmp"
        finalPath = directory + "/" + name
        descriptor = open(
            temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, isPrivate ? 0o600 : 0o644)
        guard descriptor >= 0 else {
            throw OutputError("cannot create \(temporaryPath): \(String(cString: strerror(errno)))")
        }
        if isPrivate { fchmod(descriptor, 0o600) }
        buffer.reserveCapacity(1 << 18)
    }

    deinit { close(descriptor) }

    func write(_ text: String) throws { try write(Array(text.utf8)) }

    func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 18 { try flush() }
    }

    /// Lets `fill` append to the file's buffer directly.
    func write(_ fill: (inout [UInt8]) -> Void) throws {
        fill(&buffer)
        if buffer.count >= 1 << 18 { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        hasher.update(buffer)
        size += buffer.count
        var written = 0
        let failed = buffer.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let count = Foundation.write(descriptor, raw.baseAddress.map { $0 + written }, raw.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return true
                }
                written += count
            }
            return false
        }
        guard !failed else { throw OutputError("cannot write \(temporaryPath): \(String(cString: strerror(errno)))") }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the file; returns its SHA-256 and size.
    func finish() throws -> (sha256: String, bytes: Int) {
        try flush()
        guard fsync(descriptor) == 0 else { throw OutputError("cannot sync \(temporaryPath)") }
        guard rename(temporaryPath, finalPath) == 0 else {
            throw OutputError("cannot rename \(temporaryPath): \(String(cString: strerror(errno)))")
        }
        return (hasher.finalizeHex(), size)
    }
}
