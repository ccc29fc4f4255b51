import Foundation

/// Runs a helper program (initdb, pg_ctl, runuser) and captures what it prints.
///
/// It uses `posix_spawn` and `waitpid` rather than Foundation's `Process`: on Linux, `Process`
/// watches its child through a socket the child inherits, and `pg_ctl start` hands that socket on
/// to the server it leaves running, so waiting would last as long as the server. Output goes to a
/// temporary file for the same reason.
enum ProcessRunner {
    struct Outcome {
        let status: Int32
        let output: String
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Outcome {
        let capture = NSTemporaryDirectory() + "settle-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).out"
        defer { unlink(capture) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw ClusterError("cannot run \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw ClusterError("waiting for \(executable) failed") }
        }
        let exitStatus: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let output = (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
        return Outcome(status: exitStatus, output: output)
    }
}
