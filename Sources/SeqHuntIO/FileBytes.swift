#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads, for the inputs that are small and read at once (model files).
public enum FileBytes {
    /// The bytes of the file at `path` (`-`: standard input).
    public static func read(_ path: String) throws -> [UInt8] {
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
            chunk = 1 << 20
        }
    }
}
