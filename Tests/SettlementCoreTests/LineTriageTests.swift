import Testing

@testable import SettlementCore

/// Which line of a request's group is reviewed, and why each other line is quarantined.
@Suite("Triage of a request's lines")
struct LineTriageTests {
    let july = BatchMonth(year: 2024, month: 7) ?? BatchMonth(containing: CivilDate(daysSinceEpoch: 0))

    func line(_ number: Int, revision: Int, content: String) -> TriageLine {
        TriageLine(line: number, revision: revision, sha256: content)
    }

    @Test("one line is kept, or refused when its revision was reviewed in an earlier batch")
    func single() {
        #expect(LineTriage.triage([line(7, revision: 2, content: "a")]) == [7: .kept])
        #expect(
            LineTriage.triage([line(7, revision: 2, content: "a")], reviewedEarlier: [2: july]) == [
                7: .quarantined(.revisionConflict, detail: "revision 2 was already reviewed in batch 2024-07")
            ])
        // Another revision reviewed before does not matter.
        #expect(LineTriage.triage([line(7, revision: 2, content: "a")], reviewedEarlier: [1: july]) == [7: .kept])
    }

    @Test("duplicates, then conflicting revisions, then superseded ones")
    func group() {
        let lines = [
            line(3, revision: 1, content: "a"), line(5, revision: 1, content: "a"), line(8, revision: 2, content: "b"),
            line(9, revision: 2, content: "c"), line(11, revision: 3, content: "d"),
        ]
        #expect(
            LineTriage.triage(lines) == [
                3: .quarantined(.superseded, detail: "revision 1 superseded by revision 3 (line 11)"),
                5: .quarantined(.duplicateLine, detail: "same content as line 3"),
                8: .quarantined(.revisionConflict, detail: "revision 2 differs between lines 8, 9"),
                9: .quarantined(.revisionConflict, detail: "revision 2 differs between lines 8, 9"),
                11: .kept,
            ])
    }

    /// The shortcut for a group of one line decides as the general path does, for any revision
    /// and any earlier reviews.
    @Test("a group of one: the shortcut and the general path agree", arguments: 0..<20)
    func singleAgrees(seed: Int) {
        var generator = SplitMix64(seed: UInt64(seed) &* 104_729 &+ 1)
        for _ in 0..<200 {
            let revision = Int.random(in: 1...4, using: &generator)
            var earlier: [Int: BatchMonth] = [:]
            for candidate in 1...4 where Bool.random(using: &generator) {
                earlier[candidate] = BatchMonth(year: 2024, month: Int.random(in: 1...12, using: &generator))
            }
            let group = [line(Int.random(in: 1...1_000_000, using: &generator), revision: revision, content: "x")]
            #expect(
                LineTriage.triage(group, reviewedEarlier: earlier)
                    == LineTriage.triageGroup(group, reviewedEarlier: earlier))
        }
    }
}
