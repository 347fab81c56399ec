import CStructural

#if canImport(Glibc)
import Glibc
#endif

/// Reads an input in large blocks cut at record boundaries, and cuts each block into
/// pieces that workers can parse independently.
///
/// For CSV a boundary is a line feed outside quotes (``CSVIndex`` finds them on every
/// core); for JSON Lines every line feed is one. Each piece carries the line number of its
/// first byte, so errors still name the right line.
final class RecordBlocks {
    /// A piece of the current block: `range` in ``bytes``, starting on line `firstLine`.
    struct Piece: Sendable {
        var range: Range<Int>
        var firstLine: Int
    }

    let source: ByteSource
    let quoteAware: Bool
    /// The block buffer, reused: `[0, filled)` holds data, `[blockEnd, filled)` is carried over.
    private var storage: UnsafeMutableRawBufferPointer
    private var filled = 0
    private var blockEnd = 0
    private var carryLine = 1
    private var atEOF = false

    init(source: ByteSource, quoteAware: Bool) {
        self.source = source
        self.quoteAware = quoteAware
        storage = .allocate(byteCount: 1 << 16, alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    /// The bytes of the current block (valid until the next call of ``next(blockSize:pieces:)``).
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[0..<blockEnd])
    }

    /// The longest record accepted, in bytes. A record (a line, or a CSV record with
    /// quoted line breaks) longer than this is an error rather than an unbounded
    /// buffer: it is almost always an unbalanced quote, or not a log at all.
    static let maximumRecordBytes = 256 << 20

    private func ensureCapacity(_ capacity: Int) {
        guard capacity > storage.count else { return }
        // Geometric growth: a long record costs linear time, not a copy per megabyte.
        let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: max(capacity, 2 * storage.count), alignment: 16)
        if filled > 0 { bigger.baseAddress!.copyMemory(from: storage.baseAddress!, byteCount: filled) }
        storage.deallocate()
        storage = bigger
    }

    /// The structural index of the current block (CSV only).
    let csvIndex = CSVIndex()
    private var startedFile = false

    /// The next block of about `blockSize` bytes, cut into up to `pieces` pieces at
    /// record boundaries; `nil` at the end of the file.
    ///
    /// CSV blocks are indexed first (``CSVIndex``, on every core): a record boundary is a
    /// line feed outside quotes, and the pieces start where the index says records do. For
    /// JSON Lines every line feed is a boundary, found with `memchr` near each cut.
    func next(blockSize: Int, pieces: Int) throws -> [Piece]? {
        // Carry the unfinished record of the last block to the front.
        if blockEnd > 0 {
            let carried = filled - blockEnd
            if carried > 0 { memmove(storage.baseAddress!, storage.baseAddress! + blockEnd, carried) }
            filled = carried
            blockEnd = 0
        }
        var end: Int? = nil
        var want = max(0, blockSize - filled)
        while true {
            // Read up to the block size. A read returns what the source has (a pipe may give a
            // little at a time): the loop reads on until the block is full or the input ends,
            // so no byte is ever taken for the end.
            if !atEOF && want > 0 {
                ensureCapacity(filled + want)
                var total = 0
                while total < want {
                    let n = try source.read(
                        into: UnsafeMutableRawBufferPointer(
                            start: storage.baseAddress! + filled + total, count: want - total))
                    if n == 0 {
                        atEOF = true
                        break
                    }
                    total += n
                }
                filled += total
            }
            guard filled > 0 else { return nil }
            let block = UnsafeMutableRawBufferPointer(rebasing: storage[0..<filled])
            if quoteAware {
                csvIndex.build(block, writable: true, atEOF: atEOF, firstLine: carryLine, chunkCount: pieces)
                end = atEOF ? filled : csvIndex.lastRecordEnd()
            } else {
                end = atEOF ? filled : Self.lastLineFeed(in: UnsafeRawBufferPointer(block)).map { $0 + 1 }
            }
            if end != nil { break }
            if filled > Self.maximumRecordBytes {
                throw InputError(
                    file: source.name, line: carryLine,
                    cause: "a record longer than \(Self.maximumRecordBytes >> 20) MiB starts here"
                        + (quoteAware && csvIndex.endsQuoted ? " (an unbalanced quote?)" : ""))
            }
            // No record ends in the block yet: read as much again (indexing again costs linear
            // time overall), but no more than one byte past the longest record accepted.
            want = min(max(blockSize, filled), Self.maximumRecordBytes + 1 - filled)
        }
        let blockEnd = end!
        self.blockEnd = blockEnd
        var first = 0
        if !startedFile {
            startedFile = true
            // A UTF-8 byte order mark before the first record is not part of it.
            if quoteAware && blockEnd >= 3 && storage[0] == 0xEF && storage[1] == 0xBB && storage[2] == 0xBF {
                first = 3
            }
        }
        var result: [Piece] = []
        if quoteAware {
            var starts = [first]
            for chunk in csvIndex.chunks.dropFirst() {
                if let start = csvIndex.recordStart(atOrAfter: chunk.range.lowerBound), start < blockEnd,
                    start > starts.last!
                {
                    starts.append(start)
                }
            }
            for (i, start) in starts.enumerated() {
                result.append(
                    Piece(
                        range: start..<(i + 1 < starts.count ? starts[i + 1] : blockEnd),
                        firstLine: csvIndex.line(of: start)))
            }
            carryLine = csvIndex.line(of: blockEnd)
        } else {
            // Cuts about evenly spaced, each just after a line feed.
            let bytes = self.bytes
            let base = bytes.baseAddress!
            let target = max(1, blockEnd / max(1, pieces))
            var start = 0, line = carryLine
            while start < blockEnd {
                var cut = blockEnd
                if start + target < blockEnd, let found = memchr(base + start + target, 0x0A, blockEnd - start - target)
                {
                    cut = min(blockEnd, base.distance(to: UnsafeRawPointer(found)) + 1)
                }
                result.append(Piece(range: start..<cut, firstLine: line))
                line += Self.count(of: 0x0A, in: bytes, start, cut)
                start = cut
            }
            carryLine = line
        }
        return result
    }

    /// The offset of the last line feed in `bytes`, or nil.
    static func lastLineFeed(in bytes: UnsafeRawBufferPointer) -> Int? {
        var i = bytes.count
        while i > 0 {
            i -= 1
            if bytes[i] == 0x0A { return i }
        }
        return nil
    }

    /// A cursor over the CSV records of `piece` of the current block.
    func records(of piece: Piece) -> CSVRecordCursor { csvIndex.records(of: piece, file: source.name) }

    /// The end (just after its line feed) of the first record of `bytes`, or nil when no
    /// record ends in them. For CSV a line feed inside quotes does not end a record.
    /// Line feeds are found with `memchr` and the quotes before each counted a word at a
    /// time, so a header of hundreds of megabytes is looked through at memory speed.
    static func firstRecordEnd(in bytes: UnsafeRawBufferPointer, quoteAware: Bool) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var start = 0
        var quotes = 0
        while start < bytes.count, let found = memchr(base + start, 0x0A, bytes.count - start) {
            let newline = base.distance(to: UnsafeRawPointer(found))
            if quoteAware { quotes += count(of: 0x22, in: bytes, start, newline) }
            if quotes & 1 == 0 { return newline + 1 }
            start = newline + 1
        }
        return nil
    }

    /// How many bytes equal to `byte` are in `bytes[from..<to]` (32 or 16 at a time where the CPU allows).
    static func count(of byte: UInt8, in bytes: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> Int {
        guard to > from, let base = bytes.baseAddress else { return 0 }
        return seqhunt_count_byte(base.assumingMemoryBound(to: UInt8.self) + from, to - from, byte)
    }
}
