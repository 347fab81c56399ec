#if canImport(Glibc)
import Glibc
#endif

/// Reads an input in large blocks cut at record boundaries, and cuts each block into
/// pieces that workers can parse independently.
///
/// For CSV a boundary is a line end outside quotes (quote parity is tracked across
/// blocks; a doubled quote toggles twice); for JSON Lines every line end is one.
/// Each piece carries the line number of its first byte, so errors still name the
/// right line.
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
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[0..<blockEnd]) }

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

    /// The next block of about `blockSize` bytes, cut into up to `pieces` pieces at
    /// record boundaries; `nil` at the end of the file.
    func next(blockSize: Int, pieces: Int) throws -> [Piece]? {
        // Carry the unfinished record of the last block to the front.
        if blockEnd > 0 {
            let carried = filled - blockEnd
            if carried > 0 { memmove(storage.baseAddress!, storage.baseAddress! + blockEnd, carried) }
            filled = carried
            blockEnd = 0
        }
        var scanned = 0
        var inQuote = false
        var boundaries: [(offset: Int, lines: Int)] = []   // just after a record-ending line feed
        var lines = 0
        while true {
            // Read up to the block size, or more while no record boundary was found. A read
            // returns what the source has (a pipe may give a little at a time): the loop reads
            // on until the block is full or the input ends, so no byte is ever taken for the end.
            let want = max(blockSize, filled + (1 << 20)) - filled
            if !atEOF && want > 0 {
                ensureCapacity(filled + want)
                var total = 0
                while total < want {
                    let n = try source.read(into: UnsafeMutableRawBufferPointer(start: storage.baseAddress! + filled + total, count: want - total))
                    if n == 0 { atEOF = true; break }
                    total += n
                }
                filled += total
            }
            // Track quote parity and line ends from where the last scan stopped.
            let base = storage.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var i = scanned
            while i < filled {
                let b = base[i]
                if b == 0x0A {
                    lines += 1
                    if !inQuote { boundaries.append((i + 1, lines)) }
                } else if b == 0x22 && quoteAware {
                    inQuote.toggle()
                }
                i += 1
            }
            scanned = filled
            if atEOF || !boundaries.isEmpty { break }
            if filled > Self.maximumRecordBytes {
                throw InputError(file: source.name, line: carryLine,
                                 cause: "a record longer than \(Self.maximumRecordBytes >> 20) MiB starts here"
                                     + (quoteAware && inQuote ? " (an unbalanced quote?)" : ""))
            }
        }
        guard filled > 0 else { return nil }
        let end = atEOF ? filled : boundaries.last!.offset
        let endLines = atEOF ? lines : boundaries.last!.lines
        blockEnd = end
        // Choose piece ends among the boundaries, about evenly spaced.
        var cuts: [(offset: Int, lines: Int)] = []
        let target = max(1, end / max(1, pieces))
        var nextTarget = target
        for boundary in boundaries where boundary.offset < end && boundary.offset >= nextTarget {
            cuts.append(boundary)
            nextTarget = boundary.offset + target
        }
        cuts.append((end, endLines))
        var result: [Piece] = []
        var start = 0, startLines = 0
        for cut in cuts where cut.offset > start {
            result.append(Piece(range: start..<cut.offset, firstLine: carryLine + startLines))
            start = cut.offset
            startLines = cut.lines
        }
        carryLine += endLines
        return result
    }

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

    /// How many bytes equal to `byte` are in `bytes[from..<to]`, eight at a time.
    static func count(of byte: UInt8, in bytes: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> Int {
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        var total = 0
        var i = from
        while i + 8 <= to {
            // Bytes equal to `byte` become zero; count the zero bytes of the word.
            let x = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ pattern
            let zero = ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x | 0x7F7F_7F7F_7F7F_7F7F)
            total += zero.nonzeroBitCount
            i += 8
        }
        while i < to {
            if bytes[i] == byte { total += 1 }
            i += 1
        }
        return total
    }
}
