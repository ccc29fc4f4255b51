import Foundation
import SettlementCore
import SettlementJobs
import Testing

@Suite("Publicity list and finance report")
struct PublicityReportTests {
    /// Reviews the conformance inbox up to August and returns August's output directory.
    func augustReview(_ harness: StageHarness) throws -> String {
        _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-07")
        _ = try harness.review("2024-07")
        _ = try harness.ingest(StageHarness.fixtures + "/conformance/inbox/2024-08")
        return try harness.review("2024-08").outputDirectory
    }

    @Test("publicity.csv and the report's tables match their reviewed golden files")
    func golden() throws {
        try withHarness { harness in
            let directory = try augustReview(harness)
            let golden = StageHarness.fixtures + "/golden/2024-08/"
            for name in [
                "publicity.csv", "summary-status.csv", "summary-amounts.csv", "summary-city.csv", "summary-type.csv",
                "summary-category.csv", "summary-codes.csv",
            ] {
                let actual = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
                let expected = try Data(contentsOf: URL(fileURLWithPath: golden + name))
                #expect(actual == expected, "\(name) differs from its golden file")
            }
        }
    }

    @Test("the publicity list holds no bank data or USCC, and the pages fetch nothing")
    func noPrivateData() throws {
        try withHarness { harness in
            let directory = try augustReview(harness)
            let csv = try String(contentsOfFile: directory + "/publicity.csv", encoding: .utf8)
            let html = try String(contentsOfFile: directory + "/publicity.html", encoding: .utf8)
            let accounts = try harness.connection.query(
                "SELECT DISTINCT account_number, enterprise_uscc FROM decisions d JOIN roster_rows r ON r.uscc = d.enterprise_uscc WHERE d.status = 'accepted'"
            )
            for row in accounts.rows {
                #expect(!csv.contains(row.string(0)) && !html.contains(row.string(0)))
                #expect(!csv.contains(row.string(1)) && !html.contains(row.string(1)))
            }
            #expect(html.contains("<title>2024年8月江苏省科技创新券兑付公示名单</title>"))
            #expect(html.contains("2024年9月2日 至 2024年9月6日"))
            #expect(html.contains(harness.configuration.publicityContact))
            let report = try String(contentsOfFile: directory + "/report.html", encoding: .utf8)
            for page in [html, report] {
                #expect(!page.contains("<script"))
                #expect(
                    !page.contains("http://")
                        || !page.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
                #expect(!page.contains("https://"))
                #expect(!page.contains("@import"))
            }
            #expect(report.contains("一致"))
            #expect(report.contains("<svg"))
        }
    }

    @Test("a name like =HYPERLINK(\"x\") or +86… comes out inert")
    func formulaSafe() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        let roster = try builder.read("vouchers.csv").replacingOccurrences(
            of: "无锡睿嘉电子科技股份有限公司", with: "\"=HYPERLINK(\"\"http://x\"\")\"")
        try builder.write("vouchers.csv", roster)
        let providers = try builder.read("providers.csv").replacingOccurrences(
            of: "江苏省计量科学研究院", with: "+8613800000000")
        try builder.write("providers.csv", providers)
        try withHarness { harness in
            _ = try harness.ingest(builder.directory)
            let directory = try harness.review("2024-07").outputDirectory
            let text = try String(contentsOfFile: directory + "/publicity.csv", encoding: .utf8)
            #expect(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""))
            #expect(text.contains(",'+8613800000000,"))
            #expect(!text.contains(",=HYPERLINK"))
            let decisions = try String(contentsOfFile: directory + "/decisions.csv", encoding: .utf8)
            #expect(decisions.contains("'=HYPERLINK"))
            let html = try String(contentsOfFile: directory + "/publicity.html", encoding: .utf8)
            #expect(html.contains("=HYPERLINK(&quot;http://x&quot;)"))
        }
    }
}

/// Every amounts table adds up, recomputed from decisions.csv.
@Suite("Finance figures that reconcile")
struct FiguresReconcileTests {
    @Test("each sample month's waterfall adds up and matches decisions.csv")
    func waterfall() throws {
        try withHarness { harness in
            for month in ["2024-07", "2024-08", "2024-09"] {
                _ = try harness.ingest(CycleTests.sampleInbox + "/" + month, verify: true)
                let review = try harness.review(month)
                var amounts: [String: Int64] = [:]
                for row in try harness.csv(review.outputDirectory + "/summary-amounts.csv").dropFirst() {
                    amounts[row[1]] = Fen(yuan: row[2])?.value
                }
                var requested: Int64 = 0
                var capped: Int64 = 0
                var cut: Int64 = 0
                var payable: Int64 = 0
                for row in try harness.csv(review.outputDirectory + "/decisions.csv").dropFirst()
                where row[7] == "accepted" {
                    let asked = try #require(Fen(yuan: row[10])).value
                    let entitlement = try #require(Fen(yuan: row[11])).value
                    let paid = try #require(Fen(yuan: row[12])).value
                    requested += asked
                    capped += max(asked - entitlement, 0)
                    cut += min(asked, entitlement) - paid
                    payable += paid
                }
                #expect(amounts["requested_accepted"] == requested, "\(month)")
                #expect(amounts["capped_by_entitlement"] == capped, "\(month)")
                #expect(amounts["cut_by_balance"] == cut, "\(month)")
                #expect(amounts["payable"] == payable, "\(month)")
                #expect(requested - capped - cut == payable, "\(month)")
                let report = try String(contentsOfFile: review.outputDirectory + "/report.html", encoding: .utf8)
                #expect(report.contains("= \(Fen(payable).yuanText)；decisions.csv 拟兑付合计 \(Fen(payable).yuanText) — 一致"))
            }
        }
    }

    @Test(
        "the breakdowns the review counts as it decides are its stored decisions' and findings' as the database aggregates them"
    )
    func breakdownsAreTheStoredOnes() throws {
        try withHarness { harness in
            for month in ["2024-07", "2024-08", "2024-09"] {
                _ = try harness.ingest(CycleTests.sampleInbox + "/" + month, verify: true)
                let review = try harness.review(month)
                let run = try #require(
                    try harness.connection.query(
                        "SELECT run_id FROM reviews WHERE month = $1 AND is_current", [month]
                    ).first?.string(0))
                // The aggregation the report was once read from, over the rows the run stored.
                let groups = try harness.connection.query(
                    """
                    SELECT grouping, count(*), count(*) FILTER (WHERE status = 'accepted'),
                           coalesce(sum(requested), 0), coalesce(sum(payable), 0)
                      FROM (SELECT 'city' AS grouping,
                                   CASE WHEN city_code = '' THEN '' ELSE substr(city_code, 1, 4) END AS key,
                                   status, requested, payable FROM decisions WHERE run_id = $1::bigint
                            UNION ALL
                            SELECT 'type', enterprise_type, status, requested, payable
                              FROM decisions WHERE run_id = $1::bigint
                            UNION ALL
                            SELECT 'category', c, status, requested, payable
                              FROM decisions CROSS JOIN LATERAL unnest(string_to_array(categories, E'\\x1f')) AS c
                             WHERE run_id = $1::bigint) g
                     GROUP BY grouping, key ORDER BY grouping, key COLLATE "C"
                    """, [run]
                ).rows.map { row in (0..<5).map { row.string($0) } }
                for (grouping, file) in [("city", "city"), ("type", "type"), ("category", "category")] {
                    let expected = groups.filter { $0[0] == grouping }.map { row in
                        [row[1], row[2], Fen(Int64(row[3]) ?? -1).yuanText, Fen(Int64(row[4]) ?? -1).yuanText]
                    }
                    let written = try harness.csv(review.outputDirectory + "/summary-\(file).csv").dropFirst()
                        .map { Array($0.dropFirst()) }
                    #expect(written == expected, "\(month) \(grouping)")
                }
                let codes = try harness.connection.query(
                    """
                    SELECT f.code, count(*), array_to_string((array_agg(f.request_id ORDER BY d.seq))[1:3], ' ')
                      FROM findings f JOIN decisions d ON d.run_id = f.run_id AND d.request_id = f.request_id
                     WHERE f.run_id = $1::bigint GROUP BY f.code ORDER BY count(*) DESC, f.code COLLATE "C"
                    """, [run]
                ).rows.map { row in (0..<3).map { row.string($0) } }
                #expect(!codes.isEmpty, "\(month)")
                let written = try harness.csv(review.outputDirectory + "/summary-codes.csv").dropFirst()
                    .map { [$0[0], $0[3], $0[4]] }
                #expect(written == codes, "\(month) codes")
            }
        }
    }
}
