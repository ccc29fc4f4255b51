import SettlementCore
import Testing

/// Who is paid, held, withdrawn or left out at a disbursement — without a database.
@Suite("Payment decisions")
struct PaymentDecisionTests {
    static let account = RequestFixture.account()

    func facts(
        isReturn: Bool = false, history: PaymentHistory = .none, returnedTo: [String]? = nil, disputed: Bool = false,
        objection: PaymentDecision.Objection? = nil, account: VoucherAccount? = account, outsideGBK: String = "",
        controlCharacters: String = ""
    ) -> PaymentDecision.Facts {
        PaymentDecision.Facts(
            isReturn: isReturn, history: history, returnedTo: returnedTo, disputed: disputed, objection: objection,
            account: account, outsideGBK: outsideGBK, controlCharacters: controlCharacters)
    }

    static let day = CivilDate(iso: "2024-08-05") ?? CivilDate(daysSinceEpoch: 0)

    @Test("a clean item is paid, as a payment, supplement or repayment by its history")
    func paid() {
        #expect(PaymentDecision.decide(facts()) == .pay(.payment))
        #expect(
            PaymentDecision.decide(facts(history: PaymentHistory(sent: Fen(100), returned: .zero))) == .pay(.supplement)
        )
        #expect(
            PaymentDecision.decide(facts(history: PaymentHistory(sent: Fen(100), returned: Fen(100))))
                == .pay(.repayment))
        #expect(
            PaymentDecision.decide(facts(isReturn: true, history: PaymentHistory(sent: Fen(1)))) == .pay(.repayment))
    }

    @Test("objections: upheld withdraws, pending holds, dismissed pays; a returned payment ignores them")
    func objections() {
        guard case .withdraw = PaymentDecision.decide(facts(objection: .upheld(receivedOn: Self.day, note: "n"))) else {
            Issue.record("upheld did not withdraw")
            return
        }
        guard
            case .hold(.objectionPending, _) = PaymentDecision.decide(facts(objection: .pending(receivedOn: Self.day)))
        else {
            Issue.record("pending did not hold")
            return
        }
        #expect(PaymentDecision.decide(facts(objection: .dismissed)) == .pay(.payment))
        #expect(
            PaymentDecision.decide(facts(isReturn: true, objection: .upheld(receivedOn: Self.day, note: "n")))
                == .pay(.repayment))
    }

    @Test("a disputed answer holds even a clean item")
    func disputed() {
        guard case .hold(.disputed, _) = PaymentDecision.decide(facts(disputed: true)) else {
            Issue.record("not held")
            return
        }
    }

    @Test("left out: no roster account, bad bank data, the returned account unchanged, names outside GBK")
    func leftOut() {
        func reason(_ facts: PaymentDecision.Facts) -> PaymentDecision.LeaveOutReason? {
            if case .leaveOut(let reason, _) = PaymentDecision.decide(facts) { return reason }
            return nil
        }
        #expect(reason(facts(account: nil)) == .noRosterAccount)
        var bad = Self.account
        bad = VoucherAccount(
            year: bad.year, uscc: bad.uscc, enterpriseName: bad.enterpriseName, enterpriseType: bad.enterpriseType,
            cityCode: bad.cityCode, qualificationNumber: bad.qualificationNumber, qualifiedOn: bad.qualifiedOn,
            priorYearRevenue: bad.priorYearRevenue, status: bad.status, grantedOn: bad.grantedOn, quota: bad.quota,
            usedBefore: bad.usedBefore, bankName: bad.bankName, bankCode: "12345", accountName: bad.accountName,
            accountNumber: bad.accountNumber)
        #expect(reason(facts(account: bad)) == .bankAccount)
        let same = [Self.account.accountNumber, Self.account.bankCode, Self.account.accountName]
        #expect(reason(facts(isReturn: true, returnedTo: same)) == .returnedNotCorrected)
        #expect(reason(facts(isReturn: true, returnedTo: ["6222000000000001"] + same.dropFirst())) == nil)
        #expect(reason(facts(outsideGBK: "𠀀")) == .outsideGBK)
        #expect(reason(facts(controlCharacters: "U+000A")) == .controlCharacter)
        #expect(reason(facts(outsideGBK: "𠀀", controlCharacters: "U+0009")) == .controlCharacter)
    }
}
