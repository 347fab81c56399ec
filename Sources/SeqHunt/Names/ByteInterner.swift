#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Interns byte strings to dense `Int32` ids without creating a `String` per name.
///
/// The one interning of the package: the engine's vocabularies (commands, parameters and
/// (parameter, value) pairs), the readers' session keys and column names all use it.
/// Distinct byte strings are copied once into an arena; an open-addressing hash table
/// (linear probing, load ≤ 3/8) maps them to ids in first-seen order. Each entry may
/// carry a tag (the parameter of a value pair): the same bytes under two tags are two
/// entries. The hash of each entry's bytes is kept, so that one table absorbs another's
/// entries without hashing their bytes again (``intern(_:of:tag:)``).
///
/// Logs are written by the people we hunt, who may choose names that collide. The
/// table hashes with a fast seeded hash; a probe run longer than ``longestProbe`` (which
/// chosen collisions cause, and chance practically never does) switches it for good to
/// Swift's `Hasher` (SipHash-1-3, keyed with a random per-process seed) and rehashes,
/// so probing stays short whatever the input. Ids never depend on the hash (they are
/// given in first-seen order): results are the same from run to run.
package struct ByteInterner: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    /// The hash of each entry's bytes (without its tag), in the hash in use.
    private var hashes: [UInt64] = []
    /// The tag of each entry (0 where the table holds untagged names).
    package private(set) var tags: [Int32] = []
    private var slots: [Int32]
    private var mask: Int
    /// Whether the table uses the keyed hash (after a long probe run).
    package private(set) var isKeyed = false

    /// Whether `count` entries fit in `size` slots: a load of at most 3/8. At 1/2, a table of
    /// 100,000 ordinary names met a probe run past ``longestProbe`` by chance about one run in
    /// seven (linear probing's longest run grows as log n / (α − 1 − ln α)), and fell back to
    /// the slow keyed hash for nothing.
    @inline(__always)
    private static func fits(_ count: Int, _ size: Int) -> Bool { count * 8 <= size * 3 }

    /// The longest probe run accepted before switching to the keyed hash.
    package static let longestProbe = 48

    /// An empty table with room for `capacity` entries before it grows.
    package init(capacity: Int = 1024) {
        var size = 16
        while !Self.fits(capacity, size) { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// The number of distinct (tag, bytes) entries.
    package var count: Int { hashes.count }

    /// The bytes of every entry, laid end to end in id order.
    package var totalBytes: Int { arena.count }

    /// Makes room for `count` more entries of `bytes` bytes in all without growing.
    /// Growth is geometric, so that absorbing many workers' tables one after another copies
    /// each entry a bounded number of times.
    package mutating func reserveCapacity(adding count: Int, bytes: Int = 0) {
        func reserve<T>(_ array: inout [T], _ more: Int) {
            let needed = array.count + more
            if array.capacity < needed { array.reserveCapacity(max(needed, array.capacity * 2)) }
        }
        reserve(&arena, bytes)
        reserve(&starts, count)
        reserve(&hashes, count)
        reserve(&tags, count)
        if !Self.fits(self.count + count, slots.count) {
            var size = slots.count
            while !Self.fits(self.count + count, size) { size <<= 1 }
            rebuildSlots(size: size)
        }
    }

    /// The id of `bytes` under `tag`, and whether it was new.
    /// - Complexity: O(length) expected.
    package mutating func intern(_ bytes: UnsafeRawBufferPointer, tag: Int32 = 0) -> (id: Int32, isNew: Bool) {
        intern(bytes, hash: hash(bytes), tag: tag)
    }

    /// Entry `id` of `other` in this table: its id here, and whether it was new. The bytes
    /// are hashed again only when the two tables use different hashes.
    package mutating func intern(_ id: Int32, of other: ByteInterner, tag: Int32) -> (id: Int32, isNew: Bool) {
        other.withBytes(of: id) { bytes in
            intern(bytes, hash: other.isKeyed == isKeyed ? other.hashes[Int(id)] : hash(bytes), tag: tag)
        }
    }

    /// The id of `bytes` under `tag`, or `nil` when it was never interned.
    package func find(_ bytes: UnsafeRawBufferPointer, tag: Int32 = 0) -> Int32? {
        let hash = hash(bytes)
        var slot = Self.slot(hash, tag) & mask
        while true {
            let id = slots[slot]
            if id < 0 { return nil }
            if hashes[Int(id)] == hash && tags[Int(id)] == tag && equals(Int(id), bytes) { return id }
            slot = (slot &+ 1) & mask
        }
    }

    private mutating func intern(_ bytes: UnsafeRawBufferPointer, hash: UInt64, tag: Int32) -> (id: Int32, isNew: Bool)
    {
        var hash = hash
        var slot = Self.slot(hash, tag) & mask
        var probes = 0
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if hashes[Int(id)] == hash && tags[Int(id)] == tag && equals(Int(id), bytes) { return (id, false) }
            slot = (slot &+ 1) & mask
            probes += 1
            if probes > Self.longestProbe && !isKeyed {
                switchToKeyedHash()
                hash = self.hash(bytes)
                slot = Self.slot(hash, tag) & mask
                probes = 0
            }
        }
        precondition(count < Int(Int32.max), "more than 2^31 - 1 distinct names")
        let id = Int32(truncatingIfNeeded: count)
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        hashes.append(hash)
        tags.append(tag)
        slots[slot] = id
        if !Self.fits(count, slots.count) { rebuildSlots(size: slots.count * 2) }
        return (id, true)
    }

    /// The longest run of occupied slots, which bounds every probe (for tests).
    package func longestOccupiedRun() -> Int {
        var longest = 0, run = 0
        for slot in slots + slots {  // twice round: a run may wrap past the end
            if slot >= 0 {
                run += 1
                longest = max(longest, min(run, slots.count))
            } else {
                run = 0
            }
        }
        return longest
    }

    /// The bytes of `id`.
    package func withBytes<R>(of id: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try arena.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[starts[Int(id)]..<starts[Int(id) + 1]]))
        }
    }

    /// The bytes of `id` as a `String` (invalid UTF-8 repaired; readers validate first).
    package func string(of id: Int32) -> String {
        withBytes(of: id) { String(decoding: $0, as: UTF8.self) }
    }

    /// Every id, ordered by `precedes` on the entries' bytes (which differ: each is interned
    /// once, so the order is total and does not depend on the thread count). Runs of the ids
    /// are sorted on `threads` workers (nil: every core) when there are many, then merged.
    /// - Complexity: O(n log n) comparisons, each on the arena in place.
    package func sortedIDs(
        threads: Int? = nil,
        by precedes: @escaping @Sendable (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Bool
    ) -> [Int32] {
        let n = count
        let parts = n < 1 << 15 ? 1 : min(Parallel.workers(threads), 8)
        var ids = Array(0..<Int32(n))
        arena.withUnsafeBufferPointer { all in
            starts.withUnsafeBufferPointer { starts in
                // Read only while the runs are sorted; each run writes only its own ids.
                let arena = SharedReads(all), offsets = SharedReads(starts)
                @Sendable func entry(_ id: Int32) -> UnsafeRawBufferPointer {
                    UnsafeRawBufferPointer(
                        rebasing: UnsafeRawBufferPointer(arena.buffer)[offsets[Int(id)]..<offsets[Int(id) + 1]])
                }
                ids.withUnsafeMutableBufferPointer { buffer in
                    let runs = DisjointWrites(buffer)
                    Parallel.run(chunks: parts) { part in
                        var run = UnsafeMutableBufferPointer(
                            start: runs.base + n * part / parts,
                            count: n * (part + 1) / parts - n * part / parts)
                        run.sort { precedes(entry($0), entry($1)) }
                    }
                }
                guard parts > 1 else { return }
                // Merge the sorted runs, one after another into the growing front.
                var merged = Array(ids[0..<(n / parts)])
                for part in 1..<parts {
                    let run = ids[(n * part / parts)..<(n * (part + 1) / parts)]
                    var out: [Int32] = []
                    out.reserveCapacity(merged.count + run.count)
                    var i = merged.startIndex, j = run.startIndex
                    while i < merged.endIndex && j < run.endIndex {
                        if precedes(entry(run[j]), entry(merged[i])) {
                            out.append(run[j])
                            j += 1
                        } else {
                            out.append(merged[i])
                            i += 1
                        }
                    }
                    out += merged[i...]
                    out += run[j...]
                    merged = out
                }
                ids = merged
            }
        }
        return ids
    }

    /// Whether entry `a`'s bytes sort before entry `b`'s (bytewise, as Python compares UTF-8).
    package func precedes(_ a: Int32, _ b: Int32) -> Bool {
        withBytes(of: a) { x in withBytes(of: b) { y in Self.order(x, y) < 0 } }
    }

    /// The bytewise order of `x` and `y` (a shorter prefix first): negative, zero or positive.
    package static func order(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Int {
        let common = min(x.count, y.count)
        let order = common == 0 ? 0 : Int(memcmp(x.baseAddress!, y.baseAddress!, common))
        return order != 0 ? order : x.count - y.count
    }

    private func equals(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = starts[id], end = starts[id + 1]
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBytes { all in
            bytes.count == 0 || memcmp(all.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    /// The slot a (hash, tag) starts probing at, before masking: the tag moves a pair's
    /// probe run away from the same value under other parameters.
    @inline(__always)
    private static func slot(_ hash: UInt64, _ tag: Int32) -> Int {
        Int(truncatingIfNeeded: hash ^ (UInt64(UInt32(bitPattern: tag)) &* 0x9E37_79B9_7F4A_7C15))
    }

    private mutating func rebuildSlots(size: Int) {
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for id in 0..<count {
            var slot = Self.slot(hashes[id], tags[id]) & mask
            while slots[slot] >= 0 { slot = (slot &+ 1) & mask }
            slots[slot] = Int32(id)
        }
    }

    /// The hash in use.
    @inline(__always)
    private func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        isKeyed ? Self.keyedHash(bytes) : Self.fastHash(bytes)
    }

    /// Rehashes every stored string with the keyed hash.
    private mutating func switchToKeyedHash() {
        isKeyed = true
        for id in 0..<count {
            hashes[id] = withBytes(of: Int32(id)) { Self.keyedHash($0) }
        }
        rebuildSlots(size: slots.count)
    }

    /// Swift's `Hasher`: SipHash-1-3 with the process's random seed.
    package static func keyedHash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(bytes: bytes)
        return UInt64(UInt(bitPattern: hasher.finalize()))
    }

    /// A random seed for ``fastHash(_:)``, drawn once per process.
    package static let seed = UInt64.random(in: 0...UInt64.max)

    /// A fast 64-bit hash (8 bytes at a time, then a final mix), seeded per process.
    @inline(__always)
    package static func fastHash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ seed ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        h = h &* 0xFF51_AFD7_ED55_8CCD
        return h ^ (h >> 32)
    }
}

extension ByteInterner: Equatable {
    /// Two tables are equal when they hold the same entries under the same ids; the hash
    /// in use and the table's size do not count.
    package static func == (a: ByteInterner, b: ByteInterner) -> Bool {
        a.count == b.count && a.tags == b.tags && a.starts == b.starts && a.arena == b.arena
    }
}

extension String {
    /// The string's UTF-8 bytes, contiguous (a copy only for a bridged or non-contiguous string).
    package func withUTF8Bytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var text = self
        return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}
