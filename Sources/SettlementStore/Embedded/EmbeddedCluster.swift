import Foundation

/// The private PostgreSQL cluster `settle` runs when no database URL is configured: a data
/// directory under the state directory, a Unix socket in a directory of its own and no TCP port.
/// As root the server runs as the `postgres` system user (initdb and postgres refuse root).
public struct EmbeddedCluster: Sendable {
    public let stateDirectory: String
    public static let databaseName = "settle"
    public static let userName = "settle"

    public init(stateDirectory: String) {
        self.stateDirectory = (stateDirectory as NSString).standardizingPath
    }

    public var dataDirectory: String { stateDirectory + "/pgdata" }
    var logFile: String { stateDirectory + "/postgres.log" }
    /// Present while the cluster was started by `settle db start` (and must outlive commands).
    var keepRunningMarker: String { stateDirectory + "/db-started-by-operator" }

    /// The socket directory: inside the state directory, or under /tmp when that path would be too
    /// long for a Unix socket (about 107 bytes) or holds a byte that the server's start command or
    /// its list of directories would read as syntax (quotes, backslash, comma, control characters).
    /// It is named again on every start, so a state directory moved or restored elsewhere listens
    /// where its commands look.
    public var socketDirectory: String {
        let preferred = stateDirectory + "/run"
        let plain = preferred.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F && !"'\"\\,".utf8.contains($0) }
        if plain, (preferred + "/.s.PGSQL.5432").utf8.count < 100 { return preferred }
        var hasher = Hasher64()
        hasher.add(stateDirectory)
        return "/tmp/settle-" + String(hasher.value, radix: 16)
    }

    /// The libpq URL of the running cluster for the application role (what every stage uses).
    public var url: String { url(role: DatabaseRoles.application) }

    /// The libpq URL for one role: `DatabaseRoles.application`, `DatabaseRoles.owner` (migrations,
    /// `settle db url --admin`) or the cluster's bootstrap superuser `settle` (role set-up only).
    public func url(role: String, database: String = EmbeddedCluster.databaseName) -> String {
        let host =
            socketDirectory.addingPercentEncoding(
                withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_.")))
            ?? socketDirectory
        return "postgresql:///\(database)?host=\(host)&user=\(role)"
    }

    public enum State: String, Sendable {
        /// No cluster has been created yet.
        case absent
        case stopped
        case running
    }

    public var isInitialized: Bool {
        FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION")
    }

    public func state() -> State {
        guard isInitialized else { return .absent }
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
            let pid = text.split(separator: "\n").first.flatMap({ Int32($0) }), pid > 0
        else { return .stopped }
        return kill(pid, 0) == 0 || errno == EPERM ? .running : .stopped
    }

    public var keepsRunning: Bool { FileManager.default.fileExists(atPath: keepRunningMarker) }

    /// Creates the cluster if needed and starts it, waiting for any other command that is starting
    /// or stopping it. Returns `true` if this call started it. With `keepRunning` (`settle db
    /// start`) it stays up until `settle db stop`; otherwise it stops when its last user leaves.
    @discardableResult
    public func start(keepRunning: Bool = false) throws -> Bool {
        let transition = try ClusterFileLock(path: transitionLockFile, exclusive: true)
        defer { transition.release() }
        if keepRunning { _ = FileManager.default.createFile(atPath: keepRunningMarker, contents: Data()) }
        return try startUnlocked()
    }

    /// Starts the cluster if needed and registers this process as a user of it until the lease is
    /// released (or the process dies: the lease is a shared `flock`, which the kernel drops).
    public func acquire() throws -> ClusterLease {
        let transition = try ClusterFileLock(path: transitionLockFile, exclusive: true)
        defer { transition.release() }
        let started = try startUnlocked()
        let user = try ClusterFileLock(path: usersLockFile, exclusive: false)
        return ClusterLease(cluster: self, user: user, startedHere: started)
    }

    /// Called by a lease as it is released: stops the cluster when nobody else uses it and no
    /// operator asked for it to keep running.
    func leave(_ user: ClusterFileLock) {
        user.release()
        guard let transition = try? ClusterFileLock(path: transitionLockFile, exclusive: true) else { return }
        defer { transition.release() }
        guard !keepsRunning, state() == .running,
            let alone = try? ClusterFileLock.attempt(path: usersLockFile, exclusive: true)
        else { return }
        defer { alone.release() }
        try? stopServer()
    }

    func startUnlocked() throws -> Bool {
        if state() == .running { return false }
        let binaries = try EmbeddedCluster.serverBinaries()
        try prepareDirectories()
        if !isInitialized { try initialize(binaries) }
        let outcome = try asServerUser(
            binaries + "/pg_ctl",
            // pg_ctl hands -o to a shell: the directory is single-quoted, and holds no quote (above).
            ["-D", dataDirectory, "-l", logFile, "-o", "-k '\(socketDirectory)'", "-w", "-t", "60", "start"])
        guard outcome.status == 0 else {
            throw ClusterError("pg_ctl start failed (\(outcome.status)): \(outcome.output)\(logTail())")
        }
        try createDatabaseIfNeeded()
        return true
    }

    /// What `settle db stop` did.
    public enum StopOutcome: Sendable {
        case stopped, notRunning
        /// Other commands use it: it stops when the last of them ends.
        case inUse
    }

    /// Forgets that an operator started the cluster and stops it — unless a command is using it;
    /// then it stops when that command ends.
    @discardableResult
    public func stop() throws -> StopOutcome {
        let transition = try ClusterFileLock(path: transitionLockFile, exclusive: true)
        defer { transition.release() }
        try? FileManager.default.removeItem(atPath: keepRunningMarker)
        guard state() == .running else { return .notRunning }
        guard let alone = try ClusterFileLock.attempt(path: usersLockFile, exclusive: true) else { return .inUse }
        defer { alone.release() }
        try stopServer()
        return .stopped
    }

    func stopServer() throws {
        let binaries = try EmbeddedCluster.serverBinaries()
        let outcome = try asServerUser(binaries + "/pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"])
        guard outcome.status == 0 else { throw ClusterError("pg_ctl stop failed: \(outcome.output)") }
    }

    var transitionLockFile: String { stateDirectory + "/cluster.lock" }
    var usersLockFile: String { stateDirectory + "/cluster.users" }

    /// The newest `/usr/lib/postgresql/<major>/bin` that has `initdb` and `pg_ctl`.
    public static func serverBinaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let majors = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap { Int($0) }.sorted(by: >)
        for major in majors {
            let bin = "\(root)/\(major)/bin"
            if FileManager.default.isExecutableFile(atPath: bin + "/initdb"),
                FileManager.default.isExecutableFile(atPath: bin + "/pg_ctl")
            {
                return bin
            }
        }
        throw ClusterError(
            "no PostgreSQL server found under /usr/lib/postgresql; install it with "
                + "`apt-get install -y postgresql libpq-dev` (or run Scripts/bootstrap.sh), "
                + "or set DATABASE_URL to an existing server")
    }

    var runsAsRoot: Bool { getuid() == 0 }

    func prepareDirectories() throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        var server: (uid: uid_t, gid: gid_t)?
        if runsAsRoot {
            guard let account = getpwnam("postgres") else {
                throw ClusterError("running as root needs the `postgres` system user (apt-get install -y postgresql)")
            }
            server = (account.pointee.pw_uid, account.pointee.pw_gid)
        }
        // The socket directory may be under /tmp, where another local user could plant a link or a
        // directory of their own first: it is made with mkdir 0700 and then checked and changed
        // through a descriptor opened without following links, never through its path.
        for directory in [dataDirectory, socketDirectory] {
            try EmbeddedCluster.secureDirectory(directory, owner: server)
        }
        if let server {
            let account = (pw_uid: server.uid, pw_gid: server.gid)
            if !manager.fileExists(atPath: logFile) { _ = manager.createFile(atPath: logFile, contents: Data()) }
            _ = chown(logFile, account.pw_uid, account.pw_gid)
            let probe = try ProcessRunner.run(
                "/usr/sbin/runuser", ["-u", "postgres", "--", "test", "-w", dataDirectory])
            guard probe.status == 0 else {
                throw ClusterError(
                    "the postgres user cannot reach \(dataDirectory): every directory above it must be "
                        + "searchable by others (chmod o+x), or choose another --state-dir")
            }
        }
    }

    /// Creates `path` (mode 0700) or accepts it only if it is a real directory owned by this user or
    /// by the server user; then sets its mode and owner through a descriptor (no link followed).
    public static func secureDirectory(_ path: String, owner server: (uid: uid_t, gid: gid_t)?) throws {
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw ClusterError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ClusterError(
                "\(path) is not a directory of ours (\(String(cString: strerror(errno)))); remove it or choose "
                    + "another --state-dir")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ClusterError("cannot inspect \(path)") }
        let owners = [getuid(), server?.uid].compactMap { $0 }
        guard owners.contains(status.st_uid) else {
            throw ClusterError(
                "\(path) belongs to another user (uid \(status.st_uid)); remove it or choose another --state-dir")
        }
        guard fchmod(descriptor, 0o700) == 0 else { throw ClusterError("cannot set the mode of \(path)") }
        if let server, fchown(descriptor, server.uid, server.gid) != 0 {
            throw ClusterError("cannot give \(path) to the postgres user: \(String(cString: strerror(errno)))")
        }
    }

    func initialize(_ binaries: String) throws {
        let outcome = try asServerUser(
            binaries + "/initdb",
            [
                "-D", dataDirectory, "-U", EmbeddedCluster.userName, "-A", "trust", "-E", "UTF8", "--locale=C",
                "--no-sync",
            ])
        guard outcome.status == 0 else { throw ClusterError("initdb failed: \(outcome.output)") }
        let settings = """

            # settle: a private cluster, reachable only through its own Unix socket.
            listen_addresses = ''
            unix_socket_directories = '\(socketDirectory)'
            unix_socket_permissions = 0700
            max_connections = 30
            shared_buffers = 512MB
            # A month's batch is written in one transaction: room for its WAL between checkpoints.
            # A checkpoint starts after max_wal_size / (1 + checkpoint_completion_target) of WAL,
            # ~8.4 GB here; ingest and review of a million requests write ~5 GB (at 4GB one
            # started every ~2.1 GB, twice in such a month, and every index page touched after it
            # was written whole into the WAL again).
            max_wal_size = 16GB
            checkpoint_timeout = 15min
            logging_collector = off

            """
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dataDirectory + "/postgresql.conf"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(settings.utf8))
        try handle.close()
    }

    func createDatabaseIfNeeded() throws {
        let admin = try Connection(url: url(role: EmbeddedCluster.userName, database: "postgres"))
        let exists = try admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [EmbeddedCluster.databaseName])
        if exists.rows.isEmpty {
            try admin.execute("CREATE DATABASE \(EmbeddedCluster.databaseName)")
        }
    }

    func asServerUser(_ executable: String, _ arguments: [String]) throws -> ProcessRunner.Outcome {
        if runsAsRoot {
            return try ProcessRunner.run("/usr/sbin/runuser", ["-u", "postgres", "--", executable] + arguments)
        }
        return try ProcessRunner.run(executable, arguments)
    }

    func logTail() -> String {
        guard let text = try? String(contentsOfFile: logFile, encoding: .utf8) else { return "" }
        let lines = text.split(separator: "\n").suffix(10)
        return lines.isEmpty ? "" : "\nlast lines of \(logFile):\n" + lines.joined(separator: "\n")
    }
}

public struct ClusterError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// FNV-1a, for a short stable name derived from a path.
struct Hasher64 {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(_ text: String) {
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
    }
}
