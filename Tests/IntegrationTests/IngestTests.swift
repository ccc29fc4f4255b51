import Foundation
import SettlementCore
import SettlementDigest
import SettlementJobs
import Testing

@Suite("Ingesting bundles")
struct IngestTests {
    /// A valid request line of the conformance inbox (DF2024070002), to derive broken ones from.
    func validLine(_ builder: BundleBuilder) throws -> String {
        try #require(try builder.requestLines().first { $0.contains("\"DF2024070002\"") })
    }

    @Test("each broken line is quarantined with its reason and line number; nothing is lost")
    func brokenLines() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        let valid = try validLine(builder)
        let lines = [
            valid,  // 1 kept
            String(valid.prefix(120)),  // 2 truncated JSON
            valid.replacingOccurrences(of: "\"DF2024070002\"", with: "\"X3\"")
                .replacingOccurrences(
                    of: "\"requested_voucher_amount\":\"",
                    with: "\"requested_voucher_amount\":\"1,000.00\",\"ignored\":\""),  // 3 bad money
            "   ",  // 4 blank
            valid,  // 5 the same bytes again
            // 6 wrong batch
            valid.replacingOccurrences(of: "\"DF2024070002\"", with: "\"X6\"")
                .replacingOccurrences(of: "\"submitted_at\":\"2024-07-", with: "\"submitted_at\":\"2024-06-"),
            valid.replacingOccurrences(of: "\"DF2024070002\"", with: "\"X7\"")
                .replacingOccurrences(of: "\"revision\":1", with: "\"revision\":1.0"),  // 7 integer as 1.0
            // 8 duplicated key
            valid.replacingOccurrences(of: "\"DF2024070002\"", with: "\"X8\"")
                .replacingOccurrences(of: "\"order_no\":", with: "\"order_no\":\"a\",\"order_no\":"),
            valid.replacingOccurrences(of: "\"DF2024070002\"", with: "\"X9\"") + "\r",  // 9 CRLF line: kept
        ]
        try builder.write("redemptions.jsonl", lines.joined(separator: "\n") + "\n")
        try withHarness { harness in
            let summary = try harness.ingest(builder.directory)
            #expect(summary.linesRead == 9)
            #expect(summary.linesKept == 2)
            #expect(summary.quarantined[.malformed] == 5)
            #expect(summary.quarantined[.wrongBatch] == 1)
            #expect(summary.quarantined[.duplicateLine] == 1)
            #expect(summary.linesKept + summary.linesQuarantined == summary.linesRead)
            #expect(summary.conservationLine.hasPrefix("redemptions.jsonl: 9 lines read = 2 kept + 7 quarantined"))

            let review = try harness.review("2024-07")
            let quarantine = try harness.csv(review.outputDirectory + "/quarantine.csv").dropFirst()
            let reasons = Dictionary(uniqueKeysWithValues: quarantine.map { ($0[0], $0[2]) })
            #expect(
                reasons == [
                    "2": "MALFORMED", "3": "MALFORMED", "4": "MALFORMED", "5": "DUPLICATE_LINE", "6": "WRONG_BATCH",
                    "7": "MALFORMED", "8": "MALFORMED",
                ])
            let details = Dictionary(uniqueKeysWithValues: quarantine.map { ($0[0], $0[3]) })
            #expect(details["3"]?.contains("requested_voucher_amount: bad money '1,000.00'") == true)
            #expect(details["7"]?.contains("revision") == true)
            #expect(details["8"]?.contains("duplicated key") == true)
            #expect(quarantine.first { $0[0] == "3" }?[1] == "X3")
            let decisions = try harness.csv(review.outputDirectory + "/decisions.csv").dropFirst()
            #expect(decisions.map { $0[0] }.sorted() == ["DF2024070002", "X9"])
        }
    }

    @Test("ingest leaves the planner statistics of what it wrote: the lines, the roster, the providers")
    func statisticsAfterIngest() throws {
        try withHarness { harness in
            let summary = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-07")
            let tables = try harness.connection.query(
                """
                SELECT c.relname, c.reltuples::bigint AS estimated,
                       (SELECT count(*) FROM pg_stats s WHERE s.tablename = c.relname) AS columns
                  FROM pg_class c WHERE c.relname IN ('request_lines', 'roster_rows', 'provider_rows')
                 ORDER BY c.relname
                """)
            let lines = try #require(tables.rows.first { $0[0] == "request_lines" })
            #expect(lines.int(1) == summary.linesRead)
            for table in tables.rows {
                #expect((table.int(1) ?? -1) > 0 && (table.int(2) ?? 0) > 0, "\(table.string(0))")
            }
        }
    }

    @Test("a GBK bundle is refused with the byte offset unless --encoding gb18030 is given")
    func gbkBundle() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        let vouchers = try builder.read("vouchers.csv")
        let gb18030 = String.Encoding(rawValue: 0x8000_0632)
        for name in ["vouchers.csv", "providers.csv", "redemptions.jsonl"] {
            let text = try builder.read(name)
            try builder.write(name, bytes: [UInt8](try #require(text.data(using: gb18030))))
        }
        try withHarness { harness in
            let error = #expect(throws: SettleError.self) { try harness.ingest(builder.directory) }
            #expect(error?.kind == .inputRefused)
            #expect(error?.message.contains("invalid byte at offset") == true)
            // The reported offset points at a non-ASCII byte of the GBK file, at or after its first one.
            let gbkBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: builder.directory + "/vouchers.csv")))
            let firstNonASCII = try #require(gbkBytes.firstIndex { $0 >= 0x80 })
            let message = error?.message ?? ""
            let reported = try #require(Int(message.split(separator: " ").last ?? ""))
            #expect(error?.message.contains("vouchers.csv") == true)
            #expect(
                reported >= firstNonASCII && reported < firstNonASCII + 4 && gbkBytes[reported] >= 0x80, "\(message)")
            _ = vouchers
            #expect(try harness.connection.query("SELECT count(*) FROM bundles").first?.int(0) == 0)

            let summary = try harness.ingest(builder.directory, encoding: .gb18030)
            #expect(summary.linesRead == 82)
            let review = try harness.review("2024-07")
            let expected = try harness.csv(StageHarness.fixtures + "/conformance/expected/2024-07/decisions.csv")
            // The spec's columns as expected; the second wave's `reasons` column comes last.
            #expect(try harness.csv(review.outputDirectory + "/decisions.csv").map { Array($0.dropLast()) } == expected)
        }
    }

    @Test("columns in any order; unknown columns ignored; a missing required column refuses the file")
    func columns() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try builder.write(
            "providers.csv",
            try harnessProviders(builder).map { row in
                [row[4], "note", row[2], row[0], row[3], row[1]].joined(separator: ",")
            }
            .joined(separator: "\n") + "\n")
        try withHarness { harness in
            let summary = try harness.ingest(builder.directory)
            #expect(summary.providerRows == 18)
            #expect(summary.providerDefects.isEmpty)
        }
        try builder.write("providers.csv", "shop_id,uscc,name,city_code\nS1,x,y,320102\n")
        try withHarness { harness in
            let error = #expect(throws: SettleError.self) { try harness.ingest(builder.directory) }
            #expect(error?.kind == .inputRefused)
            #expect(error?.message.contains("missing required columns: status") == true)
        }
    }

    @Test("a column read that the header names twice refuses the file: two account numbers could disagree")
    func columnNamedTwice() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        // The conformance file ends its lines with CRLF (one Character to Swift, so split on the text).
        let rows = try builder.read("vouchers.csv").components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count > 10)
        // account_number again at the end, with another account in every row.
        try builder.write(
            "vouchers.csv",
            ([rows[0] + ",account_number"] + rows.dropFirst().map { $0 + ",6222000000000001" }).joined(
                separator: "\r\n") + "\r\n")
        try withHarness { harness in
            let error = #expect(throws: SettleError.self) { try harness.ingest(builder.directory) }
            #expect(error?.kind == .inputRefused)
            #expect(
                error?.message.contains("columns named more than once (their cells could disagree): account_number")
                    == true)
            let stored = try harness.connection.query("SELECT count(*) FROM roster_rows").first?.int(0)
            #expect(stored == 0)
        }
        // An unknown column named twice is ignored like any unknown column.
        try builder.write(
            "vouchers.csv",
            ([rows[0] + ",remark,remark"] + rows.dropFirst().map { $0 + ",a,b" }).joined(separator: "\r\n") + "\r\n")
        try withHarness { harness in
            let summary = try harness.ingest(builder.directory)
            #expect(summary.rosterDefects.isEmpty && summary.rosterRows > 0)
        }
    }

    func harnessProviders(_ builder: BundleBuilder) throws -> [[String]] {
        try builder.read("providers.csv").split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }

    @Test("a roster row with bad money is quarantined with its line and counts as absent")
    func badRosterRow() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        // The file has CRLF line ends (and quoted newlines); split on LF bytes so CRs stay in place.
        var roster = try builder.read("vouchers.csv").utf8.split(
            separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false
        )
        .map { String(decoding: $0, as: UTF8.self) }
        // The roster row of DF2024070002's enterprise.
        let index = try #require(roster.firstIndex { $0.contains("91320213MAGG39XYXA") })
        roster[index] = roster[index].replacingOccurrences(of: ",100000.00,", with: ",1e5,")
            .replacingOccurrences(of: ",100000,", with: ",1e5,")
        try builder.write("vouchers.csv", roster.joined(separator: "\n"))
        try withHarness { harness in
            let summary = try harness.ingest(builder.directory)
            let defect = try #require(summary.rosterDefects.first)
            #expect(summary.rosterDefects.count == 1)
            #expect(defect.line == index + 1)
            #expect(defect.detail.contains("quota: bad money '1e5'"))
            let review = try harness.review("2024-07")
            let findings = try harness.connection.query(
                "SELECT code, detail FROM findings WHERE request_id = 'DF2024070002'")
            #expect(findings.rows.map { $0.string(0) } == ["NO_VOUCHER"])
            #expect(findings.first?.string(1).contains("第 \(index + 1) 行") == true)
            _ = review
        }
    }

    @Test("re-ingesting the same bundle is a no-op; a changed one replaces it until the month is reviewed")
    func reingest() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try withHarness { harness in
            /// The current bundle's files as recorded, and the inputs of the run that ingested it,
            /// against the files' SHA-256 and sizes now.
            func expectRecordedHashes() throws {
                var actual: [String: String] = [:]
                for name in ["vouchers.csv", "providers.csv", "redemptions.jsonl"] {
                    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: builder.directory + "/" + name)))
                    actual[name] = SHA256.hex(bytes) + " \(bytes.count)"
                }
                let files = try harness.connection.query(
                    """
                    SELECT f.name, f.sha256 || ' ' || f.bytes AS file, b.fingerprint, r.input_hashes::jsonb ->> f.name AS input
                      FROM bundles b JOIN bundle_files f ON f.bundle_id = b.id JOIN runs r ON r.id = b.run_id
                     WHERE b.is_current
                    """)
                var recorded: [String: String] = [:]
                for row in files.rows {
                    recorded[try row.text("name")] = try row.text("file")
                    #expect(try row.text("fingerprint").count == 64)
                    #expect(try row.text("input") == String(try row.text("file").prefix(64)))
                }
                #expect(recorded == actual)
            }
            let first = try harness.ingest(builder.directory)
            #expect(!first.alreadyIngested)
            try expectRecordedHashes()
            #expect(try harness.ingest(builder.directory).alreadyIngested)
            let lines = try builder.requestLines()
            try builder.write("redemptions.jsonl", lines.dropLast().joined(separator: "\n") + "\n")
            let replaced = try harness.ingest(builder.directory)
            try expectRecordedHashes()
            #expect(replaced.replacedBundle)
            #expect(replaced.linesRead == lines.count - 1)
            let bundles = try harness.connection.query(
                "SELECT count(*), count(*) FILTER (WHERE is_current) FROM bundles")
            #expect(bundles.first?.int(0) == 2)
            #expect(bundles.first?.int(1) == 1)
            _ = try harness.review("2024-07")
            try builder.write("redemptions.jsonl", lines.joined(separator: "\n") + "\n")
            let refused = #expect(throws: SettleError.self) { try harness.ingest(builder.directory) }
            #expect(refused?.kind == .refused)
            #expect(refused?.message.contains("rerun") == true)
        }
    }

    @Test("a directory not named YYYY-MM or missing a file is refused whole")
    func refusedBundles() throws {
        try withHarness { harness in
            let scratch = try scratchDirectory()
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let named = #expect(throws: SettleError.self) { try harness.ingest(scratch) }
            #expect(named?.kind == .inputRefused)
            try FileManager.default.createDirectory(atPath: scratch + "/2024-07", withIntermediateDirectories: true)
            try Data("year\n".utf8).write(to: URL(fileURLWithPath: scratch + "/2024-07/vouchers.csv"))
            let missing = #expect(throws: SettleError.self) { try harness.ingest(scratch + "/2024-07") }
            #expect(missing?.message.contains("providers.csv is missing") == true)
        }
    }

    @Test("a USCC with a wrong check character is loaded as it is and fails USCC_INVALID at review")
    func badUSCC() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        // DF2024070002's enterprise, with its check character changed in the roster and the request.
        try builder.write(
            "vouchers.csv",
            try builder.read("vouchers.csv").replacingOccurrences(of: "91320213MAGG39XYXA", with: "91320213MAGG39XYXB"))
        try builder.write(
            "redemptions.jsonl",
            try builder.read("redemptions.jsonl").replacingOccurrences(
                of: "91320213MAGG39XYXA", with: "91320213MAGG39XYXB"))
        try withHarness { harness in
            let summary = try harness.ingest(builder.directory)
            #expect(summary.rosterDefects.isEmpty)
            _ = try harness.review("2024-07")
            let codes = try harness.connection.query("SELECT codes FROM decisions WHERE request_id = 'DF2024070002'")
                .first?.string(0)
            #expect(codes == "USCC_INVALID")
        }
    }
}
