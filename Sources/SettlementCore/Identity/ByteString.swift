/// Text compared, hashed and ordered by its UTF-8 bytes, as every identifier, key and name of the
/// programme is: request ids, order, contract and invoice numbers, service and shop ids, USCCs,
/// account names.
///
/// Swift's `String` equality and hashing are Unicode canonical equivalence: `"é"` (U+00E9) equals
/// `"e"` + U+0301, and the CJK compatibility ideograph U+FA1D equals its unified form. Two requests
/// whose ids differ only so are two requests; a name written with a compatibility ideograph is not
/// the registered name. Use `ByteString` as a dictionary or set key, and `String.sameBytes(as:)`
/// for a comparison, never `==` on identifier `String`s (a test enforces it in the rules).
public struct ByteString: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) { self.text = text }

    public var description: String { text }

    public static func == (lhs: ByteString, rhs: ByteString) -> Bool { lhs.text.sameBytes(as: rhs.text) }

    public func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    public static func < (lhs: ByteString, rhs: ByteString) -> Bool { lhs.text.bytesPrecede(rhs.text) }
}

extension String {
    /// Whether the two strings have the same UTF-8 bytes (not merely canonically equivalent).
    public func sameBytes(as other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        let compared = utf8.withContiguousStorageIfAvailable { lhs in
            other.utf8.withContiguousStorageIfAvailable { rhs in String.equalBytes(lhs, rhs) }
        }
        if let compared, let same = compared { return same }
        return utf8.elementsEqual(other.utf8)
    }

    /// Two buffers of the same length compared eight bytes at a time.
    static func equalBytes(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        let left = UnsafeRawBufferPointer(lhs)
        let right = UnsafeRawBufferPointer(rhs)
        var offset = 0
        while offset + 8 <= left.count {
            guard
                left.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    == right.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            else { return false }
            offset += 8
        }
        while offset < left.count {
            guard left[offset] == right[offset] else { return false }
            offset += 1
        }
        return true
    }

    /// Byte order, as allocation order and every sorted output use.
    public func bytesPrecede(_ other: String) -> Bool {
        let compared = utf8.withContiguousStorageIfAvailable { lhs in
            other.utf8.withContiguousStorageIfAvailable { rhs in lhs.lexicographicallyPrecedes(rhs) }
        }
        if let compared, let precedes = compared { return precedes }
        return utf8.lexicographicallyPrecedes(other.utf8)
    }
}
