import Foundation
import SettlementCore
import SettlementDigest

/// Content verification (`--verify-attachments`): every descriptor's `path` must exist inside the
/// bundle and match its size, SHA-256 and the magic bytes of its type.
struct AttachmentVerifier {
    let bundleDirectory: String

    static let magic: [String: [UInt8]] = [
        "pdf": Array("%PDF-".utf8),
        "jpg": [0xFF, 0xD8, 0xFF],
        "jpeg": [0xFF, 0xD8, 0xFF],
        "png": [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
    ]

    /// One problem per attachment that does not match, e.g. `contracts[0].file: size 10 ≠ 12`.
    func problems(of request: RedemptionRequest) -> [String] {
        request.attachments.compactMap { entry in
            problem(entry.file).map { "\(entry.path) (\(entry.file.name)): \($0)" }
        }
    }

    /// Reading stops past this many bytes (a little over the largest file the rules allow).
    static let readLimit: Int64 = 64 * 1_024 * 1_024

    func problem(_ file: FileDescriptor) -> String? {
        guard let relative = file.path, !relative.isEmpty else { return "no path to verify" }
        let descriptor: Int32
        let actualSize: Int64
        switch SafeFile.openRegular(below: bundleDirectory, relative: relative) {
        case .success(let opened): (descriptor, actualSize) = opened
        case .failure(let error): return error.description
        }
        defer { close(descriptor) }
        var found: [String] = []
        var head: [UInt8] = []
        if actualSize != file.size {
            // The contents differ whatever they are; only the head is read, for the magic bytes.
            found.append("size \(actualSize) ≠ declared \(file.size)")
            found.append("SHA-256 differs from the descriptor")
            var buffer = [UInt8](repeating: 0, count: 16)
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 16) }
            if count > 0 { head = Array(buffer[0..<count]) }
        } else if actualSize > AttachmentVerifier.readLimit {
            found.append("larger than \(AttachmentVerifier.readLimit) bytes: not read")
        } else {
            // Read no more than the size found at open, whatever the file does meanwhile.
            let limit = min(actualSize, AttachmentVerifier.readLimit)
            var hasher = SHA256()
            var size: Int64 = 0
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while size < limit {
                let wanted = Int(min(Int64(buffer.count), limit - size))
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                if head.count < 16 { head.append(contentsOf: buffer[0..<min(count, 16 - head.count)]) }
                hasher.update(Array(buffer[0..<count]))
                size += Int64(count)
            }
            if size != actualSize || hasher.finalizeHex() != file.sha256.lowercased() {
                found.append("SHA-256 differs from the descriptor")
            }
        }
        if let magic = AttachmentVerifier.magic[file.type], !head.starts(with: magic) {
            found.append("content is not a \(file.type) file")
        }
        return found.isEmpty ? nil : found.joined(separator: ", ")
    }
}
