import Foundation
import SettlementCore
import SettlementJobs
import SettlementStore
import Testing

/// Money leaves only with two keys; the trail of who did what cannot be rewritten unnoticed; the
/// bank may answer in ISO 20022.
@Suite("Two-person release, the audit trail, pain.002")
struct ReleaseAndAuditTests {
    static let july = StageHarness.fixtures + "/conformance/inbox/2024-07"

    func paidJuly(_ harness: StageHarness) throws -> DisburseStage.Summary {
        _ = try harness.ingest(ReleaseAndAuditTests.july)
        _ = try harness.review("2024-07")
        return try harness.disburse("2024-07", asOf: "2024-08-08")
    }

    /// The EndToEndIds of every payment line, in order.
    func paymentIDs(_ harness: StageHarness) throws -> [String] {
        try harness.connection.query("SELECT end_to_end_id FROM payment_lines ORDER BY seq").rows.map { $0.string(0) }
    }

    func release(_ harness: StageHarness, by person: String) -> ReleaseStage {
        ReleaseStage(connection: harness.connection, configuration: harness.configuration, logger: harness.logger)
    }

    func options(_ harness: StageHarness, by person: String, note: String? = nil) throws -> ReleaseStage.Options {
        ReleaseStage.Options(
            month: try harness.month("2024-07"), paymentNumber: 1, person: person, note: note, out: harness.out)
    }

    var preparer: String { RunRecorder.operatorName }

    @Test("a batch reaches the outbox only with a second name, and only with its files unchanged")
    func twoKeys() throws {
        try withHarness { harness in
            let summary = try paidJuly(harness)
            let outbox = harness.out + "/outbox/2024-07-payment-01"
            let stage = release(harness, by: "")
            let same = #expect(throws: SettleError.self) { try stage.approve(try options(harness, by: preparer)) }
            #expect(same?.exitCode == 5)
            #expect(!FileManager.default.fileExists(atPath: outbox))

            // A tampered file blocks the approval.
            let bankFile = summary.outputDirectory + "/payments-001.csv"
            let original = try Data(contentsOf: URL(fileURLWithPath: bankFile))
            var changed = original
            changed[changed.count - 3] ^= 0x01
            try changed.write(to: URL(fileURLWithPath: bankFile))
            let tampered = #expect(throws: SettleError.self) { try stage.approve(try options(harness, by: "复核人")) }
            #expect(tampered?.message.contains("payments-001.csv was changed") == true)
            try original.write(to: URL(fileURLWithPath: bankFile))
            // So does a file added to the batch.
            try Data("x".utf8).write(to: URL(fileURLWithPath: summary.outputDirectory + "/payments-002.csv"))
            let added = #expect(throws: SettleError.self) { try stage.approve(try options(harness, by: "复核人")) }
            #expect(added?.message.contains("payments-002.csv was added") == true)
            try FileManager.default.removeItem(atPath: summary.outputDirectory + "/payments-002.csv")

            let released = try stage.approve(try options(harness, by: "复核人", note: "checked against the report"))
            #expect(released.outbox == outbox)
            #expect(FileManager.default.fileExists(atPath: outbox + "/pain001.xml"))
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: outbox).sorted()
                    == FileManager.default.contentsOfDirectory(atPath: summary.outputDirectory).sorted())
            let again = #expect(throws: SettleError.self) { try stage.approve(try options(harness, by: "第三人")) }
            #expect(again?.exitCode == 5)
            let state = try harness.connection.query(
                "SELECT release_state, decided_by FROM disbursements"
            ).first?.cells
            #expect(state == ["released", "复核人"])
        }
    }

    @Test(
        "the preparer is refused under any spelling of their name: spaces, capitals, full width, invisible characters")
    func samePersonSpelledOtherwise() throws {
        try withHarness { harness in
            _ = try paidJuly(harness)
            let stage = release(harness, by: "")
            let fullWidth = String(
                String.UnicodeScalarView(
                    preparer.unicodeScalars.map { scalar in
                        (0x21...0x7E).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0xFEE0) ?? scalar : scalar
                    }))
            let spellings = [
                preparer + " ", "  " + preparer, preparer.uppercased(), fullWidth, preparer + "\u{3000}",
                String(preparer.prefix(1)) + "\u{200B}" + preparer.dropFirst(), "\u{FEFF}" + preparer,
                String(preparer.prefix(1)) + " " + preparer.dropFirst(),
            ]
            for spelling in spellings {
                let refused = #expect(throws: SettleError.self) {
                    try stage.approve(try options(harness, by: spelling))
                }
                #expect(refused?.exitCode == 5, "\(Array(spelling.unicodeScalars))")
                #expect(refused?.message.contains("cannot also approve") == true)
            }
            let invisible = #expect(throws: SettleError.self) {
                try stage.approve(try options(harness, by: "\u{200B} "))
            }
            #expect(invisible?.exitCode == 2)
            #expect(!FileManager.default.fileExists(atPath: harness.out + "/outbox/2024-07-payment-01"))
            // A second person, also written with a stray space, releases it.
            let released = try stage.approve(try options(harness, by: " 复核人 "))
            #expect(released.outbox?.hasSuffix("2024-07-payment-01") == true)
        }
    }

    @Test("an answer for a batch never released is applied as the bank answered, and said to be out of order")
    func answerBeforeRelease() throws {
        try withHarness { harness in
            _ = try paidJuly(harness)
            let ids = try paymentIDs(harness)
            #expect(ids.count >= 2)
            let early = try scratchDirectory() + "/early.csv"
            try Data("企业流水号,状态\n\(ids[0]),成功\n".utf8).write(to: URL(fileURLWithPath: early))
            let before = try harness.reconcile(early)
            #expect(before.paid == 1)
            #expect(
                before.notes.contains { $0.contains("2024-07 payment-01, which was never released (still 待复核)") },
                "\(before.notes)")

            _ = try release(harness, by: "").approve(try options(harness, by: "复核人"))
            let later = try scratchDirectory() + "/later.csv"
            try Data("企业流水号,状态\n\(ids[1]),成功\n".utf8).write(to: URL(fileURLWithPath: later))
            let after = try harness.reconcile(later)
            #expect(after.paid == 1)
            #expect(!after.notes.contains { $0.contains("never released") }, "\(after.notes)")
        }
    }

    @Test("status says which payments still wait for release: counted as sent, nothing has left yet")
    func statusAwaitingRelease() throws {
        try withHarness { harness in
            let summary = try paidJuly(harness)
            let waiting = try StatusReport.load(harness.connection, month: nil)
            #expect(
                waiting.text.contains(
                    "awaiting release (待复核): 1 payment batch(es), \(summary.payments) payments, \(summary.total.yuanText)"
                ),
                "\(waiting.text)")
            #expect(waiting.json.contains("\"awaiting_release\":1,\"awaiting_payments\":\(summary.payments),"))
            _ = try release(harness, by: "").approve(try options(harness, by: "复核人"))
            let released = try StatusReport.load(harness.connection, month: nil)
            #expect(!released.text.contains("awaiting release"), "\(released.text)")
            #expect(
                released.json.contains("\"awaiting_release\":0,\"awaiting_payments\":0,\"awaiting_total\":\"0.00\""))
        }
    }

    @Test("one-person release only when the configuration allows it")
    func singlePerson() throws {
        try withHarness { harness in
            _ = try paidJuly(harness)
            var configuration = harness.configuration
            configuration.singlePersonRelease = true
            let stage = ReleaseStage(
                connection: harness.connection, configuration: configuration, logger: harness.logger)
            _ = try stage.approve(try options(harness, by: preparer))
            #expect(FileManager.default.fileExists(atPath: harness.out + "/outbox/2024-07-payment-01"))
        }
    }

    @Test("a rejected batch is voided: its amounts are owed again and prepared anew, never paid twice")
    func rejected() throws {
        try withHarness { harness in
            let first = try paidJuly(harness)
            let stage = release(harness, by: "")
            _ = try stage.reject(try options(harness, by: "复核人", note: "wrong payer account"))
            let owed = try harness.connection.query(
                """
                SELECT count(*), sum(amount) FROM ledger_entries e
                 WHERE e.kind = 'return' AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = e.id)
                """
            ).first
            #expect(owed?.int(0) == first.payments && owed?.int64(1) == first.total.value)
            // A bank answer for the rejected batch is refused: the bank never had it.
            let id = try #require(
                try harness.connection.query("SELECT min(end_to_end_id) FROM payment_lines").first?.string(0))
            let path = try scratchDirectory() + "/r.csv"
            try Data("企业流水号,状态\n\(id),成功\n".utf8).write(to: URL(fileURLWithPath: path))
            let refused = #expect(throws: SettleError.self) { try harness.reconcile(path) }
            #expect(refused?.message.contains("rejected before release") == true)

            let second = try harness.disburse("2024-07", asOf: "2024-08-09")
            #expect(second.payments == first.payments && second.total == first.total)
            let net = try harness.connection.query(
                """
                SELECT sum(CASE WHEN kind IN ('payment', 'repayment', 'supplement') THEN amount
                                WHEN kind = 'return' THEN -amount ELSE 0 END) FROM ledger_entries
                """
            ).first?.int64(0)
            #expect(net == first.total.value)
            #expect(try LedgerCheck.run(harness.connection).isClean)
        }
    }

    @Test("audit verify catches an edited entry, a deleted entry and an edited output file")
    func tamperEvident() throws {
        try withHarness { harness in
            let summary = try paidJuly(harness)
            _ = try release(harness, by: "").approve(try options(harness, by: "复核人"))
            let intact = try AuditVerification.run(harness.connection)
            #expect(intact.isIntact, "\(intact.text)")
            #expect(intact.entries == 4)  // ingest, review, disburse, approve

            // An edited output file.
            let report = summary.outputDirectory + "/report.html"
            let original = try Data(contentsOf: URL(fileURLWithPath: report))
            try Data("<p>changed</p>".utf8).write(to: URL(fileURLWithPath: report))
            let file = try AuditVerification.run(harness.connection)
            #expect(file.fileProblems.contains { $0.contains("report.html was changed") })
            try original.write(to: URL(fileURLWithPath: report))

            // The application role cannot touch the trail at all.
            #expect(throws: DatabaseError.self) {
                try harness.connection.execute("UPDATE audit_entries SET operator = 'x' WHERE seq = 2")
            }
            // The owner can, by disabling the trigger; verify finds it.
            let owner = try harness.database.connectAsOwner()
            try owner.execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_append_only")
            try owner.execute("UPDATE audit_entries SET operator = 'someone else' WHERE seq = 2")
            let edited = try AuditVerification.run(harness.connection)
            #expect(edited.firstBreak?.contains("entry 2") == true && edited.firstBreak?.contains("changed") == true)
            try owner.execute("DELETE FROM audit_entries WHERE seq = 2")
            let deleted = try AuditVerification.run(harness.connection)
            #expect(deleted.firstBreak?.contains("entry 2 is missing") == true, "\(deleted.text)")
            try owner.execute("ALTER TABLE audit_entries ENABLE TRIGGER audit_append_only")
        }
    }

    @Test("a pain.002 with a DOCTYPE or an entity is refused: a status hidden in an entity is never read as another")
    func pain002WithEntities() throws {
        try withHarness { harness in
            _ = try paidJuly(harness)
            let id = try #require(try paymentIDs(harness).first)
            let entries = try harness.connection.query("SELECT count(*) FROM ledger_entries").first?.int(0)
            let plain = pain002(original: "CXQ202407P01", group: "ACSC", transactions: [(id, "&rejected;", "AC04")])
            let variants = [
                // Read without expanding the entity, the transaction's status was empty and the
                // group's ACSC recorded as paid the payment this file rejects.
                plain.replacingOccurrences(
                    of: "<Document ", with: "<!DOCTYPE Document [<!ENTITY rejected \"RJCT\">]>\n<Document "),
                plain.replacingOccurrences(
                    of: "<Document ",
                    with: "<!DOCTYPE Document [<!ENTITY rejected SYSTEM \"file:///etc/hostname\">]>\n<Document "),
                plain.replacingOccurrences(of: "&rejected;", with: "RJCT").replacingOccurrences(
                    of: "<Document ", with: "<!DOCTYPE Document SYSTEM \"http://127.0.0.1:9/pain.dtd\">\n<Document "),
            ]
            for (index, text) in variants.enumerated() {
                let path = try scratchDirectory() + "/entity-\(index).xml"
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                let refused = #expect(throws: SettleError.self) { try harness.reconcile(path) }
                #expect(refused?.exitCode == 3, "variant \(index)")
                #expect(refused?.message.contains("DOCTYPE") == true, "variant \(index): \(refused?.message ?? "")")
            }
            #expect(try harness.connection.query("SELECT count(*) FROM bank_results").first?.int(0) == 0)
            #expect(try harness.connection.query("SELECT count(*) FROM ledger_entries").first?.int(0) == entries)
        }
    }

    @Test("a pain.002 giving a transaction two statuses or two ids, or its group two statuses, is refused")
    func pain002ContradictingItself() throws {
        try withHarness { harness in
            _ = try paidJuly(harness)
            let ids = try paymentIDs(harness)
            #expect(ids.count >= 2)
            let entries = try harness.connection.query("SELECT count(*) FROM ledger_entries").first?.int(0)
            let message = "CXQ202407P01"
            let cases: [(text: String, says: String)] = [
                (
                    pain002(
                        original: message, group: "PART",
                        transactions: [(ids[0], "ACSC", nil), (ids[1], "ACSC</TxSts><TxSts>RJCT", "AC04")]),
                    "TxSts appears twice in transaction 2"
                ),
                (
                    pain002(original: message, group: "PART", transactions: [(ids[0], "RJCT", "AC04")])
                        .replacingOccurrences(
                            of: "<OrgnlEndToEndId>\(ids[0])</OrgnlEndToEndId>",
                            with:
                                "<OrgnlEndToEndId>\(ids[0])</OrgnlEndToEndId><OrgnlEndToEndId>\(ids[1])</OrgnlEndToEndId>"
                        ),
                    "OrgnlEndToEndId appears twice in transaction 1"
                ),
                (
                    pain002(original: message, group: "ACSC</GrpSts><GrpSts>RJCT", transactions: []),
                    "GrpSts appears twice;"
                ),
            ]
            for (index, (text, says)) in cases.enumerated() {
                let path = try scratchDirectory() + "/twice-\(index).xml"
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                let refused = #expect(throws: SettleError.self) { try harness.reconcile(path) }
                #expect(refused?.exitCode == 3, "case \(index)")
                #expect(refused?.message.contains(says) == true, "case \(index): \(refused?.message ?? "")")
            }
            #expect(try harness.connection.query("SELECT count(*) FROM bank_results").first?.int(0) == 0)
            #expect(try harness.connection.query("SELECT count(*) FROM ledger_entries").first?.int(0) == entries)
        }
    }

    @Test("an empty TxSts says nothing: not the group's ACSC, nothing applied; an absent one takes the group's")
    func pain002EmptyStatus() throws {
        try withHarness { harness in
            _ = try paidJuly(harness)
            let ids = try paymentIDs(harness)
            #expect(ids.count >= 2)
            let text = pain002(original: "CXQ202407P01", group: "ACSC", transactions: [(ids[0], "", nil)])
                .replacingOccurrences(
                    of: "</TxInfAndSts>",
                    with: "</TxInfAndSts><TxInfAndSts><OrgnlEndToEndId>\(ids[1])</OrgnlEndToEndId></TxInfAndSts>")
            let path = try scratchDirectory() + "/empty.xml"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let result = try harness.reconcile(path)
            #expect(result.paid == 1, "\(result.text)")
            #expect(
                result.notes.contains { $0.contains("(\(ids[0])): status (empty) is not final") }, "\(result.notes)")
            let answered = try harness.connection.query("SELECT end_to_end_id FROM bank_results").rows.map {
                $0.string(0)
            }
            #expect(answered == [ids[1]])
        }
    }

    /// A pain.002.001.03 report written by hand from the standard's structure.
    func pain002(original: String, group: String, transactions: [(String, String, String?)]) -> String {
        let entries = transactions.map { id, status, reason in
            """
                <TxInfAndSts><StsId>S-\(id)</StsId><OrgnlEndToEndId>\(id)</OrgnlEndToEndId><TxSts>\(status)</TxSts>\
            \(reason.map { "<StsRsnInf><Rsn><Cd>\($0)</Cd></Rsn><AddtlInf>账户名称不符</AddtlInf></StsRsnInf>" } ?? "")\
            </TxInfAndSts>
            """
        }.joined(separator: "\n")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">
              <CstmrPmtStsRpt>
                <GrpHdr><MsgId>BANK-RPT-1</MsgId><CreDtTm>2024-08-10T09:00:00</CreDtTm></GrpHdr>
                <OrgnlGrpInfAndSts><OrgnlMsgId>\(original)</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId>\
            <GrpSts>\(group)</GrpSts></OrgnlGrpInfAndSts>
                <OrgnlPmtInfAndSts><OrgnlPmtInfId>\(original)-1</OrgnlPmtInfId>
            \(entries)
                </OrgnlPmtInfAndSts>
              </CstmrPmtStsRpt>
            </Document>
            """
    }

    @Test("the cycle applies a pain.002 dropped into the inbox's bank-results like a CSV, once")
    func cycleAppliesPain002() throws {
        try withHarness { harness in
            _ = try paidJuly(harness)
            _ = try release(harness, by: "").approve(try options(harness, by: "复核人"))
            let ids = try paymentIDs(harness)
            let inbox = try scratchDirectory()
            try FileManager.default.createDirectory(atPath: inbox + "/bank-results", withIntermediateDirectories: true)
            try Data(
                pain002(original: "CXQ202407P01", group: "ACSC", transactions: [(ids[0], "RJCT", "AC04")]).utf8
            ).write(to: URL(fileURLWithPath: inbox + "/bank-results/status-report.XML"))
            let cycle = try harness.cycle(asOf: "2024-08-20", inbox: inbox)
            #expect(
                cycle.actions.contains { $0.contains("status-report.XML") && $0.contains("1 returned") },
                "\(cycle.text)")
            let again = try harness.cycle(asOf: "2024-08-20", inbox: inbox)
            #expect(!again.actions.contains { $0.contains("status-report.XML") }, "\(again.text)")
            let returned = try harness.connection.query("SELECT count(*) FROM ledger_entries WHERE kind = 'return'")
            #expect(returned.first?.int(0) == 1)
        }
    }

    @Test("a partially accepted pain.002: accepted paid, rejected returned with its reason, pending not applied")
    func partiallyAccepted() throws {
        try withHarness { harness in
            _ = try paidJuly(harness)
            let ids = try paymentIDs(harness)
            #expect(ids.count >= 3)
            let message = "CXQ202407P01"
            let text = pain002(
                original: message, group: "PART",
                transactions: [(ids[0], "ACSC", nil), (ids[1], "RJCT", "AC04"), (ids[2], "PDNG", nil)])
            let path = try scratchDirectory() + "/pain002.xml"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let result = try harness.reconcile(path)
            #expect(result.paid == 1 && result.returned == 1, "\(result.text)")
            #expect(result.notes.contains { $0.contains("PDNG is not final") })
            let detail = try harness.connection.query(
                "SELECT detail FROM bank_results WHERE end_to_end_id = $1", [ids[1]]
            ).first?.string(0)
            #expect(detail?.contains("AC04") == true)

            // A report for a message this system never sent is refused.
            let other = try scratchDirectory() + "/other.xml"
            try Data(pain002(original: "NOT-OURS", group: "ACSC", transactions: []).utf8).write(
                to: URL(fileURLWithPath: other))
            let refused = #expect(throws: SettleError.self) { try harness.reconcile(other) }
            #expect(refused?.exitCode == 3)
            // A group-level rejection without transactions answers for the whole message.
            let whole = try scratchDirectory() + "/whole.xml"
            try Data(pain002(original: message, group: "ACSC", transactions: []).utf8).write(
                to: URL(fileURLWithPath: whole))
            let conflict = #expect(throws: SettleError.self) { try harness.reconcile(whole) }
            #expect(conflict?.message.contains("contradict") == true)
        }
    }
}
