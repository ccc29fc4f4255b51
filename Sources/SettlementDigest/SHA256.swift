import Crypto

/// SHA-256 (FIPS 180-4), streaming, through swift-crypto (BoringSSL's SHA-NI path where the CPU
/// has it). Used for file, line and output fingerprints and the audit chain, never for secrets.
public struct SHA256: Sendable {
    private var hasher = Crypto.SHA256()

    public init() {}

    /// The hex digest of `bytes` in one call.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    /// The hex digest of bytes in memory, without copying them.
    public static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            let array = Array(bytes)
            array.withUnsafeBytes { update($0) }
        }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    /// The digest as 64 lower-case hex digits.
    public func finalizeHex() -> String { finalizeHex(prefix: nil, digits: 64) }

    /// `prefix` (when given) followed by the first `digits` lower-case hex digits of the digest (at
    /// most 64), written into the string's storage directly (a notice id: `N` and 24 digits, made
    /// once for every notice of a batch).
    public func finalizeHex(prefix: UInt8?, digits: Int) -> String {
        let digest = hasher.finalize()
        let count = min(max(digits, 0), 64)
        return String(unsafeUninitializedCapacity: count + 1) { text in
            var index = 0
            if let prefix {
                text[0] = prefix
                index = 1
            }
            let end = index + count
            for byte in digest where index < end {
                text[index] = SHA256.hexDigit(byte >> 4)
                index += 1
                guard index < end else { break }
                text[index] = SHA256.hexDigit(byte & 0x0F)
                index += 1
            }
            return index
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x61 + value - 10 }
}
