import Logging
import SettlementCore
import SettlementStore

/// The work of one disbursement inside its transaction: page by page, each item owed money is
/// decided by the core (`PaymentDecision`), then its ledger entry, payment line or exclusion is
/// recorded through the store; the bank files are written from the recorded lines at the end
/// (`DisbursementFiles`). Memory holds one page whatever the batch's size.
struct Disbursement {
    let connection: Connection
    let configuration: SettleConfiguration
    let run: RunRecord
    let reviewRunID: Int64
    let reviewNumber: Int
    let policyHash: String
    let options: DisburseStage.Options
    let objections: ObjectionList
    let output: OutputDirectory
    let logger: Logger

    typealias Item = DisbursementStore.OwedItem

    var month: BatchMonth { run.month }
    var messageID: String {
        "CXQ" + String(month.year) + BatchPaymentFile.pad(month.month, 2) + "P" + BatchPaymentFile.pad(run.number, 2)
    }

    /// What the decisions of a page come to.
    struct Page {
        var paid: [(item: Item, line: PaymentLine)] = []
        var releases: [Item] = []
        var exclusions: [DisbursementStore.Exclusion] = []
    }

    func perform() throws -> DisburseStage.Summary {
        var summary = DisburseStage.Summary(month: month, paymentNumber: run.number, dryRun: options.dryRun)
        summary.outputDirectory = output.finalPath
        let store = DisbursementStore(connection: connection)
        try LedgerGuard.verify(connection, .month(month))
        summary.ignoredObjections = try unknownObjections(store) + objections.problems
        try store.begin(
            runID: run.id, month: month, paymentNumber: run.number, messageID: messageID, businessDate: options.asOf,
            objectionsSHA256: objections.sha256)
        var count = 0
        var total = Fen.zero
        var releases = 0
        let purpose = configuration.purpose(for: month)
        try store.takeItemHistories(month: month)
        try store.forEachOwedItemPage(month: month, reviewRunID: reviewRunID) { items in
            var page = Page()
            for item in items {
                decide(item, purpose: purpose, next: count + page.paid.count + 1, into: &page, summary: &summary)
            }
            try record(page, store: store)
            count += page.paid.count
            total = total.adding(Fen.sum(page.paid.map(\.line.amount)) ?? .zero) ?? total
            releases += page.releases.count
        }
        if run.number > 1 && count == 0 && releases == 0 {
            throw SettleError(
                .nothingNew,
                "batch \(month) is already disbursed and nothing new can be paid "
                    + (summary.held.isEmpty ? "" : "(\(summary.held.count) held by pending objections)"))
        }
        if run.number == 1 {
            try store.excludeZeroPayable(runID: run.id, reviewRunID: reviewRunID, detail: "拟兑付金额为 0.00，不进入支付文件")
        }
        try store.setTotals(runID: run.id, count: count, total: total)
        let header = PaymentBatchHeader(
            messageID: messageID, businessDate: options.asOf, payer: configuration.payer, count: count, total: total)
        summary.payments = count
        summary.total = total
        summary.files = try DisbursementFiles(disbursement: self).write(header)
        return summary
    }

    /// Objections naming an order that is not in the batch, or that holds nothing to withdraw or hold.
    func unknownObjections(_ store: DisbursementStore) throws -> [String] {
        let orders = objections.byOrder.keys.sorted().map(\.text)
        guard !orders.isEmpty else { return [] }
        let known = try store.objectionTargets(orders: orders, reviewRunID: reviewRunID, month: month)
        return orders.compactMap { order in
            switch known[ByteString(order)] {
            case nil: "order \(order) is not in batch \(month)"
            case false?: "order \(order) has nothing reserved to withdraw or hold"
            case true?: nil
            }
        }
    }

    /// What happens to one item: withdrawn, held, left out, or paid (the rule is `PaymentDecision`).
    func decide(
        _ item: Item, purpose: String, next seq: Int, into page: inout Page, summary: inout DisburseStage.Summary
    ) {
        var objection: PaymentDecision.Objection?
        if let found = objections.byOrder[ByteString(item.orderNumber)] {
            switch found.decision {
            case .upheld: objection = .upheld(receivedOn: found.receivedOn, note: found.note)
            case .pending: objection = .pending(receivedOn: found.receivedOn)
            case .dismissed: objection = .dismissed
            }
        }
        let written = item.bank.map { $0.accountName + $0.bankName + purpose } ?? ""
        let outside = GBKText.charactersOutsideGBK(written)
        let decision = PaymentDecision.decide(
            PaymentDecision.Facts(
                isReturn: item.isReturn, history: item.history, returnedTo: item.returnedTo, disputed: item.disputed,
                objection: objection, account: item.bank, outsideGBK: String(outside),
                controlCharacters: GBKText.controlCharacters(written)))
        switch decision {
        case .pay:
            guard let bank = item.bank else { return }
            page.paid.append(
                (
                    item,
                    PaymentLine(
                        seq: seq, endToEndID: messageID + "-" + BatchPaymentFile.pad(seq, 7), requestID: item.requestID,
                        amount: item.amount, accountName: bank.accountName, accountNumber: bank.accountNumber,
                        bankCode: bank.bankCode, bankName: bank.bankName, purpose: purpose)
                ))
        case .withdraw(let detail):
            page.releases.append(item)
            page.exclusions.append(
                .init(
                    requestID: item.requestID, outcome: .withdrawn, code: FindingCode.objectionUpheld.rawValue,
                    detail: detail))
            summary.withdrawn.append(item.requestID)
        case .hold(let reason, let detail):
            page.exclusions.append(
                .init(
                    requestID: item.requestID, outcome: .held, code: reason == .disputed ? reason.rawValue : nil,
                    detail: detail))
            summary.held.append(item.requestID)
        case .leaveOut(let reason, let detail):
            page.exclusions.append(
                .init(requestID: item.requestID, outcome: .blocked, code: reason.rawValue, detail: detail))
            summary.blocked.append("\(item.requestID): \(detail)")
        }
    }

    /// Records a page: the ledger's payment and release entries, then the payment lines naming
    /// their entries, then the exclusions.
    func record(_ page: Page, store: DisbursementStore) throws {
        let ledger = Ledger(connection: connection)
        try ledger.append(
            page.paid.map { item, line in
                Ledger.NewEntry(
                    runID: run.id, accountID: item.accountID, month: month, requestID: item.requestID,
                    revision: item.revision, kind: item.paymentKind, amount: item.amount, corrects: item.owingEntryID,
                    paymentID: line.endToEndID)
            }
                + page.releases.map { item in
                    Ledger.NewEntry(
                        runID: run.id, accountID: item.accountID, month: month, requestID: item.requestID,
                        revision: item.revision, kind: .release, amount: item.amount, corrects: item.owingEntryID,
                        note: "objection upheld")
                })
        if !page.paid.isEmpty {
            let entries = try ledger.entryIDs(paymentIDs: page.paid.map(\.line.endToEndID))
            let fileSize = configuration.maximumLinesPerFile
            try store.recordPaymentLines(
                runID: run.id,
                try page.paid.map { item, line in
                    guard let entry = entries[line.endToEndID] else {
                        throw SettleError(.unexpected, "payment \(line.endToEndID) has no ledger entry")
                    }
                    return DisbursementStore.NewPaymentLine(
                        endToEndID: line.endToEndID, ledgerEntry: entry, fileNumber: (line.seq - 1) / fileSize + 1,
                        seq: line.seq, requestID: line.requestID, enterpriseName: item.enterpriseName,
                        accountName: line.accountName, accountNumber: line.accountNumber, bankCode: line.bankCode,
                        bankName: line.bankName, amount: line.amount)
                })
        }
        try store.recordExclusions(runID: run.id, page.exclusions)
    }
}
