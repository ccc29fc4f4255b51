import SettlementCore
import SettlementFormats
import Testing

@Suite("Strict JSON")
struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test("objects, arrays, literals, numbers keep their text")
    func values() throws {
        let value = try parse(#"{"a":[1,1.0,1e0,-0],"b":"x\u00e9\ud83d\ude00","c":null,"d":true}"#)
        guard case .object(let object) = value else {
            Issue.record("not an object")
            return
        }
        #expect(object["a"] == .array([.number("1"), .number("1.0"), .number("1e0"), .number("-0")]))
        #expect(object["b"] == .string("xé😀"))
        #expect(object["c"] == .null)
        #expect(object["d"] == .bool(true))
    }

    @Test(
        "refuses what a hostile line may hold",
        arguments: [
            #"{"a":1,"a":2}"#, #"{"a":"\ud800"}"#, #"{"a":"\udc00x"}"#, #"{"a":"\u0000"}"#, "{'a':1}", #"{"a":01}"#,
            #"{"a":1,}"#, #"[1 2]"#, #"{"a":"x"} extra"#, "", "{\"a\":\"tab\there\"}", #"{"a":.5}"#,
        ])
    func refuses(text: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
    }

    @Test("nesting deeper than 64 levels is refused; 64 is fine")
    func depth() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try parse(ok)
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONParseError.self) { try parse(deep) }
    }

    @Test("many keys are checked for duplicates too")
    func manyKeys() {
        let keys = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(throws: JSONParseError.self) { try parse("{" + keys + ",\"k7\":1}") }
    }

    @Test("a duplicated key is found exactly when two keys have the same bytes, whatever else they share")
    func duplicatesByBytes() throws {
        // Keys that share a length and their first and last eight bytes but differ inside, an
        // escaped spelling of the same bytes, precomposed and decomposed é, and a key that is a
        // prefix of another; objects of 1 to 100 keys (past the 16 where the parser takes a set).
        let pieces: [(json: String, bytes: [UInt8])] = [
            ("abcdefgh-1-ijklmnop", Array("abcdefgh-1-ijklmnop".utf8)),
            ("abcdefgh-2-ijklmnop", Array("abcdefgh-2-ijklmnop".utf8)),
            ("abcdefgh\\u002d1-ijklmnop", Array("abcdefgh-1-ijklmnop".utf8)),
            ("caf\u{E9}", Array("caf\u{E9}".utf8)),
            ("cafe\u{301}", Array("cafe\u{301}".utf8)),
            ("a", [0x61]), ("\\u0061", [0x61]), ("ab", [0x61, 0x62]), ("", []),
        ]
        var random = SplitMix64(seed: 5)
        for _ in 0..<400 {
            let count = Int(random.next() % 100) + 1
            var chosen: [(json: String, bytes: [UInt8])] = []
            for index in 0..<count {
                // Mostly distinct filler keys, with a piece now and then.
                if random.next() % 4 == 0 {
                    chosen.append(pieces[Int(random.next() % UInt64(pieces.count))])
                } else {
                    chosen.append(("f\(index)", Array("f\(index)".utf8)))
                }
            }
            let text = "{" + chosen.map { "\"\($0.json)\":0" }.joined(separator: ",") + "}"
            let duplicated = Set(chosen.map(\.bytes)).count < chosen.count
            do {
                _ = try parse(text)
                #expect(!duplicated, "\(text)")
            } catch {
                #expect(duplicated && "\(error)".contains("duplicated key"), "\(text): \(error)")
            }
        }
    }

    @Test("keys are told apart and looked up by their bytes, not by canonical equivalence")
    func keysAreBytes() throws {
        // "é" precomposed and "e" + U+0301 are equal Swift strings, but two keys.
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        for padding in [0, 20] {
            let filler = (0..<padding).map { "\"k\($0)\":0," }.joined()
            let value = try parse("{" + filler + "\"\(composed)\":1,\"\(decomposed)\":2}")
            guard case .object(let object) = value else {
                Issue.record("not an object")
                return
            }
            #expect(object[composed] == .number("1"))
            #expect(object[decomposed] == .number("2"))
            #expect(object["caf"] == nil)
        }
        #expect(throws: JSONParseError.self) { try parse("{\"\(decomposed)\":1,\"\(decomposed)\":2}") }
    }

    @Test("a lookup that starts anywhere finds what a lookup from the start finds, by bytes")
    func lookupFromAnyStart() throws {
        // Look-alike keys (precomposed and decomposed é, prefixes), asked for from every start,
        // before and past the end: the hint only changes where the search begins.
        let keys = ["caf\u{E9}", "cafe\u{301}", "caf", "a", "ab", "", "order", "items"]
        let object = JSONObject(keys: keys, values: keys.indices.map { .number(String($0)) })
        for key in keys + ["b", "cafe", "ord"] {
            for start in -2...(keys.count + 2) {
                let expected = keys.firstIndex { Array($0.utf8) == Array(key.utf8) }
                #expect(object.index(of: key, from: start) == expected, "\(key) from \(start)")
            }
        }
        // Keys asked for in any order, each from where the previous lookup left off, find their
        // own values in objects whose members come in any order.
        var random = SplitMix64(seed: 11)
        let members = (0..<30).map { "\"k\($0)\":\($0)" }
        for _ in 0..<50 {
            var shuffled = members
            for index in shuffled.indices.reversed() where index > 0 {
                shuffled.swapAt(index, Int(random.next() % UInt64(index + 1)))
            }
            guard case .object(let parsed) = try parse("{" + shuffled.joined(separator: ",") + "}") else {
                Issue.record("not an object")
                return
            }
            var hint = Int(random.next() % 40)
            for index in (0..<30).shuffled(using: &random) {
                let found = try #require(parsed.index(of: "k\(index)", from: hint))
                #expect(parsed.values[found] == .number(String(index)))
                hint = found + 1
            }
        }
    }
}
