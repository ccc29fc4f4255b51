import Foundation
import SettlementCore
import SettlementFormats
import SettlementJobs
import SettlementStore
import Testing

@Suite("Disbursement and the bank files")
struct DisbursementTests {
    /// The official ISO 20022 schema, fetched by Scripts/test.sh from a public package (never committed).
    static var officialXSD: String? {
        ProcessInfo.processInfo.environment["SETTLE_TEST_PAIN001_XSD"].flatMap {
            FileManager.default.fileExists(atPath: $0) ? $0 : nil
        }
    }

    /// Rows of a GBK batch file, decoded.
    func gbkRows(_ path: String) throws -> [[String]] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let text = try #require(String(data: Data(bytes), encoding: String.Encoding(rawValue: 0x8000_0632)))
        var rows: [[String]] = []
        var parser = CSVParser()
        parser.feed(Array(text.utf8)) { rows.append($0.fields) }
        parser.finish { rows.append($0.fields) }
        return rows
    }

    @Test("the July batch: refused before publicity closes, then paid once, files matching the database")
    func julyBatch() throws {
        try withHarness { harness in
            _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-07")
            let review = try harness.review("2024-07")
            #expect(review.window.lastDay == CivilDate(iso: "2024-08-07"))
            let early = #expect(throws: SettleError.self) { try harness.disburse("2024-07", asOf: "2024-08-07") }
            #expect(early?.exitCode == 5)
            #expect(early?.message.contains("2024-08-08") == true)

            let summary = try harness.disburse("2024-07", asOf: "2024-08-08", xsd: DisbursementTests.officialXSD)
            let accepted = try harness.connection.query(
                "SELECT count(*), sum(payable) FROM decisions WHERE status = 'accepted' AND payable > 0"
            ).first
            #expect(summary.payments == accepted?.int(0))
            #expect(summary.total.value == accepted?.int64(1))
            #expect(summary.files == ["payments-001.csv", "pain001.xml"])

            // The GBK file decodes back to the rows the database holds.
            let rows = try gbkRows(summary.outputDirectory + "/payments-001.csv")
            #expect(rows[0] == ["批次号", "付款账号", "付款户名", "总笔数", "总金额", "日期"])
            #expect(rows[1][3] == String(summary.payments))
            #expect(rows[1][4] == summary.total.yuanText)
            #expect(rows[2] == ["序号", "收款账号", "收款户名", "收款行行号", "收款行名称", "金额", "用途", "企业流水号"])
            let database = try harness.connection.query(
                "SELECT seq, account_number, account_name, bank_code, bank_name, amount, end_to_end_id FROM payment_lines ORDER BY seq"
            )
            #expect(rows.count - 3 == database.rows.count)
            for (row, stored) in zip(rows.dropFirst(3), database.rows) {
                #expect(row[0] == stored.string(0))
                #expect(row[1] == stored.string(1))
                #expect(row[2] == stored.string(2))
                #expect(row[3] == stored.string(3))
                #expect(row[4] == stored.string(4))
                #expect(row[5] == Fen(stored.int64(5) ?? 0).yuanText)
                #expect(row[6] == "省科技创新券兑付2024年07月")
                #expect(row[7] == stored.string(6))
            }
            // The XML's counts and sum equal the database's.
            let xml = try String(contentsOfFile: summary.outputDirectory + "/pain001.xml", encoding: .utf8)
            #expect(xml.contains("<NbOfTxs>\(database.rows.count)</NbOfTxs>"))
            #expect(xml.contains("<CtrlSum>\(summary.total.yuanText)</CtrlSum>"))
            #expect(xml.components(separatedBy: "<CdtTrfTxInf>").count - 1 == database.rows.count)
            #expect(xml.contains("<Cd>CNAPS</Cd>"))
            // Payment files name bank accounts: mode 0600.
            for name in ["pain001.xml", "payments-001.csv", "report.html"] {
                let attributes = try FileManager.default.attributesOfItem(atPath: summary.outputDirectory + "/" + name)
                #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(name)")
            }
            // Reservations became payments; nothing is left reserved for this batch.
            let ledger = try harness.connection.query(
                "SELECT sum(reserved_fen), sum(paid_fen) FROM voucher_accounts"
            ).first
            #expect(ledger?.int64(0) == 0)
            #expect(ledger?.int64(1) == summary.total.value)

            let again = #expect(throws: SettleError.self) { try harness.disburse("2024-07", asOf: "2024-08-20") }
            #expect(again?.exitCode == 5)
        }
    }

    @Test("the written pain.001 is valid against the official ISO 20022 schema")
    func officialSchema() throws {
        guard let xsd = DisbursementTests.officialXSD else {
            Issue.record("SETTLE_TEST_PAIN001_XSD is not set: Scripts/test.sh fetches the ISO schema")
            return
        }
        try withHarness { harness in
            _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-07")
            _ = try harness.review("2024-07")
            _ = try harness.disburse("2024-07", asOf: "2024-08-08", xsd: xsd)
            let path = harness.out + "/2024-07/payment-01/pain001.xml"
            let errors = try XMLSchemaValidator.validate(file: path, schema: xsd)
            #expect(errors.isEmpty, "\(errors)")
        }
    }

    @Test("splitting at the line limit keeps every file's totals right")
    func splitting() throws {
        try withHarness { harness in
            _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-07")
            _ = try harness.review("2024-07")
            let summary = try harness.disburse("2024-07", asOf: "2024-08-08") { $0.maximumLinesPerFile = 10 }
            let csvFiles = summary.files.filter { $0.hasSuffix(".csv") }
            #expect(csvFiles.count == (summary.payments + 9) / 10)
            var total = Fen.zero
            var count = 0
            for (index, name) in csvFiles.enumerated() {
                let rows = try gbkRows(summary.outputDirectory + "/" + name)
                let details = rows.dropFirst(3)
                #expect(details.count == (index < csvFiles.count - 1 ? 10 : summary.payments - 10 * index))
                let sum = try #require(Fen.sum(details.map { Fen(yuan: $0[5]) ?? Fen(-1) }))
                #expect(rows[1][0] == "CXQ202407P01-" + String(format: "%03d", index + 1))
                #expect(rows[1][3] == String(details.count))
                #expect(rows[1][4] == sum.yuanText)
                #expect(details.first?[0] == "1")
                total = total.adding(sum) ?? total
                count += details.count
            }
            #expect(count == summary.payments)
            #expect(total == summary.total)
        }
    }

    @Test("objections: upheld withdraws and releases, pending holds, unknown orders are reported and ignored")
    func objections() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try withHarness { harness in
            _ = try harness.ingest(builder.directory)
            _ = try harness.review("2024-07")
            let items = try harness.connection.query(
                "SELECT order_no, request_id, payable FROM decisions WHERE status = 'accepted' AND payable > 0 ORDER BY seq LIMIT 2"
            )
            let upheld = try #require(items.rows.first)
            let pending = try #require(items.rows.last)
            try builder.write(
                "objections.csv",
                """
                order_no,received_on,decision,note
                \(upheld.string(0)),2024-08-02,pending,收到
                \(upheld.string(0)),2024-08-05,upheld,服务未实际发生
                \(pending.string(0)),2024-08-06,pending,核查中
                CXQ-NOT-IN-BATCH,2024-08-03,upheld,x

                """)
            let reservedBefore =
                try harness.connection.query("SELECT sum(reserved_fen) FROM voucher_accounts").first?.int64(0) ?? 0
            let first = try harness.disburse("2024-07", asOf: "2024-08-08")
            #expect(first.withdrawn == [upheld.string(1)])
            #expect(first.held == [pending.string(1)])
            #expect(first.ignoredObjections.contains { $0.contains("CXQ-NOT-IN-BATCH") })
            let paidIDs = try harness.connection.query("SELECT request_id FROM payment_lines").rows.map { $0.string(0) }
            #expect(!paidIDs.contains(upheld.string(1)))
            #expect(!paidIDs.contains(pending.string(1)))
            let reservedAfter =
                try harness.connection.query("SELECT sum(reserved_fen) FROM voucher_accounts").first?.int64(0) ?? 0
            #expect(reservedAfter == pending.int64(2))
            #expect(reservedBefore - reservedAfter == first.total.value + (upheld.int64(2) ?? 0))

            // The pending objection is dismissed: the next disbursement pays that item only.
            try builder.write(
                "objections.csv",
                "order_no,received_on,decision,note\n\(pending.string(0)),2024-08-06,pending,核查中\n\(pending.string(0)),2024-08-20,dismissed,不成立\n"
            )
            let second = try harness.disburse("2024-07", asOf: "2024-09-02")
            #expect(second.payments == 1)
            #expect(second.total.value == pending.int64(2))
            #expect(second.paymentNumber == 2)
            let messageIDs = try harness.connection.query("SELECT msg_id FROM disbursements ORDER BY payment_no").rows
                .map { $0.string(0) }
            #expect(messageIDs == ["CXQ202407P01", "CXQ202407P02"])
            let reuse = #expect(throws: DatabaseError.self) {
                try harness.connection.execute(
                    "INSERT INTO disbursements SELECT run_id + 1000, month, 9, msg_id, business_date, 0, 0, NULL FROM disbursements LIMIT 1"
                )
            }
            #expect(reuse?.isConstraintViolation == true)
        }
    }

    @Test("objections.csv naming decision twice refuses the disbursement: nothing is paid")
    func objectionColumnTwice() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try withHarness { harness in
            _ = try harness.ingest(builder.directory)
            _ = try harness.review("2024-07")
            let order = try #require(
                try harness.connection.query(
                    "SELECT order_no FROM decisions WHERE status = 'accepted' AND payable > 0 ORDER BY seq LIMIT 1"
                ).first?.string(0))
            try builder.write(
                "objections.csv",
                "order_no,received_on,decision,note,decision\n\(order),2024-08-05,dismissed,x,upheld\n")
            let refused = #expect(throws: SettleError.self) { try harness.disburse("2024-07", asOf: "2024-08-08") }
            #expect(refused?.exitCode == 3)
            #expect(refused?.message.contains("more than once") == true, "\(refused?.message ?? "")")
            let lines = try harness.connection.query("SELECT count(*) FROM payment_lines").first?.int(0)
            #expect(lines == 0)
        }
    }

    @Test(
        "a payee name the batch file cannot write (outside GBK, a line break) is reported, left out, still reserved",
        arguments: [
            // DF2024070009's enterprise, in both names (so BANK_ACCOUNT still passes): a character
            // GBK lacks; a line break inside the quoted CSV field, which one line cannot carry.
            ("无锡睿𠀀电子科技股份有限公司", "𠀀", "?"),
            ("\"无锡睿嘉电子科技股份有限公司\n分公司\"", "控制字符（U+000A）", "分公司"),
        ])
    func unwritableName(name: String, reported: String, absentFromFile: String) throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        let roster = try builder.read("vouchers.csv").replacingOccurrences(of: "无锡睿嘉电子科技股份有限公司", with: name)
        try builder.write("vouchers.csv", roster)
        try withHarness { harness in
            _ = try harness.ingest(builder.directory)
            _ = try harness.review("2024-07")
            let summary = try harness.disburse("2024-07", asOf: "2024-08-08")
            #expect(summary.blocked.contains { $0.hasPrefix("DF2024070009") && $0.contains(reported) })
            let paid = try harness.connection.query(
                "SELECT count(*) FROM payment_lines WHERE request_id = 'DF2024070009'")
            #expect(paid.first?.int(0) == 0)
            let live = try harness.connection.query(
                """
                SELECT count(*) FROM ledger_entries r WHERE r.request_id = 'DF2024070009' AND r.kind = 'reservation'
                   AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = r.id)
                """)
            #expect(live.first?.int(0) == 1)
            let text = try String(
                data: Data(contentsOf: URL(fileURLWithPath: summary.outputDirectory + "/payments-001.csv")),
                encoding: String.Encoding(rawValue: 0x8000_0632))
            #expect(text?.contains(absentFromFile) == false)
        }
    }
}

@Suite("Paying account configuration")
struct PayerConfigurationTests {
    @Test("a payer name outside GBK or with a line break is a configuration error before anything is paid")
    func payerOutsideGBK() throws {
        try withHarness { harness in
            _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-07")
            _ = try harness.review("2024-07")
            let error = #expect(throws: SettleError.self) {
                try harness.disburse("2024-07", asOf: "2024-08-08") { $0.payer.name = "江苏省科技𠀀中心" }
            }
            #expect(error?.exitCode == 2)
            let control = #expect(throws: SettleError.self) {
                try harness.disburse("2024-07", asOf: "2024-08-08") { $0.payer.bankName = "中国银行\n南京分行" }
            }
            #expect(control?.exitCode == 2)
            #expect(control?.message.contains("control characters (U+000A)") == true, "\(control?.message ?? "")")
            #expect(try harness.connection.query("SELECT count(*) FROM disbursements").first?.int(0) == 0)
        }
    }
}
