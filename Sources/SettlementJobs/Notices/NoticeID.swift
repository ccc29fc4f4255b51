import SettlementCore
import SettlementDigest

extension NoticeEvent {
    /// Stable for a (request, revision, event): `N` + 24 hex digits of a SHA-256 over the event's
    /// identity (a rerun or a second copy of the file never makes a second message for it).
    /// The identity's bytes are hashed as they are (`identity`'s parts and separators) without
    /// joining them into a string first.
    var noticeID: String {
        var hasher = SHA256()
        let separator: [UInt8] = [0x1F]
        hasher.update(requestID.utf8)
        hasher.update(separator)
        hasher.update(String(revision).utf8)
        hasher.update(separator)
        hasher.update(kind.rawValue.utf8)
        hasher.update(separator)
        if let paymentID { hasher.update(paymentID.utf8) }
        return hasher.finalizeHex(prefix: UInt8(ascii: "N"), digits: 24)
    }
}

/// A set of notice ids held compactly: an id of the form `noticeID` makes (`N` and 24 lowercase
/// hex digits) as its 96 bits (16 bytes in the set instead of a 25-byte string on the heap), any
/// other text by its bytes. A rerun of a batch of a million requests holds the previous run's ids.
public struct NoticeIDSet: Sendable {
    private struct Digits: Hashable, Sendable {
        let high: UInt64
        let low: UInt32
    }

    private var digits: Set<Digits> = []
    private var others: Set<ByteString> = []

    public init() {}

    public var count: Int { digits.count + others.count }

    public mutating func insert(_ id: String) {
        if let key = NoticeIDSet.digits(id) { digits.insert(key) } else { others.insert(ByteString(id)) }
    }

    public func contains(_ id: String) -> Bool {
        if let key = NoticeIDSet.digits(id) { return digits.contains(key) }
        return others.contains(ByteString(id))
    }

    /// `N` + 24 lowercase hex digits as 96 bits; nil for any other text (uppercase digits too:
    /// ids are compared by their bytes).
    private static func digits(_ id: String) -> Digits? {
        var value: (high: UInt64, low: UInt32) = (0, 0)
        var count = 0
        for (index, byte) in id.utf8.enumerated() {
            if index == 0 {
                guard byte == UInt8(ascii: "N") else { return nil }
                continue
            }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            count += 1
            guard count <= 24 else { return nil }
            if count <= 16 {
                value.high = value.high << 4 | UInt64(digit)
            } else {
                value.low = value.low << 4 | UInt32(digit)
            }
        }
        return count == 24 ? Digits(high: value.high, low: value.low) : nil
    }
}
