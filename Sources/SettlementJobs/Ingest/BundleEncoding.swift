import CoreFoundation
import Foundation
import SettlementCore
import SettlementFormats

/// The encoding of every text file of a bundle: UTF-8 (the default) or GB18030 (GBK exports).
public enum BundleEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case gb18030

    /// Accepts the usual spellings (`utf8`, `UTF-8`, `gb18030`, `GB18030`, `gbk`).
    public init?(name: String) {
        switch name.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312": self = .gb18030
        default: return nil
        }
    }

    func makeValidator() -> any EncodingValidator {
        switch self {
        case .utf8: UTF8Validator()
        case .gb18030: GB18030Validator()
        }
    }

    /// The byte order mark a file may start with.
    var byteOrderMark: [UInt8] {
        switch self {
        case .utf8: [0xEF, 0xBB, 0xBF]
        case .gb18030: [0x84, 0x31, 0x95, 0x33]
        }
    }

    /// Foundation's GB18030 (its GBK_95 does not work on Linux; GB18030 equals GBK for every GBK
    /// character).
    static let foundationGB18030 = String.Encoding(
        rawValue: CFStringConvertEncodingToNSStringEncoding(CFStringEncoding(CFStringEncodings.GB_18030_2000.rawValue)))
}
