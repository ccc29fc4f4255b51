import CoreFoundation
import Foundation

/// Text for the domestic batch file, in GBK (written with the GB18030 encoder, which equals GBK
/// for every GBK character). A character outside GBK is an error for its line, never a `?`.
enum GBKText {
    static let encoding = String.Encoding(
        rawValue: CFStringConvertEncodingToNSStringEncoding(CFStringEncoding(CFStringEncodings.GB_18030_2000.rawValue)))

    /// The characters of `text` that GBK cannot represent (GB18030 needs four bytes for them).
    static func charactersOutsideGBK(_ text: String) -> [Character] {
        guard let bytes = text.data(using: encoding) else { return Array(text) }
        var expected = 0
        for scalar in text.unicodeScalars { expected += scalar.isASCII ? 1 : 2 }
        guard bytes.count != expected else { return [] }
        return text.filter { character in
            guard !character.isASCII else { return false }
            return (String(character).data(using: encoding)?.count ?? 4) != 2
        }
    }

    /// The distinct control characters of `text` (general category Cc: line breaks, tabs, NUL, …),
    /// as `U+000A、U+0009`; empty when there is none. A batch line cannot carry them.
    static func controlCharacters(_ text: String) -> String {
        var found: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars where scalar.properties.generalCategory == .control {
            if !found.contains(scalar) { found.append(scalar) }
        }
        return found.map { scalar in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }.joined(separator: "、")
    }

    /// The GBK bytes of text already checked with `charactersOutsideGBK`.
    static func encode(_ text: String) throws -> [UInt8] {
        guard charactersOutsideGBK(text).isEmpty, let data = text.data(using: encoding) else {
            throw BankFileError("text outside GBK: \(text)")
        }
        return [UInt8](data)
    }

    static func decode(_ bytes: [UInt8]) -> String? {
        String(data: Data(bytes), encoding: encoding)
    }
}
