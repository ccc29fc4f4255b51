import SettlementCore
import Testing

@Suite("Claims and balances across a batch")
struct BatchReviewerTests {
    let july = BatchMonth(year: 2024, month: 7) ?? BatchMonth(containing: CivilDate(daysSinceEpoch: 0))

    @Test("a second request with the same order, contract and invoice is rejected for each")
    func reuse() {
        var reviewer = BatchReviewer(policies: [:])
        let first = reviewer.review(RequestFixture.input(RequestFixture.request(id: "A")))
        #expect(first.status == .accepted)
        let second = reviewer.review(RequestFixture.input(RequestFixture.request(id: "B")))
        #expect(second.codes == "CONTRACT_REUSED;DUPLICATE_ORDER;INVOICE_REUSED")
        #expect(second.claims.isEmpty)
        // A rejected request claims nothing: a third one with only the invoice of B is free of B.
        let third = reviewer.review(
            RequestFixture.input(RequestFixture.request(id: "C", order: "CXQ3", invoice: "24322000000099999999")))
        #expect(third.status == .accepted)
    }

    @Test("needs-correction keeps its claims; its resubmission drops them; a decided request does not")
    func revisions() {
        var reviewer = BatchReviewer(policies: [:])
        var broken = RequestFixture.input(RequestFixture.request(id: "A"))
        broken.request.rndProofs = []
        #expect(reviewer.review(broken).status == .needsCorrection)
        // Another request may not use A's invoice while A waits for correction.
        #expect(reviewer.review(RequestFixture.input(RequestFixture.request(id: "B"))).status == .rejected)
        // A's revision 2, resubmitted, drops and retakes its own keys.
        var fixed = RequestFixture.input(RequestFixture.request(id: "A"))
        fixed.request.revision = 2
        fixed.history = [PriorReview(revision: 1, month: july, status: .needsCorrection)]
        let resubmitted = reviewer.review(fixed)
        #expect(resubmitted.status == .accepted)
        #expect(resubmitted.dropsEarlierClaims)
        // A revision after an accepted one is ALREADY_DECIDED and leaves the claims alone.
        var again = RequestFixture.input(RequestFixture.request(id: "A"))
        again.request.revision = 3
        again.history = [PriorReview(revision: 2, month: july, status: .accepted)]
        let decided = reviewer.review(again)
        #expect(decided.codes == "ALREADY_DECIDED")
        #expect(!decided.dropsEarlierClaims)
        #expect(reviewer.claims.owner(of: ClaimKey(kind: .order, value: "CXQ1")) == "A")
    }

    @Test("the balance is taken in allocation order and partial payments finish it")
    func balanceInOrder() {
        var reviewer = BatchReviewer(policies: [:])
        var payables: [Fen] = []
        for index in 0..<5 {
            let request = RequestFixture.request(
                id: "R\(index)", amount: 12_000_000, requested: 3_000_000, order: "O\(index)",
                invoice: "2432200000000000000\(index)")
            payables.append(reviewer.review(RequestFixture.input(request)).payable)
        }
        #expect(payables == [Fen(3_000_000), Fen(3_000_000), Fen(3_000_000), Fen(1_000_000), .zero])
    }
}

@Suite("Properties of a reviewed batch")
struct BatchPropertyTests {
    /// A random batch: a few accounts, many requests with random amounts, some broken, some reusing keys.
    static func randomBatch(seed: UInt64) -> (inputs: [ReviewInput], accounts: [String: VoucherAccount]) {
        var generator = SplitMix64(seed: seed)
        let usccs = ["91320214MA90NMYF83", "91320812MAX0DMHP01", "91321311MAH305B20J", "91320102MAU9BEGE4K"]
        var accounts: [String: VoucherAccount] = [:]
        for (index, uscc) in usccs.enumerated() {
            accounts[uscc] = RequestFixture.account(
                uscc: uscc, city: index % 2 == 0 ? "320214" : "320812",
                quota: Int64.random(in: 1_000_000...20_000_000, using: &generator),
                usedBefore: Int64.random(in: 0...2_000_000, using: &generator))
        }
        var inputs: [ReviewInput] = []
        for index in 0..<60 {
            let uscc = usccs.randomElement(using: &generator) ?? usccs[0]
            let amount = Int64.random(in: 1...30_000_000, using: &generator)
            let requested = Int64.random(in: 1...12_000_000, using: &generator)
            let second = Int.random(in: 0..<100_000, using: &generator)
            var request = RequestFixture.request(
                id: "R\(index)", submittedAt: "2024-08-20T10:00:00.\(second)+08:00", amount: amount,
                requested: requested,
                uscc: uscc, order: "O\(Int.random(in: 0..<50, using: &generator))",
                invoice: String(
                    24_322_000_000_000_000_000 as UInt128 + UInt128(Int.random(in: 0..<55, using: &generator))))
            if Int.random(in: 0..<8, using: &generator) == 0 { request.rndProofs = [] }
            inputs.append(RequestFixture.input(request, account: accounts[uscc]))
        }
        return (inputs, accounts)
    }

    static func review(_ inputs: [ReviewInput]) -> [Decision] {
        var reviewer = BatchReviewer(policies: [:])
        let ordered = inputs.sorted { AllocationOrder.precedes($0.request, $1.request) }
        return ordered.map { reviewer.review($0) }
    }

    @Test("no account goes over quota; payable ≤ requested and ≤ entitlement", arguments: 1...40)
    func neverOverspends(seed: Int) {
        let (inputs, accounts) = BatchPropertyTests.randomBatch(seed: UInt64(seed))
        let decisions = BatchPropertyTests.review(inputs)
        var paid: [String: Int64] = [:]
        for decision in decisions {
            #expect(decision.payable >= .zero)
            #expect(decision.payable <= decision.requested)
            #expect(decision.payable <= decision.entitlement)
            if decision.status != .accepted { #expect(decision.payable == .zero) }
            paid[decision.enterpriseUSCC, default: 0] += decision.payable.value
            #expect(decision.remainingAfter >= .zero)
        }
        let policy = Policy(year: 2024)
        for (uscc, total) in paid {
            guard let account = accounts[uscc] else { continue }
            let limit = min(account.quota, policy.quota(cityCode: account.cityCode)).value - account.usedBefore.value
            #expect(total <= max(limit, 0), "\(uscc) paid \(total) over \(limit)")
        }
    }

    @Test("the result does not depend on the order of the lines in the file", arguments: 1...20)
    func orderIndependent(seed: Int) {
        let (inputs, _) = BatchPropertyTests.randomBatch(seed: UInt64(seed))
        var generator = SplitMix64(seed: UInt64(seed) &* 7_919)
        let shuffled = inputs.shuffled(using: &generator)
        #expect(BatchPropertyTests.review(inputs) == BatchPropertyTests.review(shuffled))
    }

    @Test("a key is held by at most one request after the batch")
    func claimsAreExclusive() {
        for seed in 1...20 {
            let decisions = BatchPropertyTests.review(BatchPropertyTests.randomBatch(seed: UInt64(seed)).inputs)
            var holders: [ClaimKey: String] = [:]
            for decision in decisions {
                for key in decision.claims {
                    #expect(holders[key] == nil || holders[key] == decision.requestID)
                    holders[key] = decision.requestID
                }
            }
        }
    }
}
