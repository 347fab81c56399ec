#if canImport(Glibc)
import Glibc
#endif

/// A streaming RFC 4180 reader that yields each record as byte spans into a
/// ``ByteStream``'s buffer: no `String` per field, memory bounded by the longest record.
///
/// Quoted fields may span lines and hold doubled quotes; CRLF or LF ends a record;
/// a leading UTF-8 BOM is skipped; blank lines are skipped.
final class CSVRecordReader {
    /// One field of the current record: `start..<end` in ``bytes``, without the
    /// surrounding quotes; `escapedQuotes` when doubled quotes must be collapsed.
    struct Field {
        var start: Int
        var end: Int
        var escapedQuotes: Bool
    }

    let stream: ByteStream
    /// The current record's fields (valid until the next call of ``next()``).
    private(set) var fields: [Field] = []
    /// The line after the current record.
    var nextLine: Int { line }
    /// The line on which the current record starts (1-based).
    private(set) var recordLine = 0
    private var line = 1
    private var startedFile = false

    /// A reader from the start of `stream`, whose first byte is on line `firstLine`.
    /// A leading BOM is skipped only on line 1.
    init(stream: ByteStream, firstLine: Int = 1) {
        self.stream = stream
        line = firstLine
        startedFile = firstLine > 1
    }

    var file: String { stream.path }
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(stream.buffer) }

    /// The bytes of field `index` of the current record, with doubled quotes collapsed
    /// (into `scratch`, which is reused) when needed.
    func withField<R>(_ index: Int, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let field = fields[index]
        let raw = UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end])
        guard field.escapedQuotes else { return try body(raw) }
        scratch.removeAll(keepingCapacity: true)
        collapseQuotes(field, into: &scratch)
        return try scratch.withUnsafeBytes { try body($0) }
    }

    /// The number of line feeds in `bytes[from..<to]`, eight bytes at a time.
    static func lineFeeds(in bytes: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> Int {
        RecordBlocks.count(of: 0x0A, in: bytes, from, to)
    }

    /// Appends field `field`'s bytes with doubled quotes collapsed.
    func collapseQuotes(_ field: Field, into out: inout [UInt8]) {
        let base = bytes.baseAddress!
        var p = field.start
        while p < field.end {
            guard let q = memchr(base + p, 0x22, field.end - p) else {
                out.append(contentsOf: UnsafeRawBufferPointer(start: base + p, count: field.end - p))
                return
            }
            let at = base.distance(to: UnsafeRawPointer(q))
            out.append(contentsOf: UnsafeRawBufferPointer(start: base + p, count: at + 1 - p))   // keep one quote
            p = at + 2                                                                            // skip its double
        }
    }

    /// The next record's fields as text (the `String` adapter over ``next()``), or nil at
    /// the end of the input.
    /// - Throws: ``InputError`` for malformed CSV, or a field that is not UTF-8.
    func nextStrings() throws -> [String]? {
        guard try next() else { return nil }
        var scratch: [UInt8] = []
        return try fields.indices.map { index in
            try withField(index, scratch: &scratch) { bytes in
                guard UTF8Validation.isValidFast(bytes) else {
                    throw InputError(file: file, line: recordLine, column: index + 1, cause: "invalid UTF-8 in field \(index + 1)")
                }
                return String(decoding: bytes, as: UTF8.self)
            }
        }
    }

    /// Advances to the next record; `false` at the end of the input.
    func next() throws -> Bool {
        while true {
            switch try scanRecord() {
            case .record: return true
            case .end: return false
            case .needMore:
                let (more, _) = try stream.refill()
                if !more && stream.start == stream.end { return false }
                if !more {
                    // The last record has no line end: scan it as final.
                    if case .record = try scanRecord(final: true) { return true }
                    return false
                }
            }
        }
    }

    enum ScanResult { case record, end, needMore }

    /// Scans one record from `stream.start`. Without `final`, a record that reaches
    /// the end of the buffered bytes is not returned (more bytes may follow).
    private func scanRecord(final: Bool = false) throws -> ScanResult {
        let buffer = bytes
        var p = stream.start
        let end = stream.end
        var lines = line
        if !startedFile {
            if end - p < 3 && !final && !stream.atEOF { return .needMore }
            if end - p >= 3 && buffer[p] == 0xEF && buffer[p + 1] == 0xBB && buffer[p + 2] == 0xBF { p += 3 }
        }
        // Skip blank lines.
        while p < end && (buffer[p] == 0x0A || buffer[p] == 0x0D) {
            if buffer[p] == 0x0A { lines += 1 }
            p += 1
        }
        if p >= end { 
            if final || stream.atEOF { stream.consume(upTo: p); line = lines; return .end }
            return .needMore
        }
        let firstLine = lines
        fields.removeAll(keepingCapacity: true)
        while true {
            var field = Field(start: p, end: p, escapedQuotes: false)
            if buffer[p] == UInt8(ascii: "\"") {
                let openLine = lines
                p += 1
                field.start = p
                var closed = false
                let base = buffer.baseAddress!
                while p < end {
                    // Jump to the next quote (memchr), counting the line feeds passed over.
                    let quote = memchr(base + p, 0x22, end - p).map { base.distance(to: UnsafeRawPointer($0)) } ?? end
                    lines += Self.lineFeeds(in: buffer, p, quote)
                    p = quote
                    guard p < end else { break }
                    let b = buffer[p]
                    if b == UInt8(ascii: "\"") {
                        if p + 1 < end && buffer[p + 1] == UInt8(ascii: "\"") {
                            field.escapedQuotes = true
                            p += 2
                            continue
                        }
                        if p + 1 >= end && !final && !stream.atEOF { return .needMore }
                        field.end = p
                        p += 1
                        closed = true
                        break
                    }
                    if b == 0x0A { lines += 1 }
                    p += 1
                }
                if !closed {
                    if !final && !stream.atEOF { return .needMore }
                    throw InputError(file: file, line: openLine, cause: "unbalanced quote: a quoted field opened here never closes")
                }
                if p < end, !(buffer[p] == UInt8(ascii: ",") || buffer[p] == 0x0A || buffer[p] == 0x0D) {
                    throw InputError(file: file, line: lines, cause: "unexpected character after a closing quote")
                }
            } else {
                while p < end {
                    let b = buffer[p]
                    if b == UInt8(ascii: ",") || b == 0x0A || b == 0x0D { break }
                    if b == UInt8(ascii: "\"") {
                        throw InputError(file: file, line: lines, cause: "quote inside an unquoted field")
                    }
                    p += 1
                }
                field.end = p
            }
            fields.append(field)
            if p >= end {
                if !final && !stream.atEOF { return .needMore }
                stream.consume(upTo: p)
                break
            }
            let b = buffer[p]
            p += 1
            if b == UInt8(ascii: ",") {
                if p >= end && !final && !stream.atEOF { return .needMore }
                if p >= end { fields.append(Field(start: p, end: p, escapedQuotes: false)); stream.consume(upTo: p); break }
                continue
            }
            if b == 0x0D {
                if p >= end && !final && !stream.atEOF { return .needMore }
                if p < end && buffer[p] == 0x0A { p += 1 }
            }
            lines += 1
            stream.consume(upTo: p)
            break
        }
        startedFile = true
        recordLine = firstLine
        line = lines
        return .record
    }
}
