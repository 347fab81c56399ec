import CStructural
import SeqHunt

/// The structural index of a block of CSV: the offset of every comma, carriage return and
/// line feed that lies outside quotes, found 64 bytes at a time (see `StructuralScan.h`).
///
/// The block is cut into chunks at arbitrary bytes and every chunk is indexed on its own
/// core at once, without knowing whether it starts inside quotes: each entry carries a bit
/// that says whether it is quoted for a start outside quotes, so one pass serves both
/// starting states. Once every chunk's quote parity is known the real state of each is
/// settled in one step per chunk, and a reader takes an entry as structural when its bit
/// agrees with its chunk's state (the speculative split of the parallel CSV literature, with
/// no serial pass over the bytes).
///
/// The index also records, per chunk and starting state, the first quote that breaks
/// RFC 4180 and the last quote that opens a field, so that a ``CSVRecordCursor`` reports
/// the same errors, on the same lines, as a byte-by-byte reader would.
///
/// (Unchecked `Sendable`: ``build(_:writable:atEOF:firstLine:chunkCount:)`` runs on one thread,
/// and the workers that read records afterwards only read the index; each writes bytes only
/// inside its own records' fields.)
package final class CSVIndex: @unchecked Sendable {
    /// Where a chunk's entries are written: kept from block to block, grown when short.
    /// (Unchecked `Sendable`: a worker writes only the storage of the chunk it indexes.)
    struct EntryStorage: @unchecked Sendable {
        var pointer: UnsafeMutablePointer<UInt32>
        var capacity: Int
    }

    /// One stretch of the block, indexed by one worker. (Unchecked `Sendable`: its entries
    /// are written only by the worker that indexes it, and only read once all are done.)
    package struct Chunk: @unchecked Sendable {
        package var range: Range<Int>
        var entries: UnsafeMutablePointer<UInt32>
        var count = 0
        var quoteParity = false
        var lineFeeds = 0
        /// Per starting state: the first misplaced quote's offset (`Int.max`: none) and kind.
        var firstBad: (outside: Int, inside: Int) = (.max, .max)
        var badKind: (outside: UInt32, inside: UInt32) = (0, 0)
        /// Per starting state: the last quote that opens a field (`Int.max`: none).
        var lastOpen: (outside: Int, inside: Int) = (.max, .max)
        /// Settled once every chunk is indexed.
        var startsQuoted = false
        var firstLine = 1

        /// The entry bit of a structural byte in this chunk.
        var structuralBit: UInt32 { startsQuoted ? CSVIndex.quotedBit : 0 }
        var bad: (offset: Int, kind: UInt32) {
            startsQuoted ? (firstBad.inside, badKind.inside) : (firstBad.outside, badKind.outside)
        }
        var lastFieldOpen: Int { startsQuoted ? lastOpen.inside : lastOpen.outside }
    }

    static let quotedBit: UInt32 = SEQHUNT_CSV_QUOTED_BIT
    static let offsetMask: UInt32 = ~SEQHUNT_CSV_QUOTED_BIT

    /// The indexed bytes: `bytes[0..<dataEnd]`.
    private(set) var bytes = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    /// Whether the bytes may be rewritten in place (doubled quotes collapsed): true for a
    /// block buffer the reader owns, false for borrowed bytes.
    private(set) var writable = false
    package private(set) var chunks: [Chunk] = []
    /// Whether the data ends inside quotes.
    package private(set) var endsQuoted = false
    /// The end of the bytes that records may use.
    private(set) var dataEnd = 0
    private(set) var atEOF = false
    /// Entry storage per chunk, kept from block to block.
    private var storage: [EntryStorage] = []

    package init() {}

    /// The index of bytes in memory that end the input, read where they are, never written.
    package convenience init(borrowing bytes: UnsafeRawBufferPointer) {
        self.init()
        // Not written through: `writable` is false, so fields are collapsed in a scratch buffer.
        build(UnsafeMutableRawBufferPointer(mutating: bytes), writable: false, atEOF: true, firstLine: 1, chunkCount: 1)
    }

    deinit {
        for slot in storage { slot.pointer.deallocate() }
    }

    /// Chunks are at least this long: smaller ones cost more to settle than they save. (The
    /// tests lower it to put chunk edges everywhere.)
    var minimumChunkBytes = 1 << 16

    /// Indexes `bytes` in `chunkCount` chunks (in parallel when more than one), the first
    /// starting on line `firstLine` outside quotes. `atEOF`: nothing follows the bytes.
    package func build(
        _ bytes: UnsafeMutableRawBufferPointer, writable: Bool, atEOF: Bool, firstLine: Int, chunkCount: Int
    ) {
        self.bytes = bytes
        self.writable = writable
        self.atEOF = atEOF
        dataEnd = bytes.count
        let count = max(1, min(chunkCount, bytes.count / max(1, minimumChunkBytes)))
        while storage.count < count {
            storage.append(EntryStorage(pointer: .allocate(capacity: 4096), capacity: 4096))
        }
        let planned = (0..<count).map { k in
            let lower = bytes.count * k / count, upper = bytes.count * (k + 1) / count
            return (Chunk(range: lower..<upper, entries: storage[k].pointer), storage[k])
        }
        let results = ParallelSlots<(Chunk, EntryStorage)>(count: count)
        let shared = SharedBytes(UnsafeRawBufferPointer(bytes))
        Parallel.run(chunks: count) { k in
            results.set(k, Self.index(planned[k].0, slot: planned[k].1, in: shared.bytes))
        }
        chunks = []
        for k in 0..<count {
            let (chunk, slot) = results.take(k)
            chunks.append(chunk)
            storage[k] = slot
        }
        // Settle each chunk's starting state and first line, in order.
        var quoted = false, line = firstLine
        for k in chunks.indices {
            chunks[k].startsQuoted = quoted
            chunks[k].firstLine = line
            quoted = quoted != chunks[k].quoteParity
            line += chunks[k].lineFeeds
        }
        endsQuoted = quoted
    }

    /// Indexes one chunk of `bytes` into `slot` (grown when it is too small), on the calling worker.
    private static func index(
        _ chunk: Chunk, slot: EntryStorage,
        in bytes: UnsafeRawBufferPointer
    ) -> (Chunk, EntryStorage) {
        var chunk = chunk, slot = slot
        let range = chunk.range
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var done = range.lowerBound, written = 0, quoted: UInt32 = 0
        var lineFeeds = 0
        var firstBad: [Int] = [.max, .max], badKind: [UInt32] = [0, 0], lastOpen: [Int] = [.max, .max]
        repeat {
            if slot.capacity - written < 64 {
                // Grow geometrically, keeping what is written.
                let bigger = UnsafeMutablePointer<UInt32>.allocate(capacity: 2 * slot.capacity)
                bigger.moveInitialize(from: slot.pointer, count: written)
                slot.pointer.deallocate()
                slot = EntryStorage(pointer: bigger, capacity: 2 * slot.capacity)
            }
            let previous = done == 0 ? -1 : Int32(base[done - 1])
            // After the last chunk: the end of the input, or bytes not read yet, whose record is
            // indexed again with them (-1 either way: a closing quote there is taken as well placed).
            let next = range.upperBound < bytes.count ? Int32(base[range.upperBound]) : -1
            let scan = seqhunt_csv_index(
                base + done, range.upperBound - done, previous, next, quoted,
                UInt32(done), slot.pointer + written, slot.capacity - written)
            let bad = [scan.first_bad.0, scan.first_bad.1], kinds = [scan.bad_kind.0, scan.bad_kind.1]
            let opens = [scan.last_open.0, scan.last_open.1]
            // A continuation carries the quote state in `quoted`: its states are the chunk's.
            for state in 0..<2 {
                if bad[state] != UInt64.max && firstBad[state] == .max {
                    firstBad[state] = done + Int(bad[state])
                    badKind[state] = kinds[state]
                }
                if opens[state] != UInt64.max { lastOpen[state] = done + Int(opens[state]) }
            }
            quoted ^= scan.quote_parity
            lineFeeds += Int(scan.line_feeds)
            written += scan.written
            done += scan.scanned
        } while done < range.upperBound
        chunk.entries = slot.pointer
        chunk.count = written
        chunk.quoteParity = quoted == 1
        chunk.lineFeeds = lineFeeds
        chunk.firstBad = (firstBad[0], firstBad[1])
        chunk.badKind = (badKind[0], badKind[1])
        chunk.lastOpen = (lastOpen[0], lastOpen[1])
        return (chunk, slot)
    }

    /// The offset just after the last line feed outside quotes, or nil when there is none.
    package func lastRecordEnd() -> Int? {
        for chunk in chunks.reversed() {
            var e = chunk.count
            while e > 0 {
                e -= 1
                let entry = chunk.entries[e]
                let offset = Int(entry & Self.offsetMask)
                if entry & Self.quotedBit == chunk.structuralBit && bytes[offset] == 0x0A { return offset + 1 }
            }
        }
        return nil
    }

    /// The first record start at or after `offset` (just after a line feed outside quotes),
    /// or nil when no line feed at or after `offset - 1` ends a record.
    package func recordStart(atOrAfter offset: Int) -> Int? {
        if offset == 0 { return 0 }
        let (k, e) = position(of: offset - 1)
        var walk = EntryWalk(index: self, chunk: k, entry: e)
        while let at = walk.next() {
            if bytes[at] == 0x0A { return at + 1 }
        }
        return nil
    }

    /// The chunk holding `offset` and the index of its first entry at or after it.
    func position(of offset: Int) -> (chunk: Int, entry: Int) {
        var k = chunks.count - 1
        while k > 0 && chunks[k].range.lowerBound > offset { k -= 1 }
        let chunk = chunks[k]
        var low = 0, high = chunk.count
        while low < high {
            let mid = (low + high) / 2
            if Int(chunk.entries[mid] & Self.offsetMask) < offset { low = mid + 1 } else { high = mid }
        }
        return (k, low)
    }

    /// The line of byte `offset`, counting from a known `(offset, line)` before it.
    func line(of offset: Int, from known: (offset: Int, line: Int)) -> Int {
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        return known.line + seqhunt_count_byte(base + known.offset, offset - known.offset, 0x0A)
    }

    /// The line of byte `offset`, from the start of its chunk.
    package func line(of offset: Int) -> Int {
        let chunk = chunks[position(of: offset).chunk]
        return line(of: offset, from: (chunk.range.lowerBound, chunk.firstLine))
    }
}
