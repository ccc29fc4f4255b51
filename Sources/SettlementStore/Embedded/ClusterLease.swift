import Foundation

/// A `flock` on a file of the state directory. The kernel drops it when the process dies, so a
/// killed command never leaves the embedded cluster believing it is still in use.
final class ClusterFileLock {
    private var descriptor: Int32

    /// Waits for the lock.
    init(path: String, exclusive: Bool) throws {
        descriptor = try ClusterFileLock.open(path)
        while flock(descriptor, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw ClusterError("cannot lock \(path): \(reason)")
            }
        }
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Takes the lock if it is free; `nil` when another process holds it.
    static func attempt(path: String, exclusive: Bool) throws -> ClusterFileLock? {
        let descriptor = try open(path)
        guard flock(descriptor, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return ClusterFileLock(descriptor: descriptor)
    }

    private static func open(_ path: String) throws -> Int32 {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let descriptor = Foundation.open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw ClusterError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        return descriptor
    }

    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

/// One command's use of the embedded cluster: while any lease is held the cluster keeps running;
/// the last lease released stops a cluster that was started on demand.
public final class ClusterLease {
    public let cluster: EmbeddedCluster
    /// Whether acquiring this lease started the server.
    public let startedHere: Bool
    private var user: ClusterFileLock?

    init(cluster: EmbeddedCluster, user: ClusterFileLock, startedHere: Bool) {
        self.cluster = cluster
        self.user = user
        self.startedHere = startedHere
    }

    public func release() {
        guard let user else { return }
        self.user = nil
        cluster.leave(user)
    }

    deinit { release() }
}
