import SettlementCore
import SettlementDigest
import SettlementFormats
import Testing

@Suite("Encodings, hashing and TOML")
struct TextTests {
    func firstBad(_ validator: some EncodingValidator, _ bytes: [UInt8]) -> Int64? {
        var validator = validator
        let found = bytes.withUnsafeBytes { validator.feed($0, at: 0) }
        return found ?? validator.finish()
    }

    @Test("UTF-8 validation gives the offset of the first bad byte")
    func utf8() {
        #expect(firstBad(UTF8Validator(), Array("江苏 ok".utf8)) == nil)
        #expect(firstBad(UTF8Validator(), [0x61, 0x62, 0xFF]) == 2)
        #expect(firstBad(UTF8Validator(), [0x61, 0xC0, 0x80]) == 1)
        #expect(firstBad(UTF8Validator(), [0x61, 0xED, 0xA0, 0x80]) == 2)
        #expect(firstBad(UTF8Validator(), [0x61, 0xE6, 0xB1]) == 1)
        // GBK bytes of 江苏 are not UTF-8.
        #expect(firstBad(UTF8Validator(), [0x41, 0xBD, 0xAD, 0xCB, 0xD5]) == 1)
    }

    @Test("GB18030 structure")
    func gb18030() {
        #expect(firstBad(GB18030Validator(), [0x41, 0xBD, 0xAD, 0xCB, 0xD5]) == nil)
        #expect(firstBad(GB18030Validator(), [0x81, 0x30, 0x81, 0x30]) == nil)
        #expect(firstBad(GB18030Validator(), [0x41, 0xFF]) == 1)
        #expect(firstBad(GB18030Validator(), [0x41, 0xBD]) == 1)
    }

    @Test("SHA-256 test vectors, whole and streamed")
    func sha256() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var streamed = SHA256()
        for byte in long { streamed.update([byte]) }
        #expect(streamed.finalizeHex() == SHA256.hex(long))
        let million = [UInt8](repeating: 0x61, count: 1_000_000)
        #expect(SHA256.hex(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("TOML tables, arrays of tables, numbers kept as text")
    func toml() throws {
        let text = """
            # comment
            year = 2024
            name = "江苏" # trailing
            [quota]
            northern = 140000.00
            prefixes = [
              "3203", '3207',
            ]
            [[ratio.override]]
            category = "检测"
            ratio = 0.5
            [[ratio.override]]
            enterprise_type = "talent"
            ratio = "0.4"
            [dates]
            deadline = 2024-12-31
            """
        let table = try TOMLDocument.parse(text)
        #expect(table["year"] == .number("2024"))
        #expect(table["name"] == .string("江苏"))
        guard case .table(let quota)? = table["quota"], case .table(let ratio)? = table["ratio"],
            case .array(let overrides)? = ratio["override"]
        else {
            Issue.record("structure")
            return
        }
        #expect(quota["northern"] == .number("140000.00"))
        #expect(quota["prefixes"] == .array([.string("3203"), .string("3207")]))
        #expect(overrides.count == 2)
    }

    @Test("TOML errors name the line", arguments: ["a = 1\na = 2", "[t]\n[t]", "x = [1, 2", "x = tru", "x"])
    func tomlErrors(text: String) {
        #expect(throws: TOMLError.self) { try TOMLDocument.parse(text) }
    }
}
