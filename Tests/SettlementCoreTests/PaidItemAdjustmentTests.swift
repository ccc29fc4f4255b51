import SettlementCore
import Testing

/// Every cell of the table in docs/rules/after-payment.md: the current decision (its payable amount)
/// against the money that moved for the item (sent, returned).
@Suite("After payment: what an item owes against the money that reached the enterprise")
struct PaidItemAdjustmentTests {
    struct Cell: CustomTestStringConvertible, Sendable {
        let decision: String
        let payable: Int64
        let history: String
        let sent: Int64
        let returned: Int64
        let expected: PaidItemAdjustment
        var testDescription: String { "\(decision) × \(history)" }
    }

    static let cells: [Cell] = [
        // Never paid.
        Cell(
            decision: "accepted 300.00", payable: 30_000, history: "never sent", sent: 0, returned: 0,
            expected: .owe(Fen(30_000), .payment)),
        Cell(decision: "rejected", payable: 0, history: "never sent", sent: 0, returned: 0, expected: .nothing),
        // Paid (delivered, or not answered yet).
        Cell(
            decision: "accepted, higher", payable: 35_000, history: "paid 300.00", sent: 30_000, returned: 0,
            expected: .owe(Fen(5_000), .supplement)),
        Cell(
            decision: "accepted, same", payable: 30_000, history: "paid 300.00", sent: 30_000, returned: 0,
            expected: .nothing),
        Cell(
            decision: "accepted, lower", payable: 25_000, history: "paid 300.00", sent: 30_000, returned: 0,
            expected: .overpayment(Fen(5_000))),
        Cell(
            decision: "rejected", payable: 0, history: "paid 300.00", sent: 30_000, returned: 0,
            expected: .overpayment(Fen(30_000))),
        // Returned in full by the bank.
        Cell(
            decision: "accepted, higher", payable: 35_000, history: "returned 300.00", sent: 30_000, returned: 30_000,
            expected: .owe(Fen(35_000), .repayment)),
        Cell(
            decision: "accepted, same", payable: 30_000, history: "returned 300.00", sent: 30_000, returned: 30_000,
            expected: .owe(Fen(30_000), .repayment)),
        Cell(
            decision: "accepted, lower", payable: 25_000, history: "returned 300.00", sent: 30_000, returned: 30_000,
            expected: .owe(Fen(25_000), .repayment)),
        Cell(
            decision: "rejected", payable: 0, history: "returned 300.00", sent: 30_000, returned: 30_000,
            expected: .nothing),
        // Partly returned: 300.00 paid and delivered, a 50.00 supplement returned.
        Cell(
            decision: "accepted, higher", payable: 40_000, history: "350.00 sent, 50.00 returned", sent: 35_000,
            returned: 5_000, expected: .owe(Fen(10_000), .supplement)),
        Cell(
            decision: "accepted, same as reached", payable: 30_000, history: "350.00 sent, 50.00 returned",
            sent: 35_000, returned: 5_000, expected: .nothing),
        Cell(
            decision: "accepted, lower", payable: 20_000, history: "350.00 sent, 50.00 returned", sent: 35_000,
            returned: 5_000, expected: .overpayment(Fen(10_000))),
        Cell(
            decision: "rejected", payable: 0, history: "350.00 sent, 50.00 returned", sent: 35_000, returned: 5_000,
            expected: .overpayment(Fen(30_000))),
    ]

    @Test("the rules table", arguments: cells)
    func table(_ cell: Cell) {
        let history = PaymentHistory(sent: Fen(cell.sent), returned: Fen(cell.returned))
        #expect(PaidItemAdjustment(payable: Fen(cell.payable), history: history) == cell.expected)
    }

    @Test("never a negative amount, never both owed and overpaid, and owed + net − overpaid = payable")
    func properties() {
        var random = SplitMix64(seed: 9)
        for _ in 0..<20_000 {
            let sent = Int64(random.next() % 100_000)
            let returned = Int64(random.next() % 100_000) % (sent + 1)
            let payable = Int64(random.next() % 100_000)
            let history = PaymentHistory(sent: Fen(sent), returned: Fen(returned))
            let adjustment = PaidItemAdjustment(payable: Fen(payable), history: history)
            #expect(adjustment.owed >= .zero && adjustment.overpaid >= .zero)
            #expect(adjustment.owed == .zero || adjustment.overpaid == .zero)
            #expect(adjustment.owed.value + (sent - returned) - adjustment.overpaid.value == payable)
        }
    }
}
