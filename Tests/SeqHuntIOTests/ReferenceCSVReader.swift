@testable import SeqHuntIO

#if canImport(Glibc)
import Glibc
#endif

/// The byte-at-a-time RFC 4180 reader that SeqHunt used before the structural index
/// (`CSVRecordReader`, as of issue 12), kept here as the reference the index-based reader
/// must agree with: the same records, fields, errors and lines on any input.
struct ReferenceCSVReader {
    let bytes: [UInt8]
    let file: String
    private var position = 0
    private var line = 1
    private(set) var recordLine = 0

    init(_ bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// The next record, or nil at the end.
    mutating func next() throws -> [[UInt8]]? {
        let end = bytes.count
        var p = position
        var lines = line
        while p < end && (bytes[p] == 0x0A || bytes[p] == 0x0D) {
            if bytes[p] == 0x0A { lines += 1 }
            p += 1
        }
        if p >= end {
            position = p
            line = lines
            return nil
        }
        let firstLine = lines
        var fields: [[UInt8]] = []
        while true {
            var field: [UInt8] = []
            if bytes[p] == UInt8(ascii: "\"") {
                let openLine = lines
                p += 1
                var closed = false
                while p < end {
                    let b = bytes[p]
                    if b == UInt8(ascii: "\"") {
                        if p + 1 < end && bytes[p + 1] == UInt8(ascii: "\"") {
                            field.append(b)
                            p += 2
                            continue
                        }
                        p += 1
                        closed = true
                        break
                    }
                    if b == 0x0A { lines += 1 }
                    field.append(b)
                    p += 1
                }
                if !closed {
                    throw InputError(
                        file: file, line: openLine, cause: "unbalanced quote: a quoted field opened here never closes")
                }
                if p < end, !(bytes[p] == UInt8(ascii: ",") || bytes[p] == 0x0A || bytes[p] == 0x0D) {
                    throw InputError(file: file, line: lines, cause: "unexpected character after a closing quote")
                }
            } else {
                while p < end {
                    let b = bytes[p]
                    if b == UInt8(ascii: ",") || b == 0x0A || b == 0x0D { break }
                    if b == UInt8(ascii: "\"") {
                        throw InputError(file: file, line: lines, cause: "quote inside an unquoted field")
                    }
                    field.append(b)
                    p += 1
                }
            }
            fields.append(field)
            if p >= end { break }
            let b = bytes[p]
            p += 1
            if b == UInt8(ascii: ",") {
                if p >= end {
                    fields.append([])
                    break
                }
                continue
            }
            if b == 0x0D, p < end, bytes[p] == 0x0A { p += 1 }
            lines += 1
            break
        }
        position = p
        line = lines
        recordLine = firstLine
        return fields
    }
}
