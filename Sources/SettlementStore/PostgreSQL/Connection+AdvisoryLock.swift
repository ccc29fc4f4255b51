/// Session-level advisory locks: one run per batch at a time.
extension Connection {
    /// Takes the lock named by `key` if it is free; `false` if another session holds it.
    public func tryAdvisoryLock(_ key: Int64) throws(DatabaseError) -> Bool {
        try queryRow("SELECT pg_try_advisory_lock($1) AS taken", [String(key)]).bool("taken")
    }

    public func releaseAdvisoryLock(_ key: Int64) throws(DatabaseError) {
        try query("SELECT pg_advisory_unlock($1)", [String(key)])
    }

    /// The process id of this session's server backend (to tell who holds a lock).
    public func backendProcessID() throws(DatabaseError) -> Int {
        try queryRow("SELECT pg_backend_pid() AS pid").int("pid")
    }

    /// The backend holding the advisory lock `key` in this database (advisory locks are per
    /// database), if any.
    public func advisoryLockHolder(_ key: Int64) throws(DatabaseError) -> Int? {
        let high = String(Int32(truncatingIfNeeded: key >> 32))
        let low = String(Int32(truncatingIfNeeded: key))
        return try query(
            """
            SELECT pid FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND classid::int = $1::int AND objid::int = $2::int AND objsubid = 1
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """, [high, low]
        ).first?.int("pid")
    }

    /// The `application_name` of a server backend of this cluster (nil when it is gone).
    public func applicationName(ofBackend pid: Int) throws(DatabaseError) -> String? {
        try query("SELECT application_name FROM pg_stat_activity WHERE pid = $1", [String(pid)]).first?
            .text("application_name")
    }

    /// Ends a server backend (a session whose client died while holding a lock); false if it could not.
    @discardableResult
    public func terminateBackend(_ pid: Int) -> Bool {
        (try? queryRow("SELECT pg_terminate_backend($1) AS ended", [String(pid)]).bool("ended")) ?? false
    }
}
