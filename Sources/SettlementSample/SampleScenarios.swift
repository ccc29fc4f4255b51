import Foundation
import SettlementCore
import SettlementFormats

/// The catalogue of scenarios at the start of the first months: every review code and quarantine
/// reason, a resubmission, an enterprise running out of balance across months, objections, and an
/// account name outside GBK. Each writes its lines and notes what it shows.
struct SampleScenarios {
    let generator: SampleGenerator
    var world: SampleWorld { generator.world }

    /// Requests of the first month that later scenarios refer to.
    struct Anchors {
        var plain: SampleRequestBuilder.Built?
        var northern: SampleRequestBuilder.Built?
        var rejectedID: String?
    }

    mutating func write(
        _ context: inout SampleGenerator.MonthContext, anchors: inout Anchors,
        notes: inout [SampleGenerator.ScenarioNote]
    ) throws {
        switch context.monthIndex {
        case 0: try firstMonth(&context, anchors: &anchors, notes: &notes)
        case 1: try secondMonth(&context, anchors: anchors, notes: &notes)
        default: break
        }
    }

    // MARK: - Building blocks

    func make(
        _ context: inout SampleGenerator.MonthContext, enterprise: Int, provider: Int = 0, day: Int
    ) throws -> (SampleRequestBuilder.Built, Int) {
        let (id, sequence) = context.nextID()
        var built = try context.builder.build(
            requestID: id, sequence: sequence, enterprise: enterprise, provider: provider,
            seed: generator.seed(context.monthIndex, sequence), day: day)
        setSubmission(&built, month: context.month, day: day)
        return (built, sequence)
    }

    func setSubmission(_ built: inout SampleRequestBuilder.Built, month: BatchMonth, day: Int, hour: Int = 10) {
        let date = CivilDate(year: month.year, month: month.month, day: min(day, month.lastDay.day)) ?? month.firstDay
        built.submittedAt = "\(date)T\(String.zeroPadded(hour, width: 2)):00:00+08:00"
        built.request.submittedAt = Instant(rfc3339: built.submittedAt) ?? built.request.submittedAt
        for index in built.request.invoices.indices where built.request.invoices[index].issuedOn > date {
            built.request.invoices[index].issuedOn = date
        }
    }

    /// Makes the order one item of `total`, with contract, invoice and receipt to match.
    func setTotal(_ built: inout SampleRequestBuilder.Built, _ total: Fen, requested: Fen? = nil) {
        var request = built.request
        request.order.items = [request.order.items[0]]
        request.order.items[0].quantity = 1
        request.order.items[0].unitPrice = total
        request.order.quotedAmount = total
        request.serviceReports = request.serviceReports.filter { $0.serviceID == request.order.items[0].serviceID }
        request.contracts[0].amount = total
        request.invoices = [request.invoices[0]]
        request.invoices[0].amount = total
        request.bankReceipts = [request.bankReceipts[0]]
        request.bankReceipts[0].amount = total
        if let requested {
            request.requestedVoucherAmount = requested
            request.order.plannedVoucherAmount = requested
        }
        built.request = request
    }

    func setOrderDate(_ built: inout SampleRequestBuilder.Built, _ date: CivilDate) {
        built.createdAt = "\(date)T09:30:00+08:00"
        built.request.order.createdAt = Instant(rfc3339: built.createdAt) ?? built.request.order.createdAt
        built.request.contracts[0].signedOn = date.adding(days: 1)
        for index in built.request.invoices.indices { built.request.invoices[index].issuedOn = date.adding(days: 5) }
        for index in built.request.bankReceipts.indices {
            built.request.bankReceipts[index].paidOn = date.adding(days: 6)
        }
    }

    /// A provider index that is neither the suspended nor the related-party provider.
    func ordinaryProvider(_ number: Int) -> Int {
        let candidates = (0..<world.providerCount).filter {
            $0 != SampleWorld.suspendedProvider && $0 != SampleWorld.relatedProvider
        }
        return candidates[number % candidates.count]
    }

    func line(_ built: SampleRequestBuilder.Built) -> String {
        RequestJSON.line(built.request, submittedAt: built.submittedAt, createdAt: built.createdAt)
    }

    func note(_ notes: inout [SampleGenerator.ScenarioNote], _ month: BatchMonth, _ id: String, _ shows: String) {
        notes.append(SampleGenerator.ScenarioNote(month: month, requestID: id, shows: shows))
    }

    // MARK: - The first month

    mutating func firstMonth(
        _ context: inout SampleGenerator.MonthContext, anchors: inout Anchors,
        notes: inout [SampleGenerator.ScenarioNote]
    ) throws {
        let month = context.month
        var day = 1

        let (plain, _) = try make(&context, enterprise: 0, day: 2)
        try context.emit(plain)
        anchors.plain = plain
        note(&notes, month, plain.request.requestID, "accepted, 0.25 of the base (南京, 科小)")

        let (northern, _) = try make(&context, enterprise: 12, provider: 1, day: 2)
        try context.emit(northern)
        anchors.northern = northern
        note(&notes, month, northern.request.requestID, "accepted, 0.35 of the base (宿迁, 苏北五市)")

        var (capped, _) = try make(&context, enterprise: 11, provider: 2, day: 3)
        capped.request.requestedVoucherAmount = Fen(capped.request.order.plannedVoucherAmount.value + 10_000)
        try context.emit(capped)
        note(&notes, month, capped.request.requestID, "REQUEST_CAPPED: asks 100.00 more than the entitlement")

        var (short, _) = try make(&context, enterprise: SampleWorld.Special.heavy.rawValue, provider: 5, day: 4)
        setTotal(&short, Fen(20_000_000), requested: Fen(5_000_000))
        try context.emit(short)
        note(
            &notes, month, short.request.requestID,
            "BALANCE_SHORT: 50000.00 claimed, 40000.00 left of the quota (partial)")

        var (unknown, _) = try make(&context, enterprise: 13, provider: 6, day: 5)
        let stranger = SampleWorld.uscc("91", district: "320106", serial: 8_888_888)
        unknown.request.enterpriseUSCC = stranger
        for index in unknown.request.invoices.indices { unknown.request.invoices[index].buyerUSCC = stranger }
        try context.emit(unknown)
        note(&notes, month, unknown.request.requestID, "NO_VOUCHER: the enterprise has no voucher in the roster")

        let simple: [(SampleWorld.Special, String)] = [
            (.pending, "VOUCHER_NOT_APPROVED: the voucher is still pending"),
            (.badUSCC, "USCC_INVALID: the enterprise's USCC fails its check character"),
            (.outOfRegion, "OUT_OF_REGION: registered in Shanghai (310115)"),
            (.highRevenue, "INELIGIBLE: prior-year revenue 4.5亿 > 4亿"),
            (.oldHighTech, "INELIGIBLE: high-tech certificate older than three years"),
            (.bankMismatch, "BANK_ACCOUNT: the account name differs from the enterprise name"),
        ]
        day = 5
        for (special, shows) in simple {
            day += 1
            let (built, _) = try make(&context, enterprise: special.rawValue, provider: 7, day: day)
            try context.emit(built)
            note(&notes, month, built.request.requestID, shows)
            if special == .pending { anchors.rejectedID = built.request.requestID }
        }

        var (expired, _) = try make(&context, enterprise: 0, provider: 8, day: 8)
        expired.request.voucherYear = month.year - 1
        setOrderDate(&expired, CivilDate(year: month.year - 1, month: 9, day: 15) ?? month.firstDay)
        try context.emit(expired)
        note(
            &notes, month, expired.request.requestID, "VOUCHER_EXPIRED: draws on last year's voucher after its deadline"
        )

        var (early, _) = try make(&context, enterprise: SampleWorld.Special.lateGrant.rawValue, provider: 8, day: 9)
        setOrderDate(&early, CivilDate(year: month.year, month: 6, day: 1) ?? month.firstDay)
        try context.emit(early)
        note(
            &notes, month, early.request.requestID,
            "ORDER_OUTSIDE_VOUCHER: ordered before the voucher was granted (06-30)")

        var (negotiating, _) = try make(&context, enterprise: 14, provider: 9, day: 9)
        try SampleDefect.negotiating.apply(to: &negotiating.request, otherShop: "") { _, _ in
            throw SampleError("no file needed")
        }
        try context.emit(negotiating)
        note(&notes, month, negotiating.request.requestID, "ORDER_STATUS: the order is still negotiating")

        var (noShop, _) = try make(&context, enterprise: 15, provider: 9, day: 10)
        try SampleDefect.unknownShop.apply(to: &noShop.request, otherShop: "") { _, _ in
            throw SampleError("no file needed")
        }
        try context.emit(noShop)
        note(&notes, month, noShop.request.requestID, "PROVIDER_UNKNOWN: shop S999999 is not a listed provider")

        let (suspended, _) = try make(&context, enterprise: 16, provider: SampleWorld.suspendedProvider, day: 10)
        try context.emit(suspended)
        note(&notes, month, suspended.request.requestID, "PROVIDER_SUSPENDED: the provider is suspended")

        let (related, _) = try make(
            &context, enterprise: SampleWorld.Special.relatedParty.rawValue, provider: SampleWorld.relatedProvider,
            day: 11)
        try context.emit(related)
        note(&notes, month, related.request.requestID, "RELATED_PARTY: the provider is the enterprise itself")

        var (mixed, _) = try make(&context, enterprise: 17, provider: 10, day: 11)
        try SampleDefect.mixedShops.apply(to: &mixed.request, otherShop: world.provider(11).shopID) { _, _ in
            throw SampleError("no file needed")
        }
        try context.emit(mixed)
        note(&notes, month, mixed.request.requestID, "MIXED_PROVIDERS: an item from another shop")

        var (copy, _) = try make(&context, enterprise: 0, day: 28)
        copy.request.orderNumber = plain.request.orderNumber
        copy.createdAt = plain.createdAt
        copy.request.order.createdAt = plain.request.order.createdAt
        copy.request.shopID = plain.request.shopID
        copy.request.order.items = plain.request.order.items
        copy.request.contracts = plain.request.contracts
        copy.request.invoices = plain.request.invoices
        copy.request.bankReceipts = plain.request.bankReceipts
        copy.request.serviceReports = plain.request.serviceReports
        try context.emit(copy)
        note(
            &notes, month, copy.request.requestID,
            "DUPLICATE_ORDER, CONTRACT_REUSED, INVOICE_REUSED: a second claim for \(plain.request.requestID)'s order")

        var (reused, _) = try make(&context, enterprise: 18, provider: 1, day: 27)
        reused.request.invoices[0].number = northern.request.invoices[0].number
        try context.emit(reused)
        note(&notes, month, reused.request.requestID, "INVOICE_REUSED: the invoice of \(northern.request.requestID)")

        day = 11
        var enterprise = SampleWorld.specialCount
        for defect in SampleDefect.allCases where defect.isCorrectable {
            day += 1
            var (built, _) = try make(
                &context, enterprise: enterprise, provider: ordinaryProvider(12), day: min(day, 26))
            let requestID = built.request.requestID
            try defect.apply(to: &built.request, otherShop: "") { stem, type in
                try context.builder.file(stem, type: type, requestID: requestID, &scratch)
            }
            try context.emit(built)
            note(&notes, month, built.request.requestID, defect.code + " (needs correction)")
            enterprise += 1
        }

        if context.builder.attachmentDirectory != nil {
            var (mismatch, _) = try make(&context, enterprise: enterprise, provider: 2, day: 20)
            mismatch.request.contracts[0].file.sha256 = String(repeating: "0", count: 64)
            try context.emit(mismatch)
            note(
                &notes, month, mismatch.request.requestID,
                "ATTACHMENT_MISMATCH: the contract file's SHA-256 differs (--verify-attachments)")
            enterprise += 1
        }

        var (resubmit, resubmitSequence) = try make(&context, enterprise: 19, provider: ordinaryProvider(13), day: 21)
        try SampleDefect.noRnDProof.apply(to: &resubmit.request, otherShop: "") { _, _ in
            throw SampleError("no file needed")
        }
        try context.emit(resubmit)
        context.carryOver.append(
            SampleGenerator.Resubmission(
                requestID: resubmit.request.requestID, sequence: resubmitSequence, enterprise: 19,
                provider: ordinaryProvider(13), seed: generator.seed(0, resubmitSequence), month: month, revision: 2))
        note(
            &notes, month, resubmit.request.requestID,
            "RND_PROOF: needs correction, resubmitted as revision 2 next month")

        var objections: [(String, String, String)] = []
        let (withdrawn, _) = try make(&context, enterprise: enterprise, provider: ordinaryProvider(14), day: 22)
        try context.emit(withdrawn)
        objections.append((withdrawn.request.orderNumber, "upheld", "服务未实际发生，异议成立"))
        note(
            &notes, month, withdrawn.request.requestID,
            "accepted; an upheld objection withdraws it at disbursement (OBJECTION_UPHELD)")
        enterprise += 1
        let (held, _) = try make(&context, enterprise: enterprise, provider: ordinaryProvider(15), day: 22)
        try context.emit(held)
        objections.append((held.request.orderNumber, "pending", "正在核查"))
        note(&notes, month, held.request.requestID, "accepted; a pending objection holds it back, still reserved")
        enterprise += 1

        var (tiny, _) = try make(&context, enterprise: enterprise, provider: 1, day: 23)
        setTotal(&tiny, Fen(1), requested: Fen(1))
        try context.emit(tiny)
        note(
            &notes, month, tiny.request.requestID,
            "accepted with payable 0.00 (entitlement rounds to zero): publicized, never in a payment file")

        let (gbk, _) = try make(&context, enterprise: SampleWorld.Special.outsideGBK.rawValue, provider: 2, day: 23)
        try context.emit(gbk)
        note(
            &notes, month, gbk.request.requestID,
            "accepted; the account name has 𠀀 (outside GBK): reported at disbursement, held back")

        // Quarantine.
        let (broken, _) = try make(&context, enterprise: 13, provider: ordinaryProvider(3), day: 24)
        try context.emit(String(line(broken).prefix(300)))
        note(&notes, month, broken.request.requestID, "MALFORMED: the line is cut off (not JSON)")

        let (money, _) = try make(&context, enterprise: 13, provider: ordinaryProvider(3), day: 24)
        try context.emit(
            line(money).replacingOccurrences(
                of: "\"requested_voucher_amount\":\"", with: "\"requested_voucher_amount\":\"1,"))
        note(&notes, month, money.request.requestID, "MALFORMED: requested_voucher_amount with a thousands separator")

        try context.emit(line(northern))
        note(&notes, month, northern.request.requestID, "DUPLICATE_LINE: the same line exported twice")

        var (conflict, _) = try make(&context, enterprise: 14, provider: ordinaryProvider(4), day: 25)
        try context.emit(conflict)
        conflict.request.requestedVoucherAmount = Fen(conflict.request.requestedVoucherAmount.value + 1)
        try context.emit(conflict)
        note(&notes, month, conflict.request.requestID, "REVISION_CONFLICT: revision 1 twice with different content")

        var (superseded, _) = try make(&context, enterprise: 15, provider: ordinaryProvider(4), day: 25)
        try context.emit(superseded)
        superseded.request.revision = 2
        setSubmission(&superseded, month: month, day: 26)
        try context.emit(superseded)
        note(
            &notes, month, superseded.request.requestID,
            "SUPERSEDED: revision 1 and revision 2 in the same bundle (2 is reviewed)")

        var (late, _) = try make(&context, enterprise: 16, provider: ordinaryProvider(4), day: 1)
        setSubmission(&late, month: month.previous, day: 28)
        try context.emit(late)
        note(&notes, month, late.request.requestID, "WRONG_BATCH: submitted in the previous month")

        let objectionText =
            "order_no,received_on,decision,note\r\n"
            + objections.map { "\($0.0),\(month.next.firstDay.adding(days: 2)),\($0.1),\($0.2)" }.joined(
                separator: "\r\n")
            + "\r\nCXQ000000000000,\(month.next.firstDay.adding(days: 2)),upheld,订单号有误（不在本批次）\r\n"
        try Data(objectionText.utf8).write(
            to: URL(fileURLWithPath: generator.options.out + "/" + month.description + "/objections.csv"))
    }

    var scratch = SampleRandom(seed: 7)
    var ignored: [SampleGenerator.Resubmission] = []

    // MARK: - The second month

    mutating func secondMonth(
        _ context: inout SampleGenerator.MonthContext, anchors: Anchors, notes: inout [SampleGenerator.ScenarioNote]
    ) throws {
        let month = context.month

        var (exhausted, _) = try make(&context, enterprise: SampleWorld.Special.heavy.rawValue, provider: 5, day: 3)
        setTotal(&exhausted, Fen(4_000_000), requested: Fen(1_000_000))
        try context.emit(exhausted)
        note(
            &notes, month, exhausted.request.requestID,
            "BALANCE_EXHAUSTED: the same enterprise, nothing left after last month")

        if let plain = anchors.plain {
            // Rebuilt like a resubmission, so that its files are in this month's bundle.
            try generator.writeResubmission(
                SampleGenerator.Resubmission(
                    requestID: plain.request.requestID, sequence: 1, enterprise: 0, provider: 0,
                    seed: generator.seed(0, 1), month: month.previous, revision: 2),
                in: &context, next: &ignored)
            note(&notes, month, plain.request.requestID, "ALREADY_DECIDED: revision 2 of a request accepted last month")
        }
        if let rejectedID = anchors.rejectedID {
            var (conflict, _) = try make(
                &context, enterprise: SampleWorld.Special.pending.rawValue, provider: 7, day: 5)
            conflict.request.requestID = rejectedID
            try context.emit(conflict)
            note(&notes, month, rejectedID, "REVISION_CONFLICT: revision 1 again, already reviewed last month")
        }
        if let northern = anchors.northern {
            var (order, _) = try make(&context, enterprise: 12, provider: 1, day: 6)
            order.request.orderNumber = northern.request.orderNumber
            try context.emit(order)
            note(
                &notes, month, order.request.requestID,
                "DUPLICATE_ORDER: \(northern.request.requestID)'s order, claimed last month")
            var (contract, _) = try make(&context, enterprise: 12, provider: 1, day: 7)
            contract.request.shopID = northern.request.shopID
            contract.request.contracts[0].contractNumber = northern.request.contracts[0].contractNumber
            try context.emit(contract)
            note(
                &notes, month, contract.request.requestID,
                "CONTRACT_REUSED: \(northern.request.requestID)'s contract, claimed last month")
        }
    }
}
