import Foundation

/// Opening files that an input names without following a symbolic link that the input could have
/// planted: each component below the root is opened with `O_NOFOLLOW` from its parent's descriptor,
/// `..` is refused, and only a regular file is read (a FIFO, a device such as `/dev/zero`, a
/// directory or a link is refused before a byte is read, so nothing can hang or flood the reader).
enum SafeFile {
    /// Opens `relative` below the directory `root` for reading, with its size; the error says why not.
    static func openRegular(below root: String, relative: String) -> Result<
        (descriptor: Int32, size: Int64), SafeFileError
    > {
        let components = relative.split(separator: "/").filter { $0 != "." }
        guard !relative.hasPrefix("/"), !components.isEmpty, !components.contains("..") else {
            return .failure(SafeFileError("path '\(relative)' leaves the bundle"))
        }
        var directory = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return .failure(SafeFileError("the bundle directory cannot be opened")) }
        for (index, component) in components.enumerated() {
            let last = index == components.count - 1
            let flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY)
            let next = openat(directory, String(component), flags)
            var failure = errno
            if next < 0 {
                var status = stat()
                if fstatat(directory, String(component), &status, AT_SYMLINK_NOFOLLOW) == 0,
                    (status.st_mode & S_IFMT) == S_IFLNK
                {
                    failure = ELOOP
                }
            }
            close(directory)
            guard next >= 0 else {
                switch failure {
                case ELOOP: return .failure(SafeFileError("\(relative): '\(component)' is a symbolic link"))
                case ENOTDIR: return .failure(SafeFileError("\(relative): '\(component)' is not a directory"))
                case ENOENT: return .failure(SafeFileError("file \(relative) is missing"))
                default:
                    return .failure(
                        SafeFileError("\(relative) cannot be opened: \(String(cString: strerror(failure)))"))
                }
            }
            directory = next
        }
        var status = stat()
        guard fstat(directory, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(directory)
            return .failure(SafeFileError("\(relative) is not a regular file"))
        }
        return .success((directory, Int64(status.st_size)))
    }
}

struct SafeFileError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
