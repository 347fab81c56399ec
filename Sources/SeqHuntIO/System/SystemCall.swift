#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place SeqHuntIO calls the C library for file I/O.
///
/// Every call retries when a signal interrupts it (`EINTR`) and turns `errno` into a
/// ``SystemError``, so that no reader or writer handles either itself.
package enum SystemCall {
    /// Opens `path` with `flags` (and `mode` when creating).
    package static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(SystemError) -> Int32 {
        while true {
            let descriptor = Glibc.open(path, flags, mode)
            if descriptor >= 0 { return descriptor }
            if errno != EINTR { throw SystemError(errno: errno) }
        }
    }

    /// Reads up to `buffer.count` bytes; 0 at the end of the input.
    package static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int
    {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        while true {
            let count = Glibc.read(descriptor, base, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw SystemError(errno: errno) }
        }
    }

    /// Reads until `buffer` is full or the input ends; returns the bytes read.
    package static func readFully(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError)
        -> Int
    {
        var total = 0
        while total < buffer.count {
            let count = try read(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...]))
            if count == 0 { break }
            total += count
        }
        return total
    }

    /// Writes all of `bytes` (short writes are continued).
    package static func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let count = Glibc.write(descriptor, base + done, bytes.count - done)
            if count >= 0 {
                done += count
                continue
            }
            if errno != EINTR { throw SystemError(errno: errno) }
        }
    }

    /// The status of an open descriptor.
    package static func status(_ descriptor: Int32) throws(SystemError) -> stat {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SystemError(errno: errno) }
        return info
    }

    /// Closes a descriptor. (Linux releases it even when `close` reports an error, so
    /// it is never retried.)
    package static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }

    /// The status of the file `path` names (symbolic links followed).
    package static func status(path: String) throws(SystemError) -> stat {
        var info = stat()
        guard stat(path, &info) == 0 else { throw SystemError(errno: errno) }
        return info
    }

    /// Whether this process may do `mode` (`W_OK`, `X_OK`, ...) to `path`.
    package static func mayAccess(_ path: String, _ mode: Int32) -> Bool {
        access(path, mode) == 0
    }

    /// `path` with every symbolic link, `.` and `..` resolved, or nil when it names no file.
    package static func resolvedPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// This process's id (for temporary file names).
    package static var processID: Int32 { getpid() }

    /// Renames `from` onto `to`, atomically replacing it.
    package static func rename(_ from: String, _ to: String) throws(SystemError) {
        guard Glibc.rename(from, to) == 0 else { throw SystemError(errno: errno) }
    }

    /// Removes a file; a missing file is not an error.
    package static func unlink(_ path: String) {
        _ = Glibc.unlink(path)
    }
}
