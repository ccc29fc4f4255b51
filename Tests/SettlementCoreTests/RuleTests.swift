import SettlementCore
import Testing

/// One focused case per review code: the fixture passes every rule; each mutation makes exactly the
/// named code fire (and the untouched fixture shows it does not).
@Suite("Review rules, one code at a time")
struct RuleTests {
    typealias Mutation = @Sendable (inout ReviewInput) -> Void

    static let cases: [(String, FindingCode, Mutation)] = [
        (
            "an earlier revision was accepted", .alreadyDecided,
            { input in
                input.history = [
                    PriorReview(
                        revision: 1,
                        month: BatchMonth(year: 2024, month: 7) ?? .init(containing: .init(daysSinceEpoch: 0)),
                        status: .accepted)
                ]
            }
        ),
        ("no roster row", .noVoucher, { $0.account = .absent }),
        ("a defective roster row", .noVoucher, { $0.account = .defective(detail: "quota: bad money") }),
        ("voucher pending", .voucherNotApproved, { $0.account = .found(with($0) { $0.status = "pending" }) }),
        (
            "enterprise USCC check character", .usccInvalid,
            { input in
                input.request.enterpriseUSCC = "91320214MA90NMYF84"
                input.request.invoices[0].buyerUSCC = "91320214MA90NMYF84"
                input.account = .found(with(input) { $0.uscc = "91320214MA90NMYF84" })
            }
        ),
        (
            "provider USCC check character", .usccInvalid,
            { input in
                input.provider = .found(
                    Provider(
                        shopID: "S000123", uscc: "12320104858079426E", name: "x", status: "active", cityCode: "320104"))
                input.request.invoices[0].sellerUSCC = "12320104858079426E"
            }
        ),
        ("registered outside Jiangsu", .outOfRegion, { $0.account = .found(with($0) { $0.cityCode = "330106" }) }),
        ("unknown enterprise type", .ineligible, { $0.account = .found(with($0) { $0.enterpriseType = "sme" }) }),
        (
            "revenue over the limit", .ineligible,
            { $0.account = .found(with($0) { $0.priorYearRevenue = Fen(40_000_000_001) }) }
        ),
        (
            "high-tech certificate too old", .ineligible,
            { input in
                input.account = .found(
                    with(input) {
                        $0.enterpriseType = "high_tech"; $0.qualifiedOn = RequestFixture.date("2021-08-19")
                    })
            }
        ),
        (
            "tech SME qualified in another year", .ineligible,
            { $0.account = .found(with($0) { $0.qualifiedOn = RequestFixture.date("2023-12-31") }) }
        ),
        (
            "submitted after the deadline", .voucherExpired,
            { input in
                input.request.submittedAt = RequestFixture.instant("2025-01-01T00:00:00+08:00")
            }
        ),
        (
            "order before the voucher was granted", .orderOutsideVoucher,
            { $0.account = .found(with($0) { $0.grantedOn = RequestFixture.date("2024-08-11") }) }
        ),
        (
            "order in another year", .orderOutsideVoucher,
            { input in
                input.request.order.createdAt = RequestFixture.instant("2023-12-31T15:59:59Z")
                input.account = .found(with(input) { $0.grantedOn = RequestFixture.date("2023-01-01") })
                input.request.invoices[0].issuedOn = RequestFixture.date("2024-01-05")
            }
        ),
        ("order still negotiating", .orderStatus, { $0.request.order.status = "negotiating" }),
        ("provider not listed", .providerUnknown, { $0.provider = .absent }),
        (
            "provider suspended", .providerSuspended,
            { input in
                input.provider = .found(
                    Provider(
                        shopID: "S000123", uscc: RequestFixture.providerUSCC, name: "x", status: "suspended",
                        cityCode: "320104"))
            }
        ),
        (
            "provider is the enterprise", .relatedParty,
            { input in
                input.provider = .found(
                    Provider(
                        shopID: "S000123", uscc: RequestFixture.enterpriseUSCC, name: "x", status: "active",
                        cityCode: "320104"))
                input.request.invoices[0].sellerUSCC = RequestFixture.enterpriseUSCC
            }
        ),
        ("an item of another shop", .mixedProviders, { $0.request.order.items[0].shopID = "S000999" }),
        (
            "the same invoice twice", .invoiceReused,
            { input in
                var second = input.request.invoices[0]
                second.amount = .zero
                input.request.invoices.append(second)
            }
        ),
        (
            "two contracts", .contractCount,
            { input in
                var second = input.request.contracts[0]
                second.contractNumber = "HT-2"
                input.request.contracts.append(second)
            }
        ),
        ("no contract", .contractCount, { $0.request.contracts = [] }),
        ("contract as an image", .contractFile, { $0.request.contracts[0].file.type = "png" }),
        ("contract type in capitals", .contractFile, { $0.request.contracts[0].file.type = "PDF" }),
        ("contract file empty", .contractFile, { $0.request.contracts[0].file.size = 0 }),
        ("contract file over 50 MiB", .contractFile, { $0.request.contracts[0].file.size = 52_428_801 }),
        ("requested amount zero", .amountZero, { $0.request.requestedVoucherAmount = .zero }),
        (
            "contract amount zero", .amountZero,
            { input in
                input.request.contracts[0].amount = .zero
                input.request.invoices[0].amount = .zero
                input.request.bankReceipts[0].amount = .zero
            }
        ),
        ("no report for a service", .reportMissing, { $0.request.serviceReports = [] }),
        ("report not a PDF", .reportMissing, { $0.request.serviceReports[0].file.type = "jpg" }),
        (
            "no invoice", .invoiceMissing,
            { input in
                input.request.invoices = []
                input.request.bankReceipts = []
            }
        ),
        ("an 8-digit number without a code", .invoiceNumber, { $0.request.invoices[0].number = "12345678" }),
        ("a 20-digit number with a code", .invoiceNumber, { $0.request.invoices[0].code = "3200231130" }),
        (
            "a 9-digit number", .invoiceNumber,
            { input in
                input.request.invoices[0].number = "123456789"
                input.request.invoices[0].code = "3200231130"
            }
        ),
        ("invoice file a Word document", .invoiceFile, { $0.request.invoices[0].file.type = "docx" }),
        ("invoice file over 5 MiB", .invoiceFile, { $0.request.invoices[0].file.size = 5_242_881 }),
        ("invoice sold by someone else", .invoiceParty, { $0.request.invoices[0].sellerUSCC = "91320100MA1XXXXXXX" }),
        ("invoice bought by someone else", .invoiceParty, { $0.request.invoices[0].buyerUSCC = "91320100MA1XXXXXXX" }),
        (
            "invoice before the order", .invoiceDate,
            { $0.request.invoices[0].issuedOn = RequestFixture.date("2024-08-09") }
        ),
        (
            "invoice after submission", .invoiceDate,
            { $0.request.invoices[0].issuedOn = RequestFixture.date("2024-08-21") }
        ),
        (
            "no bank receipt", .receiptMissing,
            { input in
                input.request.bankReceipts = []
            }
        ),
        ("receipt file empty", .receiptFile, { $0.request.bankReceipts[0].file.size = 0 }),
        (
            "invoices and receipts differ by a fen", .totalsMismatch,
            { $0.request.bankReceipts[0].amount = Fen(1_499_999) }
        ),
        (
            "invoices exceed the contract", .invoiceExceedsContract,
            { input in
                input.request.invoices[0].amount = Fen(1_500_001)
                input.request.bankReceipts[0].amount = Fen(1_500_001)
            }
        ),
        ("two R&D proofs", .rndProof, { $0.request.rndProofs.append(RequestFixture.file("second.pdf")) }),
        ("no R&D proof", .rndProof, { $0.request.rndProofs = [] }),
        ("R&D proof empty", .rndProof, { $0.request.rndProofs[0].size = 0 }),
        (
            "other material as an image", .otherFile,
            { $0.request.otherMaterials = [RequestFixture.file("说明.png", type: "png")] }
        ),
        ("bank code of 11 digits", .bankAccount, { $0.account = .found(with($0) { $0.bankCode = "10530207704" }) }),
        ("account number of 5 digits", .bankAccount, { $0.account = .found(with($0) { $0.accountNumber = "12345" }) }),
        ("bank name blank", .bankAccount, { $0.account = .found(with($0) { $0.bankName = " \u{3000}" }) }),
        ("account name differs", .bankAccount, { $0.account = .found(with($0) { $0.accountName = "无锡睿嘉电子科技有限公司" }) }),
        (
            "attachment differs from its descriptor", .attachmentMismatch,
            { $0.attachmentProblems = ["contracts[0].file: size 1 ≠ declared 1000"] }
        ),
        ("requested more than the entitlement", .requestCapped, { $0.request.requestedVoucherAmount = Fen(375_001) }),
        (
            "claim over the remaining balance", .balanceShort,
            { $0.account = .found(with($0) { $0.usedBefore = Fen(9_700_000) }) }
        ),
        ("nothing left", .balanceExhausted, { $0.account = .found(with($0) { $0.usedBefore = Fen(10_000_000) }) }),
    ]

    static func with(_ input: ReviewInput, _ change: (inout VoucherAccount) -> Void) -> VoucherAccount {
        var account = input.account.row ?? RequestFixture.account()
        change(&account)
        return account
    }

    @Test("the fixture passes every rule")
    func fixturePasses() {
        let decision = RequestFixture.review(RequestFixture.input())
        #expect(decision.status == .accepted)
        #expect(decision.codes == "")
        #expect(decision.payable == Fen(375_000))
        #expect(decision.remainingAfter == Fen(9_625_000))
    }

    @Test("each code fires on its own case", arguments: cases.indices)
    func fires(index: Int) {
        let (name, code, mutate) = RuleTests.cases[index]
        var input = RequestFixture.input()
        mutate(&input)
        let decision = RequestFixture.review(input)
        #expect(decision.findings.map(\.code).contains(code), "\(name): got \(decision.codes)")
        let expected: DecisionStatus =
            switch code.severity {
            case .reject: .rejected
            case .correct: decision.findings.contains { $0.severity == .reject } ? .rejected : .needsCorrection
            case .warn: .accepted
            }
        #expect(decision.status == expected, "\(name): \(decision.codes)")
    }

    @Test("every review code has a case")
    func everyCodeCovered() {
        let covered = Set(RuleTests.cases.map(\.1))
        let reviewCodes = Set(FindingCode.allCases).subtracting([.duplicateOrder, .contractReused, .objectionUpheld])
        #expect(reviewCodes.subtracting(covered).isEmpty, "uncovered: \(reviewCodes.subtracting(covered))")
    }

    @Test("missing roster skips the roster-dependent rules; missing provider skips the provider's")
    func missingInputsSkipRules() {
        var input = RequestFixture.input()
        input.account = .absent
        input.provider = .absent
        input.request.invoices[0].sellerUSCC = "anything"
        let decision = RequestFixture.review(input)
        #expect(decision.codes == "NO_VOUCHER;PROVIDER_UNKNOWN")
        #expect(decision.enterpriseName == "")
        #expect(decision.cityCode == "")
    }

    @Test("high-tech: exactly three years before the submission date is still valid; Feb 29 maps to Feb 28")
    func highTechBoundary() {
        var input = RequestFixture.input(RequestFixture.request(submittedAt: "2024-02-29T10:00:00+08:00"))
        input.request.order.createdAt = RequestFixture.instant("2024-02-01T09:00:00+08:00")
        input.request.invoices[0].issuedOn = RequestFixture.date("2024-02-10")
        var account = RequestFixture.account()
        account.enterpriseType = "high_tech"
        account.grantedOn = RequestFixture.date("2024-01-01")
        account.qualifiedOn = RequestFixture.date("2021-02-28")
        input.account = .found(account)
        #expect(RequestFixture.review(input).codes == "")
        account.qualifiedOn = RequestFixture.date("2021-02-27")
        input.account = .found(account)
        #expect(RequestFixture.review(input).codes == "INELIGIBLE")
    }

    @Test("an entitlement that rounds to zero is accepted with payable 0.00")
    func zeroEntitlement() {
        var input = RequestFixture.input(RequestFixture.request(amount: 1, requested: 1))
        input.request.order.items[0].unitPrice = Fen(1)
        let decision = RequestFixture.review(input)
        #expect(decision.status == .accepted)
        #expect(decision.codes == "REQUEST_CAPPED")
        #expect(decision.payable == .zero)
    }

    @Test("capped and exhausted: REQUEST_CAPPED stays listed when BALANCE_EXHAUSTED rejects")
    func cappedThenExhausted() {
        var input = RequestFixture.input(RequestFixture.request(requested: 400_000))
        input.account = .found(RuleTests.with(input) { $0.usedBefore = Fen(10_000_000) })
        let decision = RequestFixture.review(input)
        #expect(decision.codes == "BALANCE_EXHAUSTED;REQUEST_CAPPED")
        #expect(decision.status == .rejected)
        #expect(decision.payable == .zero)
    }

    @Test("the reject shortfall policy refuses what partial would pay in part")
    func rejectShortfall() {
        var policy = Policy(year: 2024)
        policy.shortfall = .reject
        var input = RequestFixture.input()
        input.account = .found(RuleTests.with(input) { $0.usedBefore = Fen(9_700_000) })
        #expect(RequestFixture.review(input, policy: policy).codes == "BALANCE_EXHAUSTED")
        let partial = RequestFixture.review(input)
        #expect(partial.codes == "BALANCE_SHORT")
        #expect(partial.payable == Fen(300_000))
    }

    @Test("northern cities use 0.35 and the smaller of roster and policy quota")
    func northern() {
        var input = RequestFixture.input()
        input.account = .found(
            RuleTests.with(input) {
                $0.cityCode = "320311"; $0.quota = Fen(20_000_000)
            })
        input.request.requestedVoucherAmount = Fen(525_000)
        let decision = RequestFixture.review(input)
        #expect(decision.entitlement == Fen(525_000))
        #expect(decision.remainingAfter == Fen(14_000_000 - 525_000))
    }

    @Test("a category override applies only when every item has that category; most specific wins")
    func overrides() throws {
        var policy = Policy(year: 2024)
        policy.ratioOverrides = [
            RatioOverride(category: "检测", enterpriseType: nil, ratio: try #require(Ratio(decimal: "0.5"))),
            RatioOverride(category: "检测", enterpriseType: "tech_sme", ratio: try #require(Ratio(decimal: "0.4"))),
            RatioOverride(category: nil, enterpriseType: "tech_sme", ratio: try #require(Ratio(decimal: "0.3"))),
        ]
        var input = RequestFixture.input(RequestFixture.request(requested: 1_500_000))
        #expect(RequestFixture.review(input, policy: policy).entitlement == Fen(600_000))
        var other = input.request.order.items[0]
        other.category = "机时"
        other.serviceID = "LCFW2"
        input.request.order.items.append(other)
        input.request.serviceReports.append(ServiceReport(serviceID: "LCFW2", file: RequestFixture.file("r2.pdf")))
        #expect(RequestFixture.review(input, policy: policy).entitlement == Fen(450_000))
    }
}
