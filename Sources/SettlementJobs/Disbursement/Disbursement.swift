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

    /// An item of the batch with a live reservation.
    struct Item {
        var seq: Int
        var requestID: String
        var revision: Int
        var orderNumber: String
        var enterpriseName: String
        var reservationID: Int64
        var accountID: Int64
        var amount: Fen
        var paidBefore: Bool
        /// The item was paid and returned by the bank: it is paid again (a repayment).
        var returned: Bool
        var bank: VoucherAccount?

        /// The ledger kind of paying it now.
        var paymentKind: String { returned ? "repayment" : paidBefore ? "supplement" : "payment" }
    }

    struct Exclusion {
        var requestID: String
        var outcome: String
        var code: String?
        var detail: String
    }

    var month: BatchMonth { run.month }

    func perform() throws -> DisburseStage.Summary {
        var summary = DisburseStage.Summary(month: month, paymentNumber: run.number, dryRun: options.dryRun)
        summary.outputDirectory = output.finalPath
        let items = try liveItems()
        let decidedOrders = Set(
            try connection.query("SELECT order_no FROM decisions WHERE run_id = $1", [String(reviewRunID)]).rows.map {
                $0.string(0)
            })
        let reservedOrders = Set(items.map(\.orderNumber))
        for order in objections.byOrder.keys.sorted() where !decidedOrders.contains(order) {
            summary.ignoredObjections.append("order \(order) is not in batch \(month)")
        }
        for order in objections.byOrder.keys.sorted()
        where decidedOrders.contains(order) && !reservedOrders.contains(order) {
            summary.ignoredObjections.append("order \(order) has nothing reserved to withdraw or hold")
        }
        summary.ignoredObjections += objections.problems

        var lines: [PaymentLine] = []
        var paid: [Item] = []
        var exclusions: [Exclusion] = []
        var releases: [Item] = []
        let messageID =
            "CXQ" + String(month.year) + BatchPaymentFile.pad(month.month, 2) + "P"
            + BatchPaymentFile.pad(run.number, 2)
        let purpose = configuration.purpose(for: month)
        for item in items {
            if !item.returned, let objection = objections.byOrder[item.orderNumber] {
                switch objection.decision {
                case .upheld:
                    releases.append(item)
                    exclusions.append(
                        Exclusion(
                            requestID: item.requestID, outcome: "withdrawn", code: FindingCode.objectionUpheld.rawValue,
                            detail: "异议成立（\(objection.receivedOn)）：\(objection.note)"))
                    summary.withdrawn.append(item.requestID)
                    continue
                case .pending:
                    exclusions.append(
                        Exclusion(
                            requestID: item.requestID, outcome: "held", code: nil,
                            detail: "异议处理中（\(objection.receivedOn)），暂缓拨付"))
                    summary.held.append(item.requestID)
                    continue
                case .dismissed:
                    break
                }
            }
            guard let bank = item.bank else {
                exclusions.append(
                    Exclusion(requestID: item.requestID, outcome: "blocked", code: "NO_VOUCHER", detail: "名册中没有该企业的账户"))
                summary.blocked.append("\(item.requestID): no roster row")
                continue
            }
            var findings = FindingList()
            EligibilityRules.checkBankAccount(bank, into: &findings)
            if let finding = findings.findings.first {
                exclusions.append(
                    Exclusion(
                        requestID: item.requestID, outcome: "blocked", code: finding.code.rawValue,
                        detail: finding.detail))
                summary.blocked.append("\(item.requestID): \(finding.detail)")
                continue
            }
            if item.returned, let previous = try returnedAccount(item.reservationID),
                previous == [bank.accountNumber, bank.bankCode, bank.accountName]
            {
                let detail = "银行退回后账户信息尚未更正（\(bank.accountName) \(bank.accountNumber)），待名册更正后再付"
                exclusions.append(
                    Exclusion(requestID: item.requestID, outcome: "blocked", code: "RETURNED", detail: detail))
                summary.blocked.append("\(item.requestID): returned by the bank, the account is not corrected yet")
                continue
            }
            let outside = GBKText.charactersOutsideGBK(bank.accountName + bank.bankName + purpose)
            if !outside.isEmpty {
                let detail = "收款户名或银行名称含 GBK 以外的字符：\(String(outside))"
                exclusions.append(Exclusion(requestID: item.requestID, outcome: "blocked", code: "GBK", detail: detail))
                summary.blocked.append(
                    "\(item.requestID): characters outside GBK in the account name (\(String(outside)))")
                continue
            }
            let seq = lines.count + 1
            lines.append(
                PaymentLine(
                    seq: seq, endToEndID: messageID + "-" + BatchPaymentFile.pad(seq, 7), requestID: item.requestID,
                    revision: item.revision, amount: item.amount, accountName: bank.accountName,
                    accountNumber: bank.accountNumber, bankCode: bank.bankCode, bankName: bank.bankName,
                    purpose: purpose))
            paid.append(item)
        }
        if run.number > 1 && lines.isEmpty && releases.isEmpty {
            throw SettleError.refused(
                "batch \(month) is already disbursed and nothing new can be paid "
                    + (summary.held.isEmpty ? "" : "(\(summary.held.count) held by pending objections)"))
        }
        if run.number == 1 {
            exclusions += try connection.query(
                "SELECT request_id FROM decisions WHERE run_id = $1 AND status = 'accepted' AND payable = 0 ORDER BY seq",
                [String(reviewRunID)]
            ).rows.map { Exclusion(requestID: $0.string(0), outcome: "zero", code: nil, detail: "拟兑付金额为 0.00，不进入支付文件") }
        }
        let batch = PaymentBatch(
            messageID: messageID, businessDate: options.asOf, payer: configuration.payer, lines: lines)
        try record(batch: batch, paid: paid, releases: releases, exclusions: exclusions)
        summary.payments = batch.count
        summary.total = batch.total
        summary.files = try writeFiles(batch)
        return summary
    }

    /// The accepted items of the current review that still hold a reservation, with the bank data
    /// of the latest roster row (the latest bundle wins for data that can change).
    func liveItems() throws -> [Item] {
        try connection.query(
            """
            SELECT d.seq, d.request_id, d.revision, d.order_no, d.enterprise_name, r.id, r.account_id, r.amount,
                   EXISTS (SELECT 1 FROM ledger_entries p WHERE p.request_id = d.request_id AND p.month = r.month
                                                          AND p.kind = 'payment'),
                   ro.year, ro.uscc, ro.enterprise_name, ro.bank_name, ro.bank_code, ro.account_name, ro.account_number,
                   r.kind = 'return'
              FROM decisions d
              JOIN ledger_entries r ON r.request_id = d.request_id AND r.month = $2 AND r.kind IN ('reservation', 'return')
                                   AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = r.id)
              LEFT JOIN LATERAL (
                    SELECT x.* FROM roster_rows x JOIN bundles b ON b.id = x.bundle_id AND b.is_current
                     WHERE x.uscc = d.enterprise_uscc AND x.year = d.voucher_year AND x.defect IS NULL
                     ORDER BY b.month DESC, x.line DESC LIMIT 1) ro ON true
             WHERE d.run_id = $1 AND (d.status = 'accepted' OR r.kind = 'return')
             ORDER BY d.seq, r.id
            """, [String(reviewRunID), month.description]
        ).rows.map { row in
            var bank: VoucherAccount?
            if let year = row.int(9) {
                bank = VoucherAccount(
                    year: year, uscc: row.string(10), enterpriseName: row.string(11), enterpriseType: "",
                    cityCode: "", qualificationNumber: "", qualifiedOn: CivilDate(daysSinceEpoch: 0),
                    priorYearRevenue: .zero, status: "", grantedOn: CivilDate(daysSinceEpoch: 0), quota: .zero,
                    usedBefore: .zero, bankName: row.string(12), bankCode: row.string(13), accountName: row.string(14),
                    accountNumber: row.string(15))
            }
            return Item(
                seq: row.int(0) ?? 0, requestID: row.string(1), revision: row.int(2) ?? 0, orderNumber: row.string(3),
                enterpriseName: row.string(4), reservationID: row.int64(5) ?? 0, accountID: row.int64(6) ?? 0,
                amount: Fen(row.int64(7) ?? 0), paidBefore: row.bool(8) ?? false, returned: row.bool(16) ?? false,
                bank: bank)
        }
    }

    /// The account a returned payment went to: (account number, bank code, account name).
    func returnedAccount(_ returnEntry: Int64) throws -> [String]? {
        try connection.query(
            """
            SELECT p.account_number, p.bank_code, p.account_name FROM ledger_entries r
              JOIN payment_lines p ON p.ledger_entry = r.corrects WHERE r.id = $1
            """, [String(returnEntry)]
        ).first.map { [$0.string(0), $0.string(1), $0.string(2)] }
    }

    func record(batch: PaymentBatch, paid: [Item], releases: [Item], exclusions: [Exclusion]) throws {
        let runID = String(run.id)
        try connection.execute(
            """
            INSERT INTO disbursements (run_id, month, payment_no, msg_id, business_date, payment_count, payment_total,
                                       objections_sha256)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            [
                runID, month.description, String(run.number), batch.messageID, options.asOf.description,
                String(batch.count), String(batch.total.value), objections.sha256,
            ])
        try connection.copyIn(
            """
            COPY ledger_entries (run_id, account_id, month, request_id, revision, kind, amount, corrects, payment_id, note)
            FROM STDIN
            """
        ) { writer in
            for (item, line) in zip(paid, batch.lines) {
                try writer.write([
                    runID, String(item.accountID), month.description, item.requestID, String(item.revision),
                    item.paymentKind, String(item.amount.value), String(item.reservationID),
                    line.endToEndID, nil,
                ])
            }
            for item in releases {
                try writer.write([
                    runID, String(item.accountID), month.description, item.requestID, String(item.revision), "release",
                    String(item.amount.value), String(item.reservationID), nil, "objection upheld",
                ])
            }
        }
        let fileSize = configuration.maximumLinesPerFile
        let entries = try paymentEntryIDs()
        try connection.copyIn(
            """
            COPY payment_lines (run_id, end_to_end_id, ledger_entry, file_no, seq, request_id, enterprise_name,
                                account_name, account_number, bank_code, bank_name, amount) FROM STDIN
            """
        ) { writer in
            for (item, line) in zip(paid, batch.lines) {
                try writer.write([
                    runID, line.endToEndID, entries[line.endToEndID].map(String.init),
                    String((line.seq - 1) / fileSize + 1),
                    String(line.seq), line.requestID, item.enterpriseName, line.accountName, line.accountNumber,
                    line.bankCode, line.bankName, String(line.amount.value),
                ])
            }
        }
        try connection.copyIn("COPY disbursement_exclusions (run_id, request_id, outcome, code, detail) FROM STDIN") {
            writer in
            for exclusion in exclusions {
                try writer.write([runID, exclusion.requestID, exclusion.outcome, exclusion.code, exclusion.detail])
            }
        }
    }

    func paymentEntryIDs() throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for row in try connection.query(
            "SELECT payment_id, id FROM ledger_entries WHERE run_id = $1 AND payment_id IS NOT NULL", [String(run.id)]
        ).rows {
            ids[row.string(0)] = row.int64(1)
        }
        return ids
    }

    /// Writes the bank files, reads the XML back against the database, and the report and manifest.
    func writeFiles(_ batch: PaymentBatch) throws -> [String] {
        var names: [String] = []
        var fileTotals: [(String, Int, Fen)] = []
        if batch.count > 0 {
            for file in try BatchPaymentFile.files(batch, maximumLinesPerFile: configuration.maximumLinesPerFile) {
                try output.write(file.name, file.bytes, private: true)
                names.append(file.name)
                fileTotals.append((file.name, file.count, file.total))
            }
            try output.produce("pain001.xml", private: true) { path in try Pain001Writer.write(batch, to: path) }
            names.append("pain001.xml")
            try Pain001Writer.verify(output.stagedPath("pain001.xml"), against: try databaseBatch(batch))
            if let xsd = options.xsd ?? configuration.bankXSD {
                let errors = try XMLSchemaValidator.validate(file: output.stagedPath("pain001.xml"), schema: xsd)
                guard errors.isEmpty else {
                    throw BankFileError(
                        "pain001.xml is not valid against \(xsd): " + errors.prefix(5).joined(separator: "; "))
                }
            }
        }
        let report = DisbursementReport(connection: connection, run: run, batch: batch, files: fileTotals)
        try output.write("report.html", text: try report.html())
        var extra = [
            "msg_id": batch.messageID, "pmt_inf_id": batch.paymentInformationID,
            "review": "review-" + BatchPaymentFile.pad(reviewNumber, 2),
        ]
        for file in fileTotals { extra["control " + file.0] = "\(file.1) payments, total \(file.2.yuanText)" }
        if batch.count > 0 { extra["control pain001.xml"] = "\(batch.count) payments, total \(batch.total.yuanText)" }
        let manifest = Manifest(
            batch: month, runNumber: run.number, kind: "disbursement", businessDate: options.asOf,
            policyHash: policyHash, inputs: objections.sha256.map { ["objections.csv": $0] } ?? [:],
            counts: ["payments": batch.count, "bank_files": names.count], totals: ["payments": batch.total],
            extra: extra)
        try output.write("manifest.json", text: manifest.json(files: output.files))
        return names
    }

    /// The batch as the database now holds it, to check the written XML against.
    func databaseBatch(_ written: PaymentBatch) throws -> PaymentBatch {
        var batch = written
        batch.lines = try connection.query(
            """
            SELECT p.end_to_end_id, p.amount FROM payment_lines p JOIN ledger_entries l ON l.id = p.ledger_entry
             WHERE p.run_id = $1 AND l.amount = p.amount ORDER BY p.seq
            """, [String(run.id)]
        ).rows.enumerated().map { index, row in
            PaymentLine(
                seq: index + 1, endToEndID: row.string(0), requestID: "", revision: 0, amount: Fen(row.int64(1) ?? 0),
                accountName: "", accountNumber: "", bankCode: "", bankName: "", purpose: "")
        }
        return batch
    }
}
