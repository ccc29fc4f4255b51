import Foundation
import SettlementCore
import SettlementJobs
import SettlementStore
import Testing

/// The README's exit-code table, row by row, by running the built binary.
@Suite("Exit codes of the settle binary")
struct ExitCodeTests {
    static let july = StageHarness.fixtures + "/conformance/inbox/2024-07"

    func common(_ database: TestDatabase) -> [String] {
        ["--database", database.applicationURL, "--log-format", "json"]
    }

    @Test("0: done, including nothing due; --version and --help")
    func done() throws {
        try withTestDatabase { database in
            #expect(try SettleBinary.run(["status"] + common(database)).status == 0)
            let version = try SettleBinary.run(["--version"])
            #expect(version.status == 0 && version.output.contains("schema \(Migrator.latestVersion)"))
            #expect(try SettleBinary.run(["review", "--help"]).status == 0)
        }
    }

    @Test("1: unexpected failure — the ledger's counters edited behind settle's back")
    func unexpected() throws {
        try withTestDatabase { database in
            #expect(try SettleBinary.run(["ingest", ExitCodeTests.july] + common(database)).status == 0)
            let out = try scratchDirectory()
            defer { try? FileManager.default.removeItem(atPath: out) }
            #expect(
                try SettleBinary.run(
                    ["review", "--month", "2024-07", "--as-of", "2024-08-01", "--out", out] + common(database)
                ).status == 0)
            try database.connectAsOwner().execute("UPDATE voucher_accounts SET reserved_fen = 0")
            let check = try SettleBinary.run(["check"] + common(database))
            #expect(check.status == 1, "\(check.output)")
            #expect(check.output.contains("PROBLEM: voucher account"))
        }
    }

    @Test(
        "2: usage or configuration errors, never 64, with the subcommand's usage",
        arguments: [
            ["review", "--month", "2024-13"], ["review", "--month", "2024-07", "--as-of", "2024-02-30"],
            ["status", "--log-format", "xml"], ["review", "--bogus"], ["disburse"], ["no-such-command"],
            ["resolve", "--payment-id", "X", "--reason", "r"], ["calendar", "check", "--year", "1999"],
            ["status", "--config", "/nonexistent/settlement.toml"],
        ])
    func usage(_ arguments: [String]) throws {
        let outcome = try SettleBinary.run(arguments + ["--database", "postgresql:///nonexistent?host=/nonexistent"])
        #expect(outcome.status == 2, "\(arguments): \(outcome.status) \(outcome.output)")
        if arguments.first == "review" { #expect(outcome.output.contains("Usage: settle review")) }
    }

    @Test("2: an unreachable database")
    func unreachable() throws {
        let outcome = try SettleBinary.run(["status", "--database", "postgresql:///x?host=/nonexistent&password=pw9"])
        #expect(outcome.status == 2)
        #expect(!outcome.output.contains("pw9"))
    }

    @Test("3: input refused as a whole — a missing file, an empty export")
    func refusedInput() throws {
        let builder = try BundleBuilder.fromConformance()
        defer { builder.remove() }
        try builder.write("redemptions.jsonl", "\u{FEFF}\n\n")
        try withTestDatabase { database in
            let empty = try SettleBinary.run(["ingest", builder.directory] + common(database))
            #expect(empty.status == 3 && empty.output.contains("--allow-empty"), "\(empty.output)")
            #expect(
                try SettleBinary.run(["ingest", builder.directory, "--allow-empty"] + common(database)).status == 0)
            try FileManager.default.removeItem(atPath: builder.directory + "/providers.csv")
            #expect(try SettleBinary.run(["ingest", builder.directory] + common(database)).status == 3)
        }
    }

    @Test("4: another run holds the batch's lock; 5: already reviewed")
    func lockedAndRefused() throws {
        try withTestDatabase { database in
            #expect(try SettleBinary.run(["ingest", ExitCodeTests.july] + common(database)).status == 0)
            let out = try scratchDirectory()
            defer { try? FileManager.default.removeItem(atPath: out) }
            let review = ["review", "--month", "2024-07", "--as-of", "2024-08-01", "--out", out] + common(database)
            let holder = try database.connect()
            #expect(try holder.tryAdvisoryLock(7_300_000_000 + 202_407))
            let locked = try SettleBinary.run(review)
            #expect(locked.status == 4, "\(locked.output)")
            try holder.releaseAdvisoryLock(7_300_000_000 + 202_407)
            #expect(try SettleBinary.run(review).status == 0)
            #expect(try SettleBinary.run(review).status == 5)
        }
    }

    @Test("a business date after today is said in the log, and runs as that date; today's is not")
    func businessDateAhead() throws {
        try withTestDatabase { database in
            let inbox = try scratchDirectory()
            defer { try? FileManager.default.removeItem(atPath: inbox) }
            let ahead = try SettleBinary.run(["cycle", "--as-of", "2099-01-05", "--inbox", inbox] + common(database))
            #expect(ahead.output.contains("the business date 2099-01-05 is after today"), "\(ahead.output)")
            let past = try SettleBinary.run(["cycle", "--as-of", "2024-08-01", "--inbox", inbox] + common(database))
            #expect(past.status == 0, "\(past.output)")
            #expect(!past.output.contains("is after today"))
        }
    }

    @Test("2: a database that is not UTF8 is refused before anything is written to it")
    func notUTF8() throws {
        let database = try TestDatabase.make(migrated: false, encoding: "SQL_ASCII")
        defer { database.drop() }
        let outcome = try SettleBinary.run(["status"] + common(database))
        #expect(outcome.status == 2, "\(outcome.output)")
        #expect(outcome.output.contains("the database's encoding is SQL_ASCII; settle needs UTF8"), "\(outcome.output)")
        let tables = try database.connectAsOwner().query(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).first?.int(0)
        #expect(tables == 0)
    }

    @Test("cycle warns about a missing calendar year of the next 90 days and exits 0")
    func newYearWarning() throws {
        try withTestDatabase { database in
            let inbox = try scratchDirectory()
            defer { try? FileManager.default.removeItem(atPath: inbox) }
            let cycle = try SettleBinary.run(["cycle", "--as-of", "2026-12-01", "--inbox", inbox] + common(database))
            #expect(cycle.status == 0, "\(cycle.output)")
            // Until the State Council's 2027 notice is added to Jobs/calendar, the cycle says so.
            let present = FileManager.default.fileExists(
                atPath: StageHarness.repositoryRoot + "/Jobs/calendar/2027.toml")
            #expect(cycle.output.contains("the working-day calendar for 2027 is missing") != present)
            let status = try SettleBinary.run(["status", "--json"] + common(database))
            #expect(status.output.contains("\"warnings\":["))
        }
    }
}
