/// Streaming validation of a file's bytes against its declared encoding, reporting the offset of
/// the first byte that cannot belong to it.
public protocol EncodingValidator {
    /// Feeds the next bytes, which start at file offset `offset`; returns the offset of the first
    /// invalid byte found, if any.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, at offset: Int64) -> Int64?
    /// Ends the input; returns the offset of a truncated trailing sequence, if any.
    mutating func finish() -> Int64?
}

/// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
public struct UTF8Validator: EncodingValidator {
    var needed = 0
    var lowerBound: UInt8 = 0x80
    var upperBound: UInt8 = 0xBF
    var sequenceStart: Int64 = 0

    public init() {}

    public mutating func feed(_ bytes: UnsafeRawBufferPointer, at offset: Int64) -> Int64? {
        for (index, byte) in bytes.enumerated() {
            let position = offset + Int64(index)
            if needed == 0 {
                sequenceStart = position
                switch byte {
                case 0x00...0x7F: continue
                case 0xC2...0xDF: needed = 1
                case 0xE0:
                    needed = 2
                    lowerBound = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: needed = 2
                case 0xED:
                    needed = 2
                    upperBound = 0x9F
                case 0xF0:
                    needed = 3
                    lowerBound = 0x90
                case 0xF1...0xF3: needed = 3
                case 0xF4:
                    needed = 3
                    upperBound = 0x8F
                default: return position
                }
            } else {
                guard byte >= lowerBound, byte <= upperBound else { return position }
                lowerBound = 0x80
                upperBound = 0xBF
                needed -= 1
            }
        }
        return nil
    }

    public mutating func finish() -> Int64? { needed == 0 ? nil : sequenceStart }
}

/// The byte structure of GB18030 (a superset of GBK): one byte 0x00–0x7F; two bytes 0x81–0xFE then
/// 0x40–0x7E or 0x80–0xFE; four bytes 0x81–0xFE, 0x30–0x39, 0x81–0xFE, 0x30–0x39.
public struct GB18030Validator: EncodingValidator {
    var position = 0
    var lead: UInt8 = 0
    var sequenceStart: Int64 = 0

    public init() {}

    public mutating func feed(_ bytes: UnsafeRawBufferPointer, at offset: Int64) -> Int64? {
        for (index, byte) in bytes.enumerated() {
            let here = offset + Int64(index)
            switch position {
            case 0:
                sequenceStart = here
                switch byte {
                case 0x00...0x7F: continue
                case 0x81...0xFE:
                    lead = byte
                    position = 1
                default: return here
                }
            case 1:
                switch byte {
                case 0x40...0x7E, 0x80...0xFE: position = 0
                case 0x30...0x39: position = 2
                default: return here
                }
            case 2:
                guard (0x81...0xFE).contains(byte) else { return here }
                position = 3
            default:
                guard (0x30...0x39).contains(byte) else { return here }
                position = 0
            }
        }
        return nil
    }

    public mutating func finish() -> Int64? { position == 0 ? nil : sequenceStart }
}
