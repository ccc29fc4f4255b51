import Testing

@testable import SettlementCore

/// `FewSeen` answers as a hash set would, below and beyond the count where it becomes one, and
/// compares by bytes.
@Suite("Items met within a request")
struct FewSeenTests {
    @Test("insert answers as Set.insert, before and after the scan limit", arguments: [0, 1, 2, 3])
    func matchesSet(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for length in [0, 1, 5, FewSeen<ByteString>.scanLimit, FewSeen<ByteString>.scanLimit + 1, 200] {
            var few = FewSeen<ByteString>()
            var set: Set<ByteString> = []
            for _ in 0..<length {
                // Few distinct values, so that repeats come before and after the switch.
                let item = ByteString("k\(Int.random(in: 0..<(length / 2 + 2), using: &random))")
                let inserted = few.insert(item)
                #expect(inserted == set.insert(item).inserted, "length \(length), item \(item)")
            }
        }
    }

    @Test("canonically equivalent texts are two items")
    func bytes() {
        var few = FewSeen<ByteString>()
        let answers = [
            few.insert(ByteString("\u{E9}")), few.insert(ByteString("e\u{301}")), few.insert(ByteString("\u{E9}")),
        ]
        #expect(answers == [true, true, false])
        var keys = FewSeen<ClaimKey>()
        let keyAnswers = [
            keys.insert(ClaimKey(kind: .invoice, value: "\u{FA1D}")),
            keys.insert(ClaimKey(kind: .invoice, value: "\u{7CBE}")),
            keys.insert(ClaimKey(kind: .order, value: "\u{FA1D}")),
            keys.insert(ClaimKey(kind: .invoice, value: "\u{FA1D}")),
        ]
        #expect(keyAnswers == [true, true, true, false])
    }

    @Test("distinct and sorted by bytes, as a set sorted")
    func distinctSorted() {
        var random = SplitMix64(seed: 9)
        for _ in 0..<50 {
            let items = (0..<Int.random(in: 0..<12, using: &random)).map { _ in
                ByteString(["医药", "能效", "A", "a", "\u{E9}", "e\u{301}"][Int.random(in: 0..<6, using: &random)])
            }
            #expect(FewSeen.distinctSorted(items) == Set(items).sorted())
        }
    }
}
