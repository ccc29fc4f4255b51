/// The two roles `settle` works through, so that the ledger's guards hold against the role that
/// runs the monthly job:
/// - `settle_owner` owns the schema, applies the migrations (`settle db url --admin`);
/// - `settle_app` runs every stage (`settle db url`): it may read, append ledger entries and write
///   the operational tables, but it owns nothing, so it cannot ALTER a table, disable a trigger,
///   set `session_replication_role`, or write the voucher accounts' counters (only the ledger
///   trigger, running with the owner's rights, writes them).
///
/// `docs/operations/database.md` gives the same set-up for an external PostgreSQL.
public enum DatabaseRoles {
    /// The roles' names, written as such in the SQL below (identifiers cannot be bound).
    public static let owner = "settle_owner"
    public static let application = "settle_app"

    /// With a superuser connection to `database` (the embedded cluster's bootstrap user): creates
    /// the roles when missing and hands the database, its `public` schema and everything in it to
    /// the owner (a cluster created before the roles existed had them owned by the superuser).
    public static func prepare(superuser: Connection, database: String) throws {
        // Two commands starting together would both create the roles: one at a time.
        try superuser.query("SELECT pg_advisory_lock(7301001)")
        defer { _ = try? superuser.query("SELECT pg_advisory_unlock(7301001)") }
        try superuser.execute(
            """
            DO $$
            DECLARE
                object record;
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'settle_owner') THEN
                    CREATE ROLE settle_owner LOGIN NOSUPERUSER CREATEDB NOCREATEROLE NOREPLICATION;
                END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'settle_app') THEN
                    CREATE ROLE settle_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
                END IF;
                -- The owner may end the application's sessions (DROP DATABASE … WITH (FORCE) in tests,
                -- a lock left by a killed client).
                GRANT settle_app TO settle_owner;
                FOR object IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                               WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
                                 AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = 'settle_owner') LOOP
                    EXECUTE format('ALTER TABLE public.%I OWNER TO settle_owner', object.relname);
                END LOOP;
                FOR object IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
                                JOIN pg_namespace n ON n.oid = p.pronamespace
                               WHERE n.nspname = 'public'
                                 AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = 'settle_owner') LOOP
                    EXECUTE format('ALTER FUNCTION %s OWNER TO settle_owner', object.signature);
                END LOOP;
            END $$
            """)
        try superuser.execute("ALTER DATABASE \(Connection.quoteIdentifier(database)) OWNER TO settle_owner")
        try superuser.execute("ALTER SCHEMA public OWNER TO settle_owner")
    }

    /// With the owner's connection, after the migrations: what the application role may do, table by
    /// table. Idempotent; every table is listed, so a new table without a line here is unreachable.
    public static func grant(owner connection: Connection) throws {
        // Only the owner can grant; a working connection of another role leaves the grants as they are.
        guard
            try connection.query(
                """
                SELECT 1 FROM pg_roles r, pg_class c
                 WHERE r.rolname = $1 AND c.oid = 'public.ledger_entries'::regclass
                   AND pg_has_role(current_user, c.relowner, 'USAGE')
                """, [application]
            ).first != nil
        else { return }
        // One granter at a time (two commands starting together), all or nothing.
        try connection.query("SELECT pg_advisory_lock(7301002)")
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(7301002)") }
        try connection.execute(
            """
            BEGIN;
            REVOKE ALL ON ALL TABLES IN SCHEMA public FROM settle_app;
            GRANT SELECT ON ALL TABLES IN SCHEMA public TO settle_app;
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO settle_app;
            -- Operational state that stages move forward.
            GRANT INSERT, UPDATE ON runs, bundles, reviews, disbursements, payment_disputes TO settle_app;
            GRANT INSERT, UPDATE, DELETE ON claims TO settle_app;
            -- Facts, written once.
            GRANT INSERT ON bundle_files, roster_rows, provider_rows, request_lines, decisions, findings,
                            quarantine, decision_claims, ledger_entries, payment_lines, disbursement_exclusions,
                            bank_results, run_files, audit_entries, notices TO settle_app;
            -- Accounts: created and given their limit by a review; the counters are the trigger's.
            GRANT INSERT (uscc, year, limit_fen), UPDATE (limit_fen) ON voucher_accounts TO settle_app;
            COMMIT;
            """)
    }

    /// What the connected role could do to the ledger's guards.
    public struct CurrentRole: Sendable {
        public let name: String
        public let isSuperuser: Bool
        /// It owns (or is a member of the owner of) the ledger table: it could disable its triggers.
        public let ownsLedger: Bool
    }

    /// The connected role, or nil before the schema exists.
    /// The database's server encoding (`UTF8` is the only one settle works with: names, reasons
    /// and notices are Chinese, and identifiers are compared by their UTF-8 bytes).
    public static func serverEncoding(_ connection: Connection) throws -> String {
        try connection.queryRow(
            "SELECT pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database()"
        )
        .text("encoding")
    }

    public static func currentRole(_ connection: Connection) throws -> CurrentRole? {
        try connection.query(
            """
            SELECT r.rolsuper, pg_has_role(current_user, c.relowner, 'USAGE') AS owns_ledger, current_user AS name
              FROM pg_roles r, pg_class c
             WHERE r.rolname = current_user AND c.oid = 'public.ledger_entries'::regclass
            """
        ).first.map { row in
            CurrentRole(
                name: try row.text("name"), isSuperuser: try row.bool("rolsuper"),
                ownsLedger: try row.bool("owns_ledger"))
        }
    }
}
