#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads, for the small inputs that are read at once (allow-lists).
package enum FileBytes {
    /// The bytes of the file at `path` (`-`: standard input).
    /// - Throws: `InputError` when the file is longer than `limit` bytes.
    package static func read(_ path: String, limit: Int = 256 << 20) throws -> [UInt8] {
        let source = try ByteSource(path: path)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(source.size + 1)
        var chunk = max(1 << 16, source.size + 1)
        while true {
            let before = bytes.count
            var got = 0
            bytes.append(contentsOf: repeatElement(0, count: chunk))
            try bytes.withUnsafeMutableBytes { buffer in
                got = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[before...]))
            }
            bytes.removeLast(chunk - got)
            if got == 0 { return bytes }
            if bytes.count > limit {
                throw InputError(file: source.name, line: 0, cause: "longer than \(limit >> 20) MiB")
            }
            chunk = 1 << 20
        }
    }
}
