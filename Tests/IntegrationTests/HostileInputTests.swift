import Foundation
import SettlementCore
import SettlementJobs
import SettlementStore
import Testing

/// Input aimed at the spec's corners and a filesystem with planted links: every line ends in a
/// decision or the quarantine, nothing crashes, no link is followed.
@Suite("Hostile input and a hostile filesystem")
struct HostileInputTests {
    func baseLine(_ builder: BundleBuilder) throws -> String {
        try #require(try builder.requestLines().first { $0.contains("\"DF2024070009\"") })
    }

    func variant(_ line: String, id: String, order: String, _ replacements: [(String, String)] = []) -> String {
        var text = line.replacingOccurrences(of: "\"DF2024070009\"", with: "\"\(id)\"")
            .replacingOccurrences(of: "\"order_no\":\"CXQ202406150001\"", with: "\"order_no\":\"\(order)\"")
        for (old, new) in replacements { text = text.replacingOccurrences(of: old, with: new) }
        return text
    }

    @Test("request ids that differ only canonically, and integers at 2^31, 2^63−1, 2^63: reviewed, never a crash")
    func identifiersAndIntegers() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        let base = try baseLine(builder)
        let lines = [
            variant(base, id: "DF\u{E9}01", order: "CXQ-A"),
            variant(base, id: "DFe\u{301}01", order: "CXQ-B"),
            variant(base, id: "DF\u{FA1D}", order: "CXQ-C"),
            variant(base, id: "DF\u{7CBE}", order: "CXQ-D"),
            variant(base, id: "DFR31", order: "CXQ-E", [("\"revision\":1", "\"revision\":2147483648")]),
            variant(base, id: "DFR63", order: "CXQ-F", [("\"revision\":1", "\"revision\":9223372036854775807")]),
            variant(base, id: "DFR64", order: "CXQ-G", [("\"revision\":1", "\"revision\":9223372036854775808")]),
            variant(
                base, id: "DFY63", order: "CXQ-H", [("\"voucher_year\":2024", "\"voucher_year\":9223372036854775807")]),
            variant(
                base, id: "DFYN", order: "CXQ-I", [("\"voucher_year\":2024", "\"voucher_year\":-9223372036854775808")]),
        ]
        try builder.write("redemptions.jsonl", lines.joined(separator: "\n") + "\n")
        try withHarness { harness in
            let ingest = try harness.ingest(builder.directory)
            #expect(ingest.linesRead == 9 && ingest.linesKept == 8)
            let review = try harness.review("2024-07")
            let decisions = try harness.csv(review.outputDirectory + "/decisions.csv").dropFirst()
            let quarantine = try harness.csv(review.outputDirectory + "/quarantine.csv").dropFirst()
            #expect(decisions.count == 8 && quarantine.count == 1)
            #expect(quarantine.first?[0] == "7" && quarantine.first?[2] == "MALFORMED")
            let ids = Set(decisions.map { ByteString($0[0]) })
            #expect(ids.count == 8)
            #expect(ids.contains(ByteString("DF\u{E9}01")) && ids.contains(ByteString("DFe\u{301}01")))
            // They share their invoice and contract: the first in byte order holds them, the others conflict.
            let accepted = decisions.filter { $0[7] == "accepted" }.map(\.[0])
            #expect(accepted.count == 1)
            let far = try #require(decisions.first { $0[0] == "DFY63" })
            #expect(!far[8].contains("VOUCHER_EXPIRED"))
            #expect(far[8].contains("NO_VOUCHER"))
            #expect(decisions.first { $0[0] == "DFR63" }?[1] == "9223372036854775807")
        }
    }

    @Test("an order number of one letter and 400 combining marks: its notice is cut to what the database accepts")
    func combiningMarksInNotice() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        let order = "C" + String(repeating: "\u{301}", count: 400)
        try builder.write("redemptions.jsonl", variant(try baseLine(builder), id: "DFM1", order: order) + "\n")
        try withHarness { harness in
            _ = try harness.ingest(builder.directory)
            // notices_text_check counts code points: the review used to fail on this one notice.
            let review = try harness.review("2024-07")
            #expect(review.decisions == 1)
            let length = try harness.connection.query(
                "SELECT char_length(text) FROM notices WHERE request_id = 'DFM1'"
            ).first?.int(0)
            #expect(length.map { $0 <= NoticeTemplates.maximumCharacters } == true)
        }
    }

    @Test("quotes, backslashes and separators in keys survive the trip through arrays and COPY")
    func awkwardKeys() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        let base = try baseLine(builder)
        let order = "CX\\\"Q,{1}\\\\"  // JSON for CX"Q,{1}\\
        let lines = [variant(base, id: "DFQ1", order: order), variant(base, id: "DFQ2", order: order)]
        try builder.write("redemptions.jsonl", lines.joined(separator: "\n") + "\n")
        try withHarness { harness in
            _ = try harness.ingest(builder.directory)
            let review = try harness.review("2024-07")
            let decisions = try harness.csv(review.outputDirectory + "/decisions.csv").dropFirst()
            #expect(decisions.first { $0[0] == "DFQ2" }?[8].contains("DUPLICATE_ORDER") == true)
            let key = try harness.connection.query("SELECT key FROM claims WHERE kind = 'order'").first?.string(0)
            #expect(key == "CX\"Q,{1}\\")
        }
    }

    @Test(
        "a CSV record that breaks quoting refuses the bundle, naming file and line",
        arguments: [
            "ab\"c", "\"ab\"c", "\"open",
        ])
    func quotingErrors(_ cell: String) throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        var rows = try builder.read("providers.csv").split(separator: "\n", omittingEmptySubsequences: false)
        rows[3] = Substring(rows[3].replacingOccurrences(of: "active", with: cell))
        try builder.write("providers.csv", rows.joined(separator: "\n"))
        try withHarness { harness in
            let error = #expect(throws: SettleError.self) { try harness.ingest(builder.directory) }
            #expect(error?.exitCode == 3)
            #expect(error?.message.contains("providers.csv") == true)
            #expect(error?.message.contains("line 4") == true, "\(error?.message ?? "")")
        }
    }

    @Test("attachments behind a link, a FIFO or a device are mismatches; nothing outside the bundle is read")
    func attachmentLinks() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        let base = try baseLine(builder)
        let manager = FileManager.default
        try manager.createDirectory(atPath: builder.directory + "/attachments/real", withIntermediateDirectories: true)
        try manager.createSymbolicLink(atPath: builder.directory + "/attachments/up", withDestinationPath: "/etc")
        try manager.createSymbolicLink(
            atPath: builder.directory + "/attachments/zero.pdf", withDestinationPath: "/dev/zero")
        #expect(mkfifo(builder.directory + "/attachments/fifo.pdf", 0o600) == 0)
        var lines: [String] = []
        for (index, path) in ["attachments/up/passwd", "attachments/zero.pdf", "attachments/fifo.pdf", "../x.pdf"]
            .enumerated()
        {
            lines.append(
                variant(
                    base, id: "DFL\(index)", order: "CXQ-L\(index)",
                    [("\"path\":\"attachments/DF2024070009/rnd.pdf\"", "\"path\":\"\(path)\"")]))
        }
        try builder.write("redemptions.jsonl", lines.joined(separator: "\n") + "\n")
        try withHarness { harness in
            _ = try harness.ingest(builder.directory, verify: true)
            let review = try harness.review("2024-07")
            let decisions = try harness.csv(review.outputDirectory + "/decisions.csv").dropFirst()
            #expect(decisions.count == 4)
            #expect(decisions.allSatisfy { $0[8].contains("ATTACHMENT_MISMATCH") })
            let details = try harness.connection.query(
                "SELECT detail FROM findings WHERE code = 'ATTACHMENT_MISMATCH' ORDER BY request_id"
            ).rows.map { $0.string(0) }
            #expect(details.contains { $0.contains("'up' is a symbolic link") })
            #expect(details.contains { $0.contains("'zero.pdf' is a symbolic link") })
            #expect(details.contains { $0.contains("fifo.pdf is not a regular file") })
            #expect(details.contains { $0.contains("leaves the bundle") })
        }
    }

    @Test(
        "a bundle file, an objection file or a bank answer that is a link or a FIFO is refused, never read or waited on"
    )
    func inputFilesBehindLinks() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        let manager = FileManager.default
        let outside = try scratchDirectory() + "/vouchers-elsewhere.csv"
        try manager.moveItem(atPath: builder.directory + "/vouchers.csv", toPath: outside)
        try manager.createSymbolicLink(atPath: builder.directory + "/vouchers.csv", withDestinationPath: outside)
        try withHarness { harness in
            let linked = #expect(throws: SettleError.self) { try harness.ingest(builder.directory) }
            #expect(linked?.exitCode == 3)
            #expect(linked?.message.contains("vouchers.csv is a symbolic link") == true, "\(linked?.message ?? "")")

            // A FIFO would block a plain open until something writes to it: refused at once.
            try manager.removeItem(atPath: builder.directory + "/vouchers.csv")
            #expect(mkfifo(builder.directory + "/vouchers.csv", 0o600) == 0)
            let fifo = #expect(throws: SettleError.self) { try harness.ingest(builder.directory) }
            #expect(fifo?.message.contains("vouchers.csv is not a regular file") == true, "\(fifo?.message ?? "")")

            try manager.removeItem(atPath: builder.directory + "/vouchers.csv")
            try manager.moveItem(atPath: outside, toPath: builder.directory + "/vouchers.csv")
            _ = try harness.ingest(builder.directory)
            _ = try harness.review("2024-07")
            // An objection file that is a link, even one leading nowhere, holds the disbursement back.
            try manager.createSymbolicLink(
                atPath: builder.directory + "/objections.csv", withDestinationPath: builder.directory + "/gone.csv")
            let objections = #expect(throws: SettleError.self) { try harness.disburse("2024-07", asOf: "2024-08-08") }
            #expect(objections?.exitCode == 3)
            #expect(objections?.message.contains("objections.csv is a symbolic link") == true)
            let paid = try harness.connection.query("SELECT count(*) FROM payment_lines").first?.int(0)
            #expect(paid == 0)

            // A bank answer behind a FIFO (CSV or XML) is refused without waiting for a writer.
            let answers = try scratchDirectory()
            #expect(mkfifo(answers + "/results.csv", 0o600) == 0)
            #expect(mkfifo(answers + "/pain002.xml", 0o600) == 0)
            for name in ["results.csv", "pain002.xml"] {
                let refused = #expect(throws: SettleError.self) { try harness.reconcile(answers + "/" + name) }
                #expect(refused?.message.contains("is not a regular file") == true, "\(refused?.message ?? "")")
            }
        }
    }

    @Test("an output month directory or a final directory that is a link refuses the run before it commits")
    func outputLinks() throws {
        try withHarness { harness in
            _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-07")
            let elsewhere = try scratchDirectory()
            defer { try? FileManager.default.removeItem(atPath: elsewhere) }
            try FileManager.default.createSymbolicLink(
                atPath: harness.out + "/2024-07", withDestinationPath: elsewhere)
            let linked = #expect(throws: SettleError.self) { try harness.review("2024-07") }
            #expect(linked?.exitCode == 2)
            #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
            try FileManager.default.removeItem(atPath: harness.out + "/2024-07")
            try FileManager.default.createDirectory(atPath: harness.out + "/2024-07", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: harness.out + "/2024-07/review-01", withDestinationPath: elsewhere + "/missing")
            let dangling = #expect(throws: SettleError.self) { try harness.review("2024-07") }
            #expect(dangling?.exitCode == 2)
            #expect(try harness.connection.query("SELECT count(*) FROM reviews").first?.int(0) == 0)
        }
    }

    @Test("the cluster's socket directory is never taken over through a planted link")
    func plantedSocketDirectory() throws {
        let planted = "/tmp/settle-planted-" + UUID().uuidString.prefix(8)
        let target = try scratchDirectory()
        defer {
            unlink(planted)
            try? FileManager.default.removeItem(atPath: target)
        }
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: target)
        let error = #expect(throws: ClusterError.self) { try EmbeddedCluster.secureDirectory(planted, owner: nil) }
        #expect(error?.description.contains("not a directory of ours") == true)
        var status = stat()
        #expect(stat(target, &status) == 0 && (status.st_mode & 0o777) != 0o700 || status.st_uid == getuid())
    }

    @Test("ten thousand empty objects: quarantine grows with lines, not with a multiple of their size")
    func boundedQuarantine() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try builder.write("redemptions.jsonl", String(repeating: "{}\n", count: 10_000))
        try withHarness { harness in
            let ingest = try harness.ingest(builder.directory)
            #expect(ingest.linesRead == 10_000)
            let review = try harness.review("2024-07")
            let path = review.outputDirectory + "/quarantine.csv"
            let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            #expect(size < 10_000 * 40, "quarantine.csv is \(size) bytes for 10,000 lines")
            let rows = try harness.csv(path).dropFirst()
            #expect(rows.count == 10_000)
            #expect(rows.first?[3].utf8.count ?? 0 <= QuarantineDetail.maximumBytes + 3)
            #expect(rows.dropFirst().allSatisfy { $0[3] == "same as line 1" })
        }
    }
}
