import Foundation
import SettlementStore

/// A batch lock held by a client that no longer exists. PostgreSQL releases a session's advisory
/// locks when its backend ends, but a backend busy with a statement only notices that its client
/// was killed when it next writes to it — seconds later, or at the end of a long statement. Every
/// `settle` connection names its host and process (`Connection.applicationName`); when the holder
/// is a `settle` process of this host that is gone, its backend is ended and the lock taken.
enum LockHolder {
    /// Ends the backend holding `key` once its client process is dead, and waits for the lock: up
    /// to 10 s for a dead client's backend to end, up to 2 s for a client that looks alive (one
    /// killed a moment ago can still be exiting). Returns whether the lock is now held by this
    /// session; false when a live client holds it.
    static func endIfDead(_ connection: Connection, key: Int64) throws -> Bool {
        var alive = 0
        for _ in 0..<100 {
            if try connection.tryAdvisoryLock(key) { return true }
            if let holder = try connection.advisoryLockHolder(key),
                let application = try connection.applicationName(ofBackend: holder)
            {
                if clientIsGone(application) {
                    connection.terminateBackend(holder)
                } else {
                    alive += 1
                    if alive == 20 { return false }
                }
            }
            usleep(100_000)
        }
        return false
    }

    /// Whether an application name `settle:<host>:<pid>` names a process of this host that is gone.
    static func clientIsGone(_ application: String) -> Bool {
        let parts = application.split(separator: ":", omittingEmptySubsequences: false)
        let mine = Connection.applicationName.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "settle", mine.count == 3, parts[1] == mine[1],
            let pid = Int32(parts[2]), pid > 0, pid != getpid()
        else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
