#if canImport(Glibc)
import Glibc
#endif

/// The one loop over JSON Lines text: every reader of JSON Lines (events, sessions,
/// scores) walks its bytes through ``forEachLine(in:firstLine:_:)``.
package enum JSONLines {
    /// Calls `body(line, number)` for each line of `bytes` that is not blank, numbering
    /// lines from `firstLine`. A UTF-8 byte-order mark at the start of line 1 is skipped.
    package static func forEachLine(
        in bytes: UnsafeRawBufferPointer, firstLine: Int,
        _ body: (UnsafeRawBufferPointer, Int) throws -> Void
    ) rethrows {
        guard let base = bytes.baseAddress else { return }
        var start = 0
        if firstLine == 1 && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        var number = firstLine
        while start < bytes.count {
            let end =
                memchr(base + start, 0x0A, bytes.count - start).map { base.distance(to: UnsafeRawPointer($0)) }
                ?? bytes.count
            let line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            if line.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D) }) { try body(line, number) }
            number += 1
            start = end + 1
        }
    }
}
