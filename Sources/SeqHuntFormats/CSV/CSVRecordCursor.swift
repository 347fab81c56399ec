#if canImport(Glibc)
import Glibc
#endif

/// The one CSV reader: walks the records of a ``CSVIndex`` from one record start,
/// touching only the structural positions. A field's bytes are looked at only when it
/// is asked for (``withField(_:_:)``): fields a run does not use cost one index entry each.
///
/// RFC 4180: quoted fields may span lines and hold doubled quotes; CRLF, LF or CR ends a
/// record; blank lines are skipped. Errors name the line (counted by line feeds, lazily:
/// only when a message or the caller needs one).
package final class CSVRecordCursor {
    let index: CSVIndex
    let file: String
    /// Records that start before `end` are read (the last may run past it).
    private let end: Int
    private var position: Int
    /// Where the walk over the index entries is.
    private var walk: EntryWalk
    /// The current record: its start, and the offset of the comma or line end after each field.
    private(set) var recordStart = 0
    private var bounds: [Int] = []
    /// Fields whose doubled quotes were collapsed in this record: (field, new end).
    private var collapsed: [(field: Int, end: Int)] = []
    private var scratch: [UInt8] = []
    /// A known line: the line of byte `offset` (lines are counted forward from it).
    private var known: (offset: Int, line: Int)
    private var cachedLine: (record: Int, line: Int) = (-1, 0)
    /// The first misplaced quote at or after the start, in the chunks ahead (`Int.max`: none).
    /// A later one is never needed: reading stops at this one.
    private let nextBad: (offset: Int, kind: UInt32)

    /// A cursor over the records of `index` that start in `start..<end`; `start` must be a
    /// record start on line `firstLine`.
    package init(index: CSVIndex, from start: Int, to end: Int, firstLine: Int, file: String) {
        self.index = index
        self.file = file
        self.end = end
        position = start
        known = (start, firstLine)
        let (k, e) = start < index.dataEnd ? index.position(of: start) : (index.chunks.count, 0)
        walk = EntryWalk(index: index, chunk: k, entry: e)
        nextBad =
            index.chunks[min(k, index.chunks.count)...].lazy.map(\.bad).first {
                $0.offset != .max && $0.offset >= start
            } ?? (.max, 0)
    }

    /// Where the record after the current one starts (or blank lines before it).
    package var nextRecordStart: Int { position }

    /// The number of fields of the current record.
    package var fieldCount: Int { bounds.count }

    /// The line on which the current record starts.
    package var recordLine: Int {
        if cachedLine.record != recordStart {
            cachedLine = (recordStart, line(of: recordStart))
        }
        return cachedLine.line
    }

    /// The line of byte `offset`: counted on from the last line asked for (so lines cost one
    /// pass over the bytes however many are asked), or from its chunk's start when before it.
    private func line(of offset: Int) -> Int {
        guard offset >= known.offset else { return index.line(of: offset) }
        let line = index.line(of: offset, from: known)
        known = (offset, line)
        return line
    }

    /// Advances to the next record; false when no record starts before the end.
    /// - Throws: ``InputError`` for a misplaced quote or a quoted field that never closes.
    package func next() throws -> Bool {
        let bytes = index.bytes
        // The walk and the bounds are worked on as locals: a class's stored properties would
        // be checked for exclusive access at every entry.
        var walk = self.walk, bounds = self.bounds
        self.bounds = []
        defer {
            self.walk = walk
            self.bounds = bounds
        }
        while position < end && position < index.dataEnd {
            let start = position
            bounds.removeAll(keepingCapacity: true)
            var terminator = index.dataEnd
            var terminated = false
            while let at = walk.next() {
                if at < start { continue }
                if bytes[at] == UInt8(ascii: ",") {
                    bounds.append(at)
                    continue
                }
                terminator = at
                terminated = true
                break
            }
            if terminated && bounds.isEmpty && terminator == start {
                position = start + 1  // a blank line (or the line feed of a CRLF)
                continue
            }
            if nextBad.offset <= terminator {
                let line = self.line(of: nextBad.offset)
                throw InputError(
                    file: file, line: line,
                    cause: nextBad.kind == 1
                        ? "quote inside an unquoted field" : "unexpected character after a closing quote")
            }
            if !terminated && index.endsQuoted && index.atEOF {
                throw InputError(
                    file: file, line: line(of: lastFieldOpen(before: terminator)),
                    cause: "unbalanced quote: a quoted field opened here never closes")
            }
            bounds.append(terminator)
            if !collapsed.isEmpty { collapsed.removeAll(keepingCapacity: true) }
            recordStart = start
            // An unterminated record ends the data: the next record would start there, not past it.
            position = terminated ? terminator + 1 : terminator
            if terminated && bytes[terminator] == 0x0D && position < index.dataEnd && bytes[position] == 0x0A {
                position += 1
            }
            return true
        }
        return false
    }

    /// The last quote before `offset` that opened a field.
    private func lastFieldOpen(before offset: Int) -> Int {
        for chunk in index.chunks.reversed() where chunk.range.lowerBound < offset {
            let open = chunk.lastFieldOpen
            if open != .max && open < offset { return open }
        }
        return recordStart
    }

    /// The raw bytes of field `i` (with its quotes).
    @inline(__always) func rawRange(_ i: Int) -> Range<Int> {
        (i == 0 ? recordStart : bounds[i - 1] + 1)..<bounds[i]
    }

    /// Calls `body` with the text of field `i`: without its quotes, doubled quotes collapsed
    /// (in place when the block is the reader's own, else in a scratch buffer).
    package func withField<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let bytes = index.bytes
        let raw = rawRange(i)
        guard raw.count >= 2 && bytes[raw.lowerBound] == UInt8(ascii: "\"") else {
            return try body(UnsafeRawBufferPointer(rebasing: bytes[raw]))
        }
        let start = raw.lowerBound + 1
        var end = raw.upperBound - 1
        if let done = collapsed.first(where: { $0.field == i }) {
            return try body(UnsafeRawBufferPointer(rebasing: bytes[start..<done.end]))
        }
        let base = bytes.baseAddress!
        guard let first = memchr(base + start, 0x22, end - start) else {
            return try body(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
        }
        let quote = base.distance(to: first)
        guard index.writable else {
            scratch.removeAll(keepingCapacity: true)
            forEachRunOfCollapsed(start, end, firstQuote: quote) { run in
                scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[run]))
            }
            return try scratch.withUnsafeBytes { try body($0) }
        }
        // In place: every doubled quote shrinks the field by one byte, each run moved down with
        // memmove. Safe: the block is this reader's own buffer, and the field belongs to this
        // record only, which one worker reads.
        var write = start
        forEachRunOfCollapsed(start, end, firstQuote: quote) { run in
            memmove(base + write, base + run.lowerBound, run.count)
            write += run.count
        }
        // The bytes freed at the end become quotes, so that the field keeps its line feeds
        // and no others: lines are counted from these bytes later.
        memset(base + write, 0x22, end - write)
        end = write
        collapsed.append((i, end))
        return try body(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
    }

    /// Calls `body` with the runs of `start..<end` that the field's text is made of once its
    /// doubled quotes are collapsed: each run keeps the first quote of its pair and the next
    /// starts after the second. `firstQuote` is the first quote in the range.
    private func forEachRunOfCollapsed(_ start: Int, _ end: Int, firstQuote: Int, _ body: (Range<Int>) -> Void) {
        let base = index.bytes.baseAddress!
        var runStart = start, quote = firstQuote
        while true {
            body(runStart..<(quote + 1))
            runStart = quote + 2
            guard runStart < end, let found = memchr(base + runStart, 0x22, end - runStart) else { break }
            quote = base.distance(to: found)
        }
        if runStart < end { body(runStart..<end) }
    }

    /// The text of field `i` where it lies in a block the reader owns (doubled quotes
    /// collapsed in place): valid until the block is refilled, whatever the next record.
    package func fieldInBlock(_ i: Int) -> UnsafeRawBufferPointer {
        assert(index.writable, "borrowed bytes: a collapsed field would live in the scratch buffer")
        return withField(i) { $0 }
    }

    /// The fields of the current record as text.
    /// - Throws: ``InputError`` for a field that is not UTF-8.
    package func strings() throws -> [String] {
        try (0..<fieldCount).map { i in
            try withField(i) { bytes in
                guard UTF8Validation.isValidFast(bytes) else {
                    throw InputError(
                        file: file, line: recordLine, column: i + 1, cause: "invalid UTF-8 in field \(i + 1)")
                }
                return String(decoding: bytes, as: UTF8.self)
            }
        }
    }
}
