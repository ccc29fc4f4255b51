import Foundation

/// Opening files that an input names without following a symbolic link that the input could have
/// planted: each component below the root is opened with `O_NOFOLLOW` from its parent's descriptor,
/// `..` is refused, and only a regular file is read (a FIFO, a device such as `/dev/zero`, a
/// directory or a link is refused before a byte is read, so nothing can hang or flood the reader).
enum SafeFile {
    /// Whether anything is at `path`, a link included even when it leads nowhere (which
    /// `FileManager.fileExists`, following it, calls absent).
    static func isPresent(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// Opens an input file — a bundle's data file, `objections.csv`, a bank answer — for reading:
    /// the file itself must not be a symbolic link (`O_NOFOLLOW`) and must be a regular file, so a
    /// link planted in the inbox cannot make the job read a file outside it (and publish its lines
    /// in the quarantine), and a FIFO or a device cannot hang it or flood it. It is opened without
    /// blocking (a FIFO would wait for a writer), checked, then read normally. The directories
    /// above it are the operator's and may be links. The error's text follows the path.
    static func openInput(_ path: String) -> Result<FileHandle, SafeFileError> {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let failure = errno
            var status = stat()
            if lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK {
                return .failure(SafeFileError("is a symbolic link; inputs are read only from regular files"))
            }
            return .failure(SafeFileError("cannot be read: \(String(cString: strerror(failure)))"))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            return .failure(SafeFileError("is not a regular file (a FIFO, a device or a directory is never read)"))
        }
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) == 0 else {
            close(descriptor)
            return .failure(SafeFileError("cannot be read: \(String(cString: strerror(errno)))"))
        }
        return .success(FileHandle(fileDescriptor: descriptor, closeOnDealloc: true))
    }

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
