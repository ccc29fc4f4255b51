import SettlementCore
import Testing

@Suite("Money in fen")
struct MoneyTests {
    @Test(
        "parses yuan text of the money form",
        arguments: [
            ("15000", 1_500_000), ("99.9", 9_990), ("100.00", 10_000), ("0", 0), ("0.01", 1),
            ("9999999999.99", 999_999_999_999),
        ] as [(String, Int64)])
    func parsesValidForms(text: String, fen: Int64) {
        #expect(Fen(yuan: text) == Fen(fen))
        // The same text inside a longer one (a substring reads its base's bytes).
        let wrapped = "¥" + text + " 元"
        let inner = wrapped.dropFirst().dropLast(2)
        #expect(Fen(yuan: inner) == Fen(fen))
    }

    @Test(
        "refuses anything else",
        arguments: [
            "", "-1", "+1", "1.234", "1e3", "1,000.00", "１００", " 1", "1 ", "1.", ".5", "12345678901", "1\n",
            "0x10", "NaN", "1..2",
        ])
    func refusesMalformed(text: String) {
        #expect(Fen(yuan: text) == nil)
        #expect(Fen(yuan: ("x" + text + "y").dropFirst().dropLast()) == nil)
    }

    @Test("formats with exactly two decimals")
    func formats() {
        #expect(Fen(375_000).yuanText == "3750.00")
        #expect(Fen(5).yuanText == "0.05")
        #expect(Fen(-1_205).yuanText == "-12.05")
        #expect(Fen.zero.yuanText == "0.00")
    }

    @Test("parse ∘ format is the identity on every amount the form allows")
    func roundTrip() {
        var generator = SplitMix64(seed: 20_240_801)
        for _ in 0..<20_000 {
            let fen = Int64.random(in: 0...999_999_999_999, using: &generator)
            let amount = Fen(fen)
            #expect(Fen(yuan: amount.yuanText) == amount)
        }
    }

    @Test("no overflow is accepted silently")
    func overflowIsReported() {
        #expect(Fen(Int64.max).adding(Fen(1)) == nil)
        #expect(Fen(Int64.min).subtracting(Fen(1)) == nil)
        #expect(Fen.sum([Fen(Int64.max), Fen(1)]) == nil)
        var generator = SplitMix64(seed: 7)
        for _ in 0..<10_000 {
            let a = Int64.random(in: Int64.min...Int64.max, using: &generator)
            let b = Int64.random(in: Int64.min...Int64.max, using: &generator)
            let (expected, overflow) = a.addingReportingOverflow(b)
            #expect(Fen(a).adding(Fen(b)) == (overflow ? nil : Fen(expected)))
        }
    }

    @Test("ratios are exact ten-thousandths between 0 and 1")
    func ratios() {
        #expect(Ratio(decimal: "0.35")?.tenThousandths == 3_500)
        #expect(Ratio(decimal: "0.0125")?.tenThousandths == 125)
        #expect(Ratio(decimal: "1")?.tenThousandths == 10_000)
        #expect(Ratio(decimal: "0.00001") == nil)
        #expect(Ratio(decimal: "1.5") == nil)
        #expect(Ratio(decimal: "-0.1") == nil)
        #expect(Ratio(decimal: "0.35")?.description == "0.35")
    }

    @Test("half-up and down rounding to the fen")
    func rounding() throws {
        let quarter = try #require(Ratio(decimal: "0.25"))
        // 0.25 × 0.02 yuan = 0.005 yuan: half a fen.
        #expect(RoundingMode.halfUp.apply(quarter, to: Fen(2)) == Fen(1))
        #expect(RoundingMode.down.apply(quarter, to: Fen(2)) == Fen(0))
        #expect(RoundingMode.halfUp.apply(quarter, to: Fen(1_248_390)) == Fen(312_098))
        let third = try #require(Ratio(decimal: "0.35"))
        #expect(RoundingMode.halfUp.apply(third, to: Fen(1_500_000)) == Fen(525_000))
    }

    @Test("rounding matches the exact rational result on random amounts")
    func roundingProperty() throws {
        var generator = SplitMix64(seed: 99)
        for _ in 0..<10_000 {
            let base = Int64.random(in: 0...999_999_999_999, using: &generator)
            let ratio = Ratio(tenThousandths: Int64.random(in: 0...10_000, using: &generator))
            let exact = base * ratio.tenThousandths
            let up = try #require(RoundingMode.halfUp.apply(ratio, to: Fen(base)))
            let down = try #require(RoundingMode.down.apply(ratio, to: Fen(base)))
            #expect(down.value * 10_000 <= exact && exact < (down.value + 1) * 10_000)
            #expect(abs(up.value * 10_000 - exact) <= 5_000)
            #expect(up.value - down.value == (exact % 10_000 >= 5_000 ? 1 : 0))
        }
    }
}
