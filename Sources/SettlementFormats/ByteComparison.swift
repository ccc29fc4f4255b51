/// Text compared and ordered by its UTF-8 bytes, not by Swift's `String` equality (Unicode
/// canonical equivalence, under which `"é"` equals `"e"` + U+0301): identifiers, keys and names
/// (`SettlementCore.ByteString` builds on it), and the keys of a JSON object.
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
