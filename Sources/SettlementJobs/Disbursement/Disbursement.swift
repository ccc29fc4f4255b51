import Foundation
import Logging
import SettlementCore
import SettlementStore

/// The work of one disbursement inside its transaction.
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

    /// An item of the batch that is owed money: a live reservation, or a live bank return.
    struct Item {
        var requestID: String
        var revision: Int
        var orderNumber: String
        var enterpriseName: String
        /// The live entry this payment corrects (a reservation or a return).
        var reservationID: Int64
        var accountID: Int64
        var amount: Fen
        /// The live entry is a bank return (the amount is owed again as it was).
        var isReturn: Bool
        /// The money already moved for the item in this batch.
        var history: PaymentHistory
        /// When the item's latest payment line was returned by the bank: the account it went to
        /// (number, bank code, name); paying it again waits for a corrected account.
        var returnedTo: [String]?
        /// A bank answered its payment twice, differently, and nobody has settled it yet.
        var disputed: Bool
        var bank: VoucherAccount?

        /// The ledger kind of paying it now.
        var paymentKind: String {
            isReturn ? OwedPaymentKind.repayment.rawValue : OwedPaymentKind(history: history).rawValue
        }
    }

    struct Exclusion {
        var requestID: String
        var outcome: String
        var code: String?
        var detail: String
    }

    var month: BatchMonth { run.month }
    var messageID: String {
        "CXQ" + String(month.year) + BatchPaymentFile.pad(month.month, 2) + "P" + BatchPaymentFile.pad(run.number, 2)
    }

    /// What the decisions of a page come to.
    struct Page {
        var paid: [(item: Item, line: PaymentLine)] = []
        var releases: [Item] = []
        var exclusions: [Exclusion] = []
    }

    func perform() throws -> DisburseStage.Summary {
        var summary = DisburseStage.Summary(month: month, paymentNumber: run.number, dryRun: options.dryRun)
        summary.outputDirectory = output.finalPath
        try LedgerGuard.verify(connection, .month(month))
        summary.ignoredObjections = try unknownObjections() + objections.problems
        try connection.execute(
            """
            INSERT INTO disbursements (run_id, month, payment_no, msg_id, business_date, payment_count, payment_total,
                                       objections_sha256)
            VALUES ($1, $2, $3, $4, $5, 0, 0, $6)
            """,
            [
                String(run.id), month.description, String(run.number), messageID, options.asOf.description,
                objections.sha256,
            ])
        // Decide and record page by page: memory holds one page whatever the batch's size.
        var count = 0
        var total = Fen.zero
        var releases = 0
        let purpose = configuration.purpose(for: month)
        try connection.execute(Disbursement.itemHistory, [month.description])
        try connection.execute(Disbursement.itemLastLine, [month.description])
        try connection.execute(Disbursement.itemDisputed)
        try connection.execute("ANALYZE item_history; ANALYZE item_last_line; ANALYZE item_disputed")
        try connection.forEachPage(
            Disbursement.liveItemsQuery, [month.description, String(reviewRunID)], pageSize: 5_000
        ) { rows in
            var page = Page()
            for row in rows {
                decide(
                    try Disbursement.item(row), purpose: purpose, next: count + page.paid.count + 1, into: &page,
                    summary: &summary)
            }
            try record(page)
            count += page.paid.count
            total = total.adding(Fen.sum(page.paid.map(\.line.amount)) ?? .zero) ?? total
            releases += page.releases.count
        }
        if run.number > 1 && count == 0 && releases == 0 {
            throw SettleError.refused(
                "batch \(month) is already disbursed and nothing new can be paid "
                    + (summary.held.isEmpty ? "" : "(\(summary.held.count) held by pending objections)"))
        }
        if run.number == 1 {
            try connection.execute(
                """
                INSERT INTO disbursement_exclusions (run_id, request_id, outcome, code, detail)
                SELECT $1, request_id, 'zero', NULL, '拟兑付金额为 0.00，不进入支付文件'
                  FROM decisions WHERE run_id = $2 AND status = 'accepted' AND payable = 0
                """, [String(run.id), String(reviewRunID)])
        }
        try connection.execute(
            "UPDATE disbursements SET payment_count = $2, payment_total = $3 WHERE run_id = $1",
            [String(run.id), String(count), String(total.value)])
        let header = PaymentBatchHeader(
            messageID: messageID, businessDate: options.asOf, payer: configuration.payer, count: count, total: total)
        summary.payments = count
        summary.total = total
        summary.files = try writeFiles(header)
        return summary
    }

    /// Objections naming an order that is not in the batch, or that holds nothing to withdraw or hold.
    func unknownObjections() throws -> [String] {
        let orders = objections.byOrder.keys.sorted().map(\.text)
        guard !orders.isEmpty else { return [] }
        var known: [ByteString: Bool] = [:]
        for row in try connection.query(
            """
            SELECT d.order_no, EXISTS (SELECT 1 FROM ledger_entries r WHERE r.request_id = d.request_id AND r.month = $3
                                        AND r.kind = 'reservation'
                                        AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = r.id))
              FROM decisions d WHERE d.run_id = $1 AND d.order_no = ANY($2::text[])
            """, [String(reviewRunID), PostgresArray.text(orders), month.description]
        ).rows {
            known[ByteString(row.string(0))] = row.bool(1) ?? false
        }
        return orders.compactMap { order in
            switch known[ByteString(order)] {
            case nil: "order \(order) is not in batch \(month)"
            case false?: "order \(order) has nothing reserved to withdraw or hold"
            case true?: nil
            }
        }
    }

    /// What happens to one item: withdrawn, held, blocked, or paid.
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
        let outside = item.bank.map { GBKText.charactersOutsideGBK($0.accountName + $0.bankName + purpose) } ?? []
        let decision = PaymentDecision.decide(
            PaymentDecision.Facts(
                isReturn: item.isReturn, history: item.history, returnedTo: item.returnedTo, disputed: item.disputed,
                objection: objection, account: item.bank, outsideGBK: String(outside)))
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
                Exclusion(
                    requestID: item.requestID, outcome: "withdrawn", code: FindingCode.objectionUpheld.rawValue,
                    detail: detail))
            summary.withdrawn.append(item.requestID)
        case .hold(let reason, let detail):
            page.exclusions.append(
                Exclusion(
                    requestID: item.requestID, outcome: "held", code: reason == .disputed ? reason.rawValue : nil,
                    detail: detail))
            summary.held.append(item.requestID)
        case .leaveOut(let reason, let detail):
            page.exclusions.append(
                Exclusion(requestID: item.requestID, outcome: "blocked", code: reason.rawValue, detail: detail))
            summary.blocked.append("\(item.requestID): \(detail)")
        }
    }

    /// The accepted items of the current review that still hold a reservation (or were returned by
    /// the bank), in allocation order, with the money already moved for them, the account their
    /// latest payment line went to if the bank returned it, whether a bank answer about them is
    /// disputed, and the bank data of the latest roster row (the latest bundle wins for data that
    /// can change). Parameters: $1 the batch month, $2 the current review's run.
    static let liveItemsQuery = """
        SELECT d.seq, d.request_id, d.revision, d.order_no, d.enterprise_name, r.id, r.account_id, r.amount,
               r.kind = 'return', coalesce(h.sent, 0), coalesce(h.returned, 0),
               last.returned, last.account_number, last.bank_code, last.account_name,
               x.request_id IS NOT NULL,
               ro.year, ro.uscc, ro.enterprise_name, ro.bank_name, ro.bank_code, ro.account_name, ro.account_number
          FROM decisions d
          JOIN ledger_entries r ON r.request_id = d.request_id AND r.month = $1 AND r.kind IN ('reservation', 'return')
                               AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = r.id)
          LEFT JOIN item_history h ON h.request_id = d.request_id
          LEFT JOIN item_last_line last ON last.request_id = d.request_id
          LEFT JOIN item_disputed x ON x.request_id = d.request_id
          LEFT JOIN LATERAL (
                SELECT x.* FROM roster_rows x JOIN bundles b ON b.id = x.bundle_id AND b.is_current
                 WHERE x.uscc = d.enterprise_uscc AND x.year = d.voucher_year AND x.defect IS NULL
                 ORDER BY b.month DESC, x.line DESC LIMIT 1) ro ON true
         WHERE d.run_id = $2 AND (d.status = 'accepted' OR r.kind = 'return')
         ORDER BY d.seq, r.id
        """

    /// What the items' money history was before this run, taken once, set-based: the sums sent and
    /// returned per request, the account of its latest payment line if the bank returned it, and
    /// whether a bank answer about it is disputed. (Joined to the items' cursor instead of being
    /// looked up per row: the payment lines this run writes would otherwise change under a plan
    /// made when there were none, and a lookup per row became a scan per row.) $1: the batch month.
    static let itemHistory = """
        CREATE TEMP TABLE item_history ON COMMIT DROP AS
        SELECT request_id,
               coalesce(sum(amount) FILTER (WHERE kind IN \(OwedItemStore.sentKinds)), 0) AS sent,
               coalesce(sum(amount) FILTER (WHERE kind = 'return'), 0) AS returned
          FROM ledger_entries WHERE month = $1
         GROUP BY request_id
        """

    static let itemLastLine = """
        CREATE TEMP TABLE item_last_line ON COMMIT DROP AS
        SELECT DISTINCT ON (pl.request_id) pl.request_id, pl.account_number, pl.bank_code, pl.account_name,
               EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = pl.ledger_entry AND c.kind = 'return')
                   AS returned
          FROM payment_lines pl
          JOIN disbursements dd ON dd.run_id = pl.run_id AND dd.release_state <> 'rejected'
         WHERE pl.request_id IN (SELECT request_id FROM ledger_entries WHERE month = $1)
         ORDER BY pl.request_id, pl.ledger_entry DESC
        """

    static let itemDisputed = """
        CREATE TEMP TABLE item_disputed ON COMMIT DROP AS
        SELECT DISTINCT pl.request_id FROM payment_disputes pd JOIN payment_lines pl ON pl.end_to_end_id = pd.end_to_end_id
         WHERE pd.resolution IS NULL
        """

    static func item(_ row: QueryResult.Row) throws -> Item {
        guard let reservationID = row.int64(5), let accountID = row.int64(6), let amount = row.int64(7),
            let sent = row.int64(9), let returned = row.int64(10), let revision = row.int(2)
        else { throw SettleError(.unexpected, "a live ledger entry of \(row.string(1)) has a NULL amount or id") }
        var bank: VoucherAccount?
        if let year = row.int(16) {
            bank = VoucherAccount(
                year: year, uscc: row.string(17), enterpriseName: row.string(18), enterpriseType: "", cityCode: "",
                qualificationNumber: "", qualifiedOn: CivilDate(daysSinceEpoch: 0), priorYearRevenue: .zero, status: "",
                grantedOn: CivilDate(daysSinceEpoch: 0), quota: .zero, usedBefore: .zero, bankName: row.string(19),
                bankCode: row.string(20), accountName: row.string(21), accountNumber: row.string(22))
        }
        return Item(
            requestID: row.string(1), revision: revision, orderNumber: row.string(3), enterpriseName: row.string(4),
            reservationID: reservationID, accountID: accountID, amount: Fen(amount), isReturn: row.bool(8) ?? false,
            history: PaymentHistory(sent: Fen(sent), returned: Fen(returned)),
            returnedTo: row.bool(11) == true ? [row.string(12), row.string(13), row.string(14)] : nil,
            disputed: row.bool(15) ?? false, bank: bank)
    }

    /// Records a page: payment and release entries, the payment lines, the exclusions.
    func record(_ page: Page) throws {
        let runID = String(run.id)
        if !page.paid.isEmpty || !page.releases.isEmpty {
            try connection.copyIn(
                """
                COPY ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, corrects, payment_id, note)
                FROM STDIN
                """
            ) { writer in
                for (item, line) in page.paid {
                    try writer.write([
                        runID, String(item.accountID), month.description, item.requestID, String(item.revision),
                        item.paymentKind, String(item.amount.value), String(item.reservationID), line.endToEndID, nil,
                    ])
                }
                for item in page.releases {
                    try writer.write([
                        runID, String(item.accountID), month.description, item.requestID, String(item.revision),
                        "release",
                        String(item.amount.value), String(item.reservationID), nil, "objection upheld",
                    ])
                }
            }
        }
        if !page.paid.isEmpty {
            var entries: [String: Int64] = [:]
            for row in try connection.query(
                "SELECT payment_id, id FROM ledger_entries WHERE payment_id = ANY($1::text[])",
                [PostgresArray.text(page.paid.map(\.line.endToEndID))]
            ).rows {
                entries[row.string(0)] = row.int64(1)
            }
            let fileSize = configuration.maximumLinesPerFile
            try connection.copyIn(
                """
                COPY payment_lines (run_id, end_to_end_id, ledger_entry, file_no, seq, request_id, enterprise_name,
                                    account_name, account_number, bank_code, bank_name, amount) FROM STDIN
                """
            ) { writer in
                for (item, line) in page.paid {
                    try writer.write([
                        runID, line.endToEndID, entries[line.endToEndID].map(String.init),
                        String((line.seq - 1) / fileSize + 1), String(line.seq), line.requestID, item.enterpriseName,
                        line.accountName, line.accountNumber, line.bankCode, line.bankName, String(line.amount.value),
                    ])
                }
            }
        }
        if !page.exclusions.isEmpty {
            try connection.copyIn("COPY disbursement_exclusions (run_id, request_id, outcome, code, detail) FROM STDIN")
            { writer in
                for exclusion in page.exclusions {
                    try writer.write([runID, exclusion.requestID, exclusion.outcome, exclusion.code, exclusion.detail])
                }
            }
        }
    }

    /// The payment lines of this run as the database holds them, in order, a page at a time.
    func forEachPaymentLine(_ body: (PaymentLine) throws -> Void) throws {
        let purpose = configuration.purpose(for: month)
        try connection.forEachPage(
            """
            SELECT p.seq, p.end_to_end_id, p.request_id, p.amount, p.account_name, p.account_number, p.bank_code,
                   p.bank_name
              FROM payment_lines p JOIN ledger_entries l ON l.id = p.ledger_entry AND l.amount = p.amount
             WHERE p.run_id = \(run.id) ORDER BY p.seq
            """, pageSize: 5_000
        ) { rows in
            for row in rows {
                try body(
                    PaymentLine(
                        seq: row.int(0) ?? 0, endToEndID: row.string(1), requestID: row.string(2),
                        amount: Fen(row.int64(3) ?? 0), accountName: row.string(4), accountNumber: row.string(5),
                        bankCode: row.string(6), bankName: row.string(7), purpose: purpose))
            }
        }
    }

    /// Writes the bank files from the database, reads the XML back against it, then the report and
    /// the manifest.
    func writeFiles(_ header: PaymentBatchHeader) throws -> [String] {
        var names: [String] = []
        var fileTotals: [(String, Int, Fen)] = []
        if header.count > 0 {
            var chunk: [PaymentLine] = []
            func flush() throws {
                guard !chunk.isEmpty else { return }
                let number = fileTotals.count + 1
                let file = try BatchPaymentFile.bytes(header, number: number, lines: chunk)
                let name = BatchPaymentFile.name(number)
                try output.write(name, file.bytes, private: true)
                names.append(name)
                fileTotals.append((name, chunk.count, file.total))
                chunk.removeAll(keepingCapacity: true)
            }
            // One pass writes the batch files and fingerprints the database's payments for the XML check.
            var database = PaymentDigest()
            try forEachPaymentLine { line in
                database.add(id: line.endToEndID, amount: line.amount.yuanText)
                chunk.append(line)
                if chunk.count == configuration.maximumLinesPerFile { try flush() }
            }
            try flush()
            try output.produce("pain001.xml", private: true) { path in
                try Pain001Writer.write(header, to: path) { emit in try forEachPaymentLine(emit) }
            }
            names.append("pain001.xml")
            try Pain001Writer.verify(output.stagedPath("pain001.xml"), header: header, database: database.finish())
            if let xsd = options.xsd ?? configuration.bankXSD {
                let errors = try XMLSchemaValidator.validate(file: output.stagedPath("pain001.xml"), schema: xsd)
                guard errors.isEmpty else {
                    throw BankFileError(
                        "pain001.xml is not valid against \(xsd): " + errors.prefix(5).joined(separator: "; "))
                }
            }
        }
        let report = DisbursementReport(connection: connection, run: run, header: header, files: fileTotals)
        // It names the accounts of items not paid (and why): private, like the bank files.
        try output.write("report.html", text: try report.html(), private: true)
        var extra = [
            "msg_id": header.messageID, "pmt_inf_id": header.paymentInformationID,
            "review": "review-" + BatchPaymentFile.pad(reviewNumber, 2),
            "release": "prepared — 待复核: released to <out>/outbox/ only by `settle approve` of a second person",
        ]
        for file in fileTotals { extra["control " + file.0] = "\(file.1) payments, total \(file.2.yuanText)" }
        if header.count > 0 {
            extra["control pain001.xml"] = "\(header.count) payments, total \(header.total.yuanText)"
        }
        try FinanceWorkbooks.payment(
            connection: connection, runID: run.id, files: fileTotals, businessDate: options.asOf, output: output)
        let notices = try NoticeWriter(connection: connection, templates: configuration.noticeTemplates).money(
            runID: run.id, month: month, date: options.asOf, output: output)
        extra["notices"] = notices.manifestLine
        let manifest = Manifest(
            batch: month, runNumber: run.number, kind: "disbursement", businessDate: options.asOf,
            policyHash: policyHash, inputs: objections.sha256.map { ["objections.csv": $0] } ?? [:],
            counts: ["payments": header.count, "bank_files": names.count], totals: ["payments": header.total],
            extra: extra)
        try output.write("manifest.json", text: manifest.json(files: output.files))
        return names
    }
}
