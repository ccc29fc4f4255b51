import Foundation
import SettlementCore

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

    func problem(_ file: FileDescriptor) -> String? {
        guard let relative = file.path, !relative.isEmpty else { return "no path to verify" }
        let components = relative.split(separator: "/")
        guard !relative.hasPrefix("/"), !components.contains(".."), !components.isEmpty else {
            return "path '\(relative)' leaves the bundle"
        }
        let full = bundleDirectory + "/" + relative
        guard let handle = FileHandle(forReadingAtPath: full) else { return "file \(relative) is missing" }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        var head: [UInt8] = []
        while let data = try? handle.read(upToCount: 1 << 20), !data.isEmpty {
            let bytes = [UInt8](data)
            if head.count < 16 { head.append(contentsOf: bytes.prefix(16 - head.count)) }
            hasher.update(bytes)
            size += Int64(bytes.count)
        }
        var found: [String] = []
        if size != file.size { found.append("size \(size) ≠ declared \(file.size)") }
        if hasher.finalizeHex() != file.sha256.lowercased() { found.append("SHA-256 differs from the descriptor") }
        if let magic = AttachmentVerifier.magic[file.type], !head.starts(with: magic) {
            found.append("content is not a \(file.type) file")
        }
        return found.isEmpty ? nil : found.joined(separator: ", ")
    }
}
