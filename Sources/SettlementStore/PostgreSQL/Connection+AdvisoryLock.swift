/// Session-level advisory locks: one run per batch at a time.
extension Connection {
    /// Takes the lock named by `key` if it is free; `false` if another session holds it.
    public func tryAdvisoryLock(_ key: Int64) throws(DatabaseError) -> Bool {
        try query("SELECT pg_try_advisory_lock($1)", [String(key)]).first?.bool(0) ?? false
    }

    public func releaseAdvisoryLock(_ key: Int64) throws(DatabaseError) {
        try query("SELECT pg_advisory_unlock($1)", [String(key)])
    }

    /// The process id of this session's server backend (to tell who holds a lock).
    public func backendProcessID() throws(DatabaseError) -> Int {
        try query("SELECT pg_backend_pid()").first?.int(0) ?? 0
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
        ).first?.int(0)
    }
}
