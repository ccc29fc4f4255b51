import SettlementFormats

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
