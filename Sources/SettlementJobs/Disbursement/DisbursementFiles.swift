import SettlementCore
import SettlementStore

/// The outputs of a disbursement, written from what the database recorded: the GBK batch files,
/// `pain001.xml` (read back and checked against the database), the report, the finance
/// workbook, the notices and the manifest.
struct DisbursementFiles {
    let disbursement: Disbursement

    var run: RunRecord { disbursement.run }
    var output: OutputDirectory { disbursement.output }
    var configuration: SettleConfiguration { disbursement.configuration }
    var connection: Connection { disbursement.connection }

    /// The payment lines of this run as the database holds them, in order, a page at a time.
    func forEachPaymentLine(_ body: (PaymentLine) throws -> Void) throws {
        let purpose = configuration.purpose(for: run.month)
        try DisbursementStore(connection: connection).forEachPaymentLine(runID: run.id) { line in
            try body(
                PaymentLine(
                    seq: line.seq, endToEndID: line.endToEndID, requestID: line.requestID, amount: line.amount,
                    accountName: line.accountName, accountNumber: line.accountNumber, bankCode: line.bankCode,
                    bankName: line.bankName, purpose: purpose))
        }
    }

    /// Writes the bank files from the database, reads the XML back against it, then the report and
    /// the manifest. Returns the bank files' names.
    func write(_ header: PaymentBatchHeader) throws -> [String] {
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
            if let xsd = disbursement.options.xsd ?? configuration.bankXSD {
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
            "review": "review-" + BatchPaymentFile.pad(disbursement.reviewNumber, 2),
            "release": "prepared — 待复核: released to <out>/outbox/ only by `settle approve` of a second person",
        ]
        for file in fileTotals { extra["control " + file.0] = "\(file.1) payments, total \(file.2.yuanText)" }
        if header.count > 0 {
            extra["control pain001.xml"] = "\(header.count) payments, total \(header.total.yuanText)"
        }
        try FinanceWorkbooks.payment(
            connection: connection, runID: run.id, files: fileTotals, businessDate: disbursement.options.asOf,
            output: output)
        let notices = try NoticeWriter(connection: connection, templates: configuration.noticeTemplates).money(
            runID: run.id, month: run.month, date: disbursement.options.asOf, output: output)
        extra["notices"] = notices.manifestLine
        let manifest = Manifest(
            batch: run.month, runNumber: run.number, kind: "disbursement", businessDate: disbursement.options.asOf,
            policyHash: disbursement.policyHash,
            inputs: disbursement.objections.sha256.map { ["objections.csv": $0] } ?? [:],
            counts: ["payments": header.count, "bank_files": names.count], totals: ["payments": header.total],
            extra: extra)
        try output.write("manifest.json", text: manifest.json(files: output.files))
        return names
    }
}
