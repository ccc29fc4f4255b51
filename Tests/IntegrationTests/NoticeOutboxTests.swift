import Foundation
import SettlementCore
import SettlementDigest
import SettlementStore
import Testing

@testable import SettlementJobs

/// The notice outbox over the sample inbox: every kind the sample shows, each event once.
@Suite("The SMS notice outbox")
struct NoticeOutboxTests {
    func notices(_ harness: StageHarness, _ directory: String) throws -> [[String]] {
        Array(try harness.csv(directory + "/notices.csv").dropFirst())
    }

    @Test("the sample's months produce notices of every kind, each event once, mobiles checked")
    func sample() throws {
        let inbox = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: inbox) }
        try withHarness { harness in
            var kinds: [String: Int] = [:]
            func count(_ directory: String) throws {
                let rows = try notices(harness, directory)
                for row in rows { kinds[row[5], default: 0] += 1 }
                let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/notices.csv")
                #expect((attributes[.posixPermissions] as? Int) == 0o600)
            }
            for month in ["2024-07", "2024-08"] {
                try FileManager.default.copyItem(
                    atPath: CycleTests.sampleInbox + "/" + month, toPath: inbox + "/" + month)
            }
            let review = try harness.review(try harness.ingest(inbox + "/2024-07").month.description)
            try count(review.outputDirectory)
            let header = try harness.csv(review.outputDirectory + "/notices.csv").first
            #expect(
                header == [
                    "notice_id", "enterprise_uscc", "enterprise_name", "contact_mobile", "order_no", "kind", "text",
                ])
            let rows = try notices(harness, review.outputDirectory)
            #expect(rows.count == review.decisions)
            #expect(rows.contains { $0[3].isEmpty } && rows.contains { !$0[3].isEmpty })
            #expect(rows.allSatisfy { $0[6].count <= 201 })
            let payment = try harness.disburse("2024-07", asOf: "2024-08-09")
            try count(payment.outputDirectory)
            // The bank returns one payment.
            let id = try #require(
                try harness.connection.query("SELECT min(end_to_end_id) FROM payment_lines").first?.string(0))
            let file = inbox + "/r.csv"
            try Data("企业流水号,状态,说明\n\(id),退回,户名与账号不符\n".utf8).write(to: URL(fileURLWithPath: file))
            let reconciled = try harness.reconcile(file)
            for directory in reconciled.outputDirectories { try count(directory) }
            // A rerun that changes nothing makes no new notice.
            let rerun = try harness.rerun("2024-07", asOf: "2024-08-12", reason: "nothing changed")
            #expect(try notices(harness, rerun.outputDirectory).isEmpty)
            for kind in ["needs_correction", "accepted", "rejected", "paid", "returned", "withdrawn"] {
                #expect((kinds[kind] ?? 0) > 0, "no \(kind) notice: \(kinds)")
            }
            let stored = try harness.connection.query("SELECT count(*), count(DISTINCT notice_id) FROM notices").first
            #expect(stored?.int(0) == stored?.int(1))
            let malformed = try harness.connection.query(
                "SELECT notice_id FROM notices WHERE notice_id !~ '^N[0-9a-f]{24}$'"
            ).rows.map { $0.string(0) }
            #expect(malformed.isEmpty, "notice ids not N + 24 hex digits: \(malformed)")
        }
    }

    @Test("a rerun that changes an outcome makes a new notice for the new outcome only")
    func changedOutcome() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try withHarness { harness in
            _ = try harness.ingest(builder.directory)
            let first = try harness.review("2024-07")
            let before = try notices(harness, first.outputDirectory)
            var lines = try builder.requestLines()
            let index = try #require(lines.firstIndex { $0.contains("\"DF2024070009\"") })
            lines[index] = lines[index].replacingOccurrences(
                of: "\"status\":\"completed\"", with: "\"status\":\"invalid\"")
            try builder.write("redemptions.jsonl", lines.joined(separator: "\n") + "\n")
            let rerun = try harness.rerun(
                "2024-07", asOf: "2024-08-12", reason: "order cancelled", bundle: builder.directory)
            let after = try notices(harness, rerun.outputDirectory)
            #expect(after.count == 1)
            #expect(after.first?[5] == "rejected" && after.first?[6].contains("订单状态不符") == true)
            #expect(!before.map(\.[0]).contains(after.first?[0] ?? ""))
        }
    }
}

/// The ids a rerun holds of the notices sent before: compact for the form the notices use, by
/// bytes for any other, never two ids taken for one.
@Suite("Notice id sets")
struct NoticeIDSetTests {
    @Test("ids of the notices' form and any other text are held and told apart by their bytes")
    func heldByBytes() {
        var random = SplitMix64(seed: 21)
        let hex = Array("0123456789abcdef")
        var ids: [String] = []
        for _ in 0..<2_000 {
            ids.append("N" + String((0..<24).map { _ in hex[Int(random.next() % 16)] }))
        }
        var set = NoticeIDSet()
        for id in ids.prefix(1_000) { set.insert(id) }
        let others = [
            "N" + String(repeating: "A", count: 24), "N" + String(repeating: "a", count: 23), "Ne\u{301}", "",
        ]
        for other in others { set.insert(other) }
        #expect(set.count == 1_000 + others.count)
        for id in ids.prefix(1_000) { #expect(set.contains(id)) }
        for id in ids.dropFirst(1_000) { #expect(!set.contains(id)) }
        for other in others { #expect(set.contains(other)) }
        // Uppercase digits, a digit short or long, a canonically equivalent spelling: other ids.
        #expect(!set.contains("N" + String(repeating: "a", count: 24)))
        #expect(!set.contains("N" + String(repeating: "A", count: 23)))
        #expect(!set.contains(ids[0] + "0"))
        #expect(!set.contains("N\u{E9}"))
    }
}

/// A notice id is `N` and the first 24 hex digits of the SHA-256 of the event's identity (the
/// SMS gateway's dedup key: an id must never change for an event already sent). The id is made
/// without joining the identity into a string; this holds it to the identity's text.
@Suite("Notice ids")
struct NoticeIDTests {
    @Test("the id is N and 24 digits of the identity's SHA-256, whatever the parts hold")
    func fromIdentity() {
        let requests = ["DF202408000001", "", "é", "e\u{301}", "申请\u{1F}1", String(repeating: "R", count: 300)]
        for requestID in requests {
            for revision in [0, 1, 12, Int.max, -3] {
                for kind in NoticeKind.allCases {
                    for paymentID in [nil, "", "E2E-1", "付款"] as [String?] {
                        let event = NoticeEvent(
                            kind: kind, requestID: requestID, revision: revision, paymentID: paymentID,
                            enterpriseName: "x", orderNumber: "y")
                        let expected = "N" + String(SHA256.hex(Array(event.identity.utf8)).prefix(24))
                        #expect(event.noticeID == expected, "\(event.identity)")
                    }
                }
            }
        }
        // One fixed value, so that a change to both the id and the identity would still be seen.
        let fixed = NoticeEvent(
            kind: .accepted, requestID: "DF202408000001", revision: 1, enterpriseName: "", orderNumber: "")
        #expect(fixed.noticeID == "N93913f81000dda73bd7752d3")
        #expect(fixed.noticeID.utf8.count == 25)
    }
}
