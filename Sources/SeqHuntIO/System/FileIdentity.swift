#if canImport(Glibc)
import Glibc
#endif

/// What a path names, as the kernel resolves it (symbolic links and `..` followed in
/// that order): a file by its device and inode, or, for a file that does not exist yet,
/// the directory it would be made in and its name. Two paths name the same file exactly
/// when their identities are equal, whatever their text.
package struct FileIdentity: Hashable, Sendable {
    /// What kind of node an existing path names.
    package enum Kind: Sendable, Equatable {
        case regular, directory, characterDevice, blockDevice, fifo, socket, other
    }

    private let device: UInt64
    private let inode: UInt64
    /// For a file that does not exist: its name in the directory `device`/`inode`.
    private let name: String?
    /// nil for a file that does not exist.
    package let kind: Kind?

    /// The identity of `path`; nil when neither it nor its directory exists.
    package init?(path: String) {
        if let info = try? SystemCall.status(path: path) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            name = nil
            kind = Self.kind(of: info.st_mode)
            return
        }
        let (directory, base) = Self.split(path)
        guard !base.isEmpty, let info = try? SystemCall.status(path: directory),
            Self.kind(of: info.st_mode) == .directory
        else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        name = base
        kind = nil
    }

    /// Whether the path names an existing file.
    package var exists: Bool { kind != nil }

    /// The directory part (`.` when there is none) and the last component of `path`.
    package static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    private static func kind(of mode: mode_t) -> Kind {
        switch mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        default: return .other
        }
    }
}
