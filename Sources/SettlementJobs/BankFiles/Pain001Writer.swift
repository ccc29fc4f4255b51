import SettlementCore

/// Writes ISO 20022 `pain.001.001.03` (customer credit transfer initiation) with libxml2's
/// streaming writer: one `PmtInf`, CNY, creditor agents identified by CNAPS clearing-system
/// member ids, `NbOfTxs`/`CtrlSum` computed from the lines.
enum Pain001Writer {
    static let namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"

    /// Writes the file; `lines` calls its argument once per payment, in order.
    static func write(
        _ batch: PaymentBatchHeader, to path: String, lines: ((PaymentLine) throws -> Void) throws -> Void
    ) throws {
        let xml = try XMLStreamWriter(path: path)
        try xml.start("Document", namespace: namespace)
        try xml.start("CstmrCdtTrfInitn")
        try xml.start("GrpHdr")
        try xml.element("MsgId", batch.messageID)
        // The business date, not the wall clock: the same inputs give the same bytes.
        try xml.element("CreDtTm", batch.businessDate.description + "T00:00:00")
        try xml.element("NbOfTxs", String(batch.count))
        try xml.element("CtrlSum", batch.total.yuanText)
        try xml.start("InitgPty")
        try xml.element("Nm", XMLText.limited(batch.payer.name, 140))
        try xml.end()
        try xml.end()  // GrpHdr

        try xml.start("PmtInf")
        try xml.element("PmtInfId", batch.paymentInformationID)
        try xml.element("PmtMtd", "TRF")
        try xml.element("BtchBookg", "false")
        try xml.element("NbOfTxs", String(batch.count))
        try xml.element("CtrlSum", batch.total.yuanText)
        try xml.element("ReqdExctnDt", batch.businessDate.description)
        try xml.start("Dbtr")
        try xml.element("Nm", XMLText.limited(batch.payer.name, 140))
        try xml.end()
        try account(xml, "DbtrAcct", number: batch.payer.account, currency: true)
        try agent(xml, "DbtrAgt", code: batch.payer.bankCode, name: batch.payer.bankName)
        try xml.element("ChrgBr", "DEBT")
        try lines { line in
            try xml.start("CdtTrfTxInf")
            try xml.start("PmtId")
            try xml.element("InstrId", line.endToEndID)
            try xml.element("EndToEndId", line.endToEndID)
            try xml.end()
            try xml.start("Amt")
            try xml.start("InstdAmt")
            try xml.attribute("Ccy", "CNY")
            try xml.text(line.amount.yuanText)
            try xml.end()
            try xml.end()
            try agent(xml, "CdtrAgt", code: line.bankCode, name: line.bankName)
            try xml.start("Cdtr")
            try xml.element("Nm", XMLText.limited(line.accountName, 140))
            try xml.end()
            try account(xml, "CdtrAcct", number: line.accountNumber, currency: false)
            try xml.start("RmtInf")
            try xml.element("Ustrd", XMLText.limited(line.purpose + " " + line.requestID, 140))
            try xml.end()
            try xml.end()  // CdtTrfTxInf
        }
        try xml.end()  // PmtInf
        try xml.end()  // CstmrCdtTrfInitn
        try xml.end()  // Document
        try xml.finish()
    }

    static func account(_ xml: XMLStreamWriter, _ name: String, number: String, currency: Bool) throws {
        try xml.start(name)
        try xml.start("Id")
        try xml.start("Othr")
        try xml.element("Id", number)
        try xml.end()
        try xml.end()
        if currency { try xml.element("Ccy", "CNY") }
        try xml.end()
    }

    static func agent(_ xml: XMLStreamWriter, _ name: String, code: String, name bankName: String) throws {
        try xml.start(name)
        try xml.start("FinInstnId")
        try xml.start("ClrSysMmbId")
        try xml.start("ClrSysId")
        try xml.element("Cd", "CNAPS")
        try xml.end()
        try xml.element("MmbId", code)
        try xml.end()
        try xml.element("Nm", XMLText.limited(bankName, 140))
        try xml.end()
        try xml.end()
    }

    /// What a written file says, read back with libxml2's reader: the group header and payment
    /// information controls, and the digest of its transactions.
    struct ReadBack {
        var messageID = ""
        var headerCount = -1
        var headerSum = ""
        var infoCount = -1
        var infoSum = ""
        var transactions = PaymentDigest()
    }

    static func readBack(_ path: String) throws -> ReadBack {
        var result = ReadBack()
        var currentID = ""
        try XMLDocumentReader.read(path: path) { elementPath, attributes, text in
            switch elementPath {
            case "Document/CstmrCdtTrfInitn/GrpHdr/MsgId": result.messageID = text ?? ""
            case "Document/CstmrCdtTrfInitn/GrpHdr/NbOfTxs": result.headerCount = Int(text ?? "") ?? -1
            case "Document/CstmrCdtTrfInitn/GrpHdr/CtrlSum": result.headerSum = text ?? ""
            case "Document/CstmrCdtTrfInitn/PmtInf/NbOfTxs": result.infoCount = Int(text ?? "") ?? -1
            case "Document/CstmrCdtTrfInitn/PmtInf/CtrlSum": result.infoSum = text ?? ""
            case "Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf/PmtId/EndToEndId": currentID = text ?? ""
            case "Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf/Amt/InstdAmt":
                guard attributes["Ccy"] == "CNY" else { throw BankFileError("\(path): a transaction is not in CNY") }
                result.transactions.add(id: currentID, amount: text ?? "")
            default: break
            }
        }
        result.transactions = result.transactions.finish()
        return result
    }

    /// Checks a written file against the payments the database holds: MsgId, both controls, and
    /// every id and amount in order (by digest).
    static func verify(_ path: String, header: PaymentBatchHeader, database: PaymentDigest) throws {
        let read = try readBack(path)
        var problems: [String] = []
        if read.messageID != header.messageID { problems.append("MsgId \(read.messageID) ≠ \(header.messageID)") }
        if read.headerCount != database.count || read.infoCount != database.count
            || read.transactions.count != database.count
        {
            problems.append(
                "counts \(read.headerCount)/\(read.infoCount)/\(read.transactions.count) ≠ \(database.count)")
        }
        let total = database.total.yuanText
        if read.headerSum != total || read.infoSum != total || read.transactions.total != database.total {
            problems.append(
                "control sums \(read.headerSum)/\(read.infoSum)/\(read.transactions.total.yuanText) ≠ \(total)")
        }
        if read.transactions.sha256 != database.sha256 {
            problems.append("the transactions differ from the payment lines")
        }
        guard problems.isEmpty else {
            throw BankFileError("\(path) does not match the payments: " + problems.joined(separator: "; "))
        }
    }
}
