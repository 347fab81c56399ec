#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call: its `errno`, and the cause in words for a one-line message.
package struct SystemError: Error, Equatable, CustomStringConvertible {
    package var errno: Int32

    package init(errno: Int32) { self.errno = errno }

    /// The cause as a message says it ("no such file", "permission denied", ...).
    package var description: String {
        switch errno {
        case ENOENT: return "no such file"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "is a directory"
        case ENOTDIR: return "a part of the path is not a directory"
        case ENOSPC: return "no space left on the device"
        case EDQUOT: return "disk quota exceeded"
        case EROFS: return "read-only file system"
        case EIO: return "input/output error"
        case EPIPE: return "the reader went away (broken pipe)"
        case ENAMETOOLONG: return "the name is too long"
        case ELOOP: return "too many levels of symbolic links"
        default: return String(cString: strerror(errno))
        }
    }
}
