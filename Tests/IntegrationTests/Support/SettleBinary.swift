import Foundation

/// The built `settle` executable (Scripts/test.sh exports `SETTLE_TEST_BINARY`), run as an operator
/// or cron would, with the repository's configuration (`SETTLE_CONFIG`) and its own environment. Started with `posix_spawn`
/// (Foundation's `Process` waits through a socket that `pg_ctl start` hands on to the server).
struct SettleBinary {
    struct Outcome {
        let status: Int32
        let output: String
    }

    static var path: String {
        get throws {
            guard let path = ProcessInfo.processInfo.environment["SETTLE_TEST_BINARY"], !path.isEmpty else {
                throw TestSetupError("SETTLE_TEST_BINARY is not set: run the tests through Scripts/test.sh")
            }
            return path
        }
    }

    /// Runs `settle arguments…`; `environment` is added to this process's environment.
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        try start(arguments, environment: environment).wait()
    }

    /// A started `settle` process.
    struct Running {
        let pid: pid_t
        let capture: String

        func wait() throws -> Outcome {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 {
                guard errno == EINTR else { throw TestSetupError("waitpid failed") }
            }
            let exitStatus: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
            let output = (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
            unlink(capture)
            return Outcome(status: exitStatus, output: output)
        }
    }

    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        let executable = try path
        let capture = NSTemporaryDirectory() + "settle-test-run-" + UUID().uuidString
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "DATABASE_URL")
        merged["SETTLE_CONFIG"] = StageHarness.repositoryRoot + "/Jobs/settlement.toml"
        // Its temporary files (a dry run's outputs) go with the test process's scratch.
        merged["TMPDIR"] = ScratchRoot.path
        for (key, value) in environment { merged[key] = value }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup($0.key + "=" + $0.value) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw TestSetupError("cannot run \(executable): \(spawned)") }
        return Running(pid: pid, capture: capture)
    }
}
