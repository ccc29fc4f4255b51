/// Reads an unsigned decimal of the form `^\d{1,I}(\.\d{1,F})?$` (ASCII digits only) as an
/// integer scaled by 10^F: with F = 2, `"99.9"` is 9990. Anything else gives `nil`.
enum DecimalText {
    static func scaled(_ text: some StringProtocol, integerDigits maximumInteger: Int, fractionDigits scale: Int)
        -> Int64?
    {
        // The digits are read from the text's contiguous UTF-8 (any native string's); a text without
        // it is copied first. Either way one non-generic loop reads them.
        let read = { (bytes: UnsafeBufferPointer<UInt8>) in
            scaled(bytes: bytes, integerDigits: maximumInteger, fractionDigits: scale)
        }
        if let value = text.utf8.withContiguousStorageIfAvailable(read) { return value }
        return Array(text.utf8).withUnsafeBufferPointer(read)
    }

    static func scaled(
        bytes text: UnsafeBufferPointer<UInt8>, integerDigits maximumInteger: Int, fractionDigits scale: Int
    )
        -> Int64?
    {
        var integer: Int64 = 0
        var integerDigits = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenPoint = false
        for byte in text {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int64(byte - UInt8(ascii: "0"))
                if seenPoint {
                    fractionDigits += 1
                    guard fractionDigits <= scale else { return nil }
                    fraction = fraction * 10 + digit
                } else {
                    integerDigits += 1
                    guard integerDigits <= maximumInteger else { return nil }
                    integer = integer * 10 + digit
                }
            case UInt8(ascii: "."):
                guard !seenPoint, integerDigits > 0 else { return nil }
                seenPoint = true
            default:
                return nil
            }
        }
        guard integerDigits > 0, !seenPoint || fractionDigits > 0 else { return nil }
        var multiplier: Int64 = 1
        for _ in 0..<scale { multiplier *= 10 }
        for _ in fractionDigits..<scale { fraction *= 10 }
        return integer * multiplier + fraction
    }
}
