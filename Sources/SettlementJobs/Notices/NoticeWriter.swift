import SettlementCore
import SettlementStore

/// Produces the notices of a run (review: needs correction / accepted / rejected; disbursement:
/// paid / repaid / withdrawn; reconcile: returned), stores the new ones (an event notified before
/// keeps its notice and is not listed again) and writes them to `notices.csv` (mode 0600: mobiles
/// are personal data).
struct NoticeWriter {
    let connection: Connection
    /// The configuration's templates, read once for the run.
    let templates: NoticeTemplates.Compiled

    init(connection: Connection, templates: NoticeTemplates) {
        self.connection = connection
        self.templates = templates.compiled()
    }

    static let header = [
        "notice_id", "enterprise_uscc", "enterprise_name", "contact_mobile", "order_no", "kind", "text",
    ]

    struct Summary {
        var produced = 0
        var withoutMobile = 0

        var manifestLine: String {
            "\(produced) new notices" + (withoutMobile > 0 ? ", \(withoutMobile) without a usable contact_mobile" : "")
        }
    }

    func row(_ event: NoticeEvent, uscc: String, mobile: String) -> NoticeStore.Row {
        let problem = MobileNumber.problem(mobile)
        return NoticeStore.Row(
            noticeID: event.noticeID, requestID: event.requestID, revision: event.revision, kind: event.kind.rawValue,
            enterpriseUSCC: uscc, enterpriseName: event.enterpriseName, contactMobile: problem == nil ? mobile : "",
            mobileProblem: problem, orderNumber: event.orderNumber, text: templates.text(event))
    }

    /// The notice of a review's decision, to `mobile` (the account's, from `ReviewWorkspace`):
    /// accepted (with the amount and the publicity's last day), needs correction (with the reasons
    /// and the redemption deadline of the voucher's year) or rejected (with the reasons).
    func reviewNotice(_ decision: Decision, mobile: String, window: PublicityWindow, policies: PolicyBook)
        -> NoticeStore.Row
    {
        let problems = decision.findings.filter { $0.code.severity != .warn }.map(\.code.label)
        var event = NoticeEvent(
            kind: .accepted, requestID: decision.requestID, revision: decision.revision,
            enterpriseName: decision.enterpriseName, orderNumber: decision.orderNumber)
        switch decision.status {
        case .accepted:
            event.amount = decision.payable
            event.date = window.lastDay
        case .needsCorrection:
            event.kind = .needsCorrection
            event.reasons = problems
            event.date = policies.policy(for: decision.voucherYear).redemptionDeadline
        case .rejected:
            event.kind = .rejected
            event.reasons = problems
        }
        return row(event, uscc: decision.enterpriseUSCC, mobile: mobile)
    }

    /// The notices of the money a disbursement, a reconcile or a resolution moved.
    func money(runID: Int64, month: BatchMonth, date: CivilDate?, output: OutputDirectory) throws -> Summary {
        let store = NoticeStore(connection: connection)
        try recordPages(runID: runID, month: month, { try store.moneyFacts(runID: runID, $0) }) { fact in
            var event = NoticeEvent(
                kind: fact.kind, requestID: fact.requestID, revision: fact.revision, paymentID: fact.paymentID,
                enterpriseName: fact.enterpriseName, orderNumber: fact.orderNumber, amount: fact.amount,
                date: date, accountTail: MobileNumber.tail(fact.accountNumber))
            if fact.kind == .returned {
                let reason =
                    fact.detail.hasPrefix("returned by the bank: ")
                    ? String(fact.detail.dropFirst("returned by the bank: ".count)) : fact.detail
                event.reasons = [reason.isEmpty ? "银行退回" : reason]
            }
            return row(event, uscc: fact.enterpriseUSCC, mobile: fact.contactMobile)
        }
        return try write(runID: runID, output: output)
    }

    /// Makes the notices of each page of facts and stores them, page *i* on a background job while
    /// page *i + 1* is made; the next page is fetched only once the job has finished (one
    /// statement at a time on the connection).
    func recordPages<Fact>(
        runID: Int64, month: BatchMonth, _ pages: (([Fact]) throws -> Void) throws -> Void,
        _ make: @escaping (Fact) -> NoticeStore.Row
    ) throws {
        let store = NoticeStore(connection: connection)
        let storing = BackgroundJob()
        var made: [NoticeStore.Row] = []
        try pages { facts in
            let previous = made
            if !previous.isEmpty { storing.start { try store.record(previous, runID: runID, month: month) } }
            made = facts.map(make)
            try storing.wait()
        }
        if !made.isEmpty { try store.record(made, runID: runID, month: month) }
    }

    func write(runID: Int64, output: OutputDirectory) throws -> Summary {
        try NoticeWriter.list(into: output) { try NoticeStore(connection: connection).produced(runID: runID, $0) }
    }

    /// Writes `notices.csv` from `notices`, which calls its argument with each notice in order.
    static func list(
        into output: OutputDirectory, _ notices: ((NoticeStore.Row) throws -> Void) throws -> Void
    ) throws -> Summary {
        try output.stream("notices.csv", private: true) { file in
            var list = try NoticeList(file: file)
            try notices { try list.append($0) }
            return list.summary
        }
    }
}
