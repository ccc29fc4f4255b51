import Foundation
import SettlementCore
import Testing

@testable import SettlementJobs

/// A workbook's money cell is the binary number nearest to the amount's yuan: the number `strtod`
/// reads from the yuan text the CSV files hold. `Workbook.number` divides instead of reading text.
@Suite("Workbook money cells")
struct WorkbookNumberTests {
    static func read(_ amount: Fen) -> Double { strtod(amount.yuanText, nil) }

    @Test("the division gives the number strtod reads from the yuan text, bit for bit")
    func divisionIsTheTextsNumber() {
        var generator = SplitMix64(seed: 53)
        var amounts: [Int64] = [0, 1, -1, 5, 10, 99, 100, 101, 375_000, 999_999_999, 1 << 53 - 1, -(1 << 53 - 1)]
        for magnitude in [100, 100_000, 10_000_000, 1_000_000_000_000, Int64(1) << 53, Int64.max] {
            for _ in 0..<20_000 {
                let value = Int64.random(in: 0..<magnitude, using: &generator)
                amounts.append(Bool.random(using: &generator) ? value : -value)
            }
        }
        for value in amounts {
            let amount = Fen(value)
            #expect(Workbook.number(amount).bitPattern == Self.read(amount).bitPattern, "\(amount.yuanText)")
        }
    }

    @Test("beyond 2^53 fen the number is still the text's")
    func beyondExactIntegers() {
        let values: [Int64] = [1 << 53, (1 << 53) + 1, (1 << 60) + 7, .max, .min + 1]
        for value in values {
            let amount = Fen(value)
            #expect(Workbook.number(amount).bitPattern == Self.read(amount).bitPattern, "\(amount.yuanText)")
        }
    }
}
