/// One versioned change of the schema.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
}

/// Applies the schema migrations the database lacks, each in its own transaction, and records
/// them in `schema_migrations`. A database newer than this program is refused.
public enum Migrator {
    /// Every migration, in order. Append; never edit one that has shipped.
    public static let all: [Migration] = [
        Migration(version: 1, name: "runs and inputs", sql: SchemaV1.runsAndInputs),
        Migration(version: 2, name: "review decisions and claims", sql: SchemaV2.review),
        Migration(version: 3, name: "ledger with database-enforced invariants", sql: SchemaV3.ledger),
        Migration(version: 4, name: "payment files", sql: SchemaV4.payments),
        Migration(version: 5, name: "money after the first payment", sql: SchemaV5.moneyAfterPayment),
        Migration(version: 6, name: "64-bit request integers", sql: SchemaV6.wideIntegers),
        Migration(version: 7, name: "two-person release and the audit trail", sql: SchemaV7.releaseAndAudit),
        Migration(version: 8, name: "SMS notices", sql: SchemaV8.notices),
        Migration(version: 9, name: "claim keys read at ingest", sql: SchemaV9.claimKeys),
        Migration(
            version: 10, name: "set-based ledger checks, claim keys from the request line", sql: SchemaV10.setBased),
        Migration(version: 11, name: "parents checked per statement", sql: SchemaV11.parentChecks),
        Migration(version: 12, name: "request lines kept as written", sql: SchemaV12.linesKept),
        Migration(version: 13, name: "one index for a decision's request and run", sql: SchemaV13.decisionIndex),
        Migration(version: 14, name: "the request as the review reads it", sql: SchemaV14.reviewRecord),
        Migration(
            version: 15, name: "claims searched by request and month through lighter indexes",
            sql: SchemaV15.claimIndexes),
        Migration(version: 16, name: "the ledger's checks at a million requests", sql: SchemaV16.ledgerAtScale),
        Migration(version: 17, name: "a request's claims found from its lines", sql: SchemaV17.claimsByLine),
        Migration(version: 18, name: "a bundle's rows checked against bundles by index", sql: SchemaV18.bundleChecks),
        Migration(
            version: 19, name: "no statistics for the columns read only by key", sql: SchemaV19.narrowStatistics),
        Migration(version: 20, name: "a line's claim keys unnested from one array", sql: SchemaV20.claimKeysUnnested),
        Migration(
            version: 21, name: "a request line's short columns never compressed",
            sql: SchemaV21.shortColumnsUncompressed),
        Migration(version: 22, name: "the claims' primary key compares the key first", sql: SchemaV22.claimKeyFirst),
        Migration(
            version: 23, name: "append-only bundle tables not vacuumed for inserts", sql: SchemaV23.noInsertVacuum),
        Migration(
            version: 24, name: "a ledger entry's account checked where its counters are applied",
            sql: SchemaV24.accountCheckedWithCounters),
        Migration(version: 25, name: "a review's rows checked against their run by index", sql: SchemaV25.runsByIndex),
    ]

    public static var latestVersion: Int { all.last?.version ?? 0 }

    /// Brings the database up to date; returns the versions applied now.
    @discardableResult
    public static func migrate(_ connection: Connection) throws -> [Int] {
        // One migrator at a time, whatever the batch.
        try connection.query("SELECT pg_advisory_lock(7301000)")
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(7301000)") }
        let exists = try connection.queryRow(
            "SELECT to_regclass('public.schema_migrations') IS NOT NULL AS present"
        ).bool("present")
        if !exists {
            try connection.execute(
                """
                CREATE TABLE schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
        }
        let current = try currentVersion(connection)
        guard current <= latestVersion else {
            throw MigrationError(
                message: "the database schema is version \(current), newer than this program "
                    + "(which knows up to \(latestVersion)); use a newer settle")
        }
        var applied: [Int] = []
        for migration in all where migration.version > current {
            try connection.transaction {
                try connection.execute(migration.sql)
                try connection.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                    [String(migration.version), migration.name])
            }
            applied.append(migration.version)
        }
        return applied
    }

    public static func currentVersion(_ connection: Connection) throws -> Int {
        // No migration applied yet is version 0.
        try connection.queryRow("SELECT coalesce(max(version), 0) AS version FROM schema_migrations").int("version")
    }
}

public struct MigrationError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
