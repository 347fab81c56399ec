/// Interns byte strings to dense `Int32` ids without creating a `String` per look-up.
///
/// Distinct byte strings are copied once into an arena; an open-addressing hash
/// table (linear probing, load ≤ 1/2) maps them to ids in first-seen order. Used
/// by the readers to encode commands, parameter names, values and keys straight
/// from the input buffer.
///
/// Logs are written by the people we hunt, who may choose names that collide. The
/// table hashes with a fast seeded hash; a probe run longer than ``longestProbe`` (which
/// chosen collisions cause, and chance practically never does) switches it for good to
/// Swift's `Hasher` (SipHash-1-3, keyed with a random per-process seed) and rehashes,
/// so probing stays short whatever the input. Ids never depend on the hash (they are
/// given in first-seen order): results are the same from run to run.
struct ByteInterner {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int
    /// Whether the table uses the keyed hash (after a long probe run).
    private(set) var isKeyed = false

    /// The longest probe run accepted before switching to the keyed hash.
    static let longestProbe = 48

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// The number of distinct byte strings.
    var count: Int { starts.count - 1 }

    /// The id of `bytes`, and whether it was new.
    /// - Complexity: O(length) expected.
    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> (id: Int32, isNew: Bool) {
        var hash = hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        var probes = 0
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if hashes[Int(id)] == hash && equals(Int(id), bytes) { return (id, false) }
            slot = (slot &+ 1) & mask
            probes += 1
            if probes > Self.longestProbe && !isKeyed {
                switchToKeyedHash()
                hash = self.hash(bytes)
                slot = Int(truncatingIfNeeded: hash) & mask
                probes = 0
            }
        }
        let id = Int32(truncatingIfNeeded: count)
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        hashes.append(hash)
        slots[slot] = id
        if count * 2 > slots.count { grow() }
        return (id, true)
    }

    /// The longest run of occupied slots, which bounds every probe (for tests).
    func longestOccupiedRun() -> Int {
        var longest = 0, run = 0
        for slot in slots + slots {   // twice round: a run may wrap past the end
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
    func withBytes<R>(of id: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try arena.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[starts[Int(id)]..<starts[Int(id) + 1]]))
        }
    }

    /// The bytes of `id` as a `String` (invalid UTF-8 repaired; readers validate first).
    func string(of id: Int32) -> String {
        withBytes(of: id) { String(decoding: $0, as: UTF8.self) }
    }

    private func equals(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = starts[id], end = starts[id + 1]
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBytes { all in
            bytes.count == 0 || memcmp(all.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for id in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
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
        let size = slots.count
        slots = [Int32](repeating: -1, count: size)
        for id in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[slot] >= 0 { slot = (slot &+ 1) & mask }
            slots[slot] = Int32(id)
        }
    }

    /// Swift's `Hasher`: SipHash-1-3 with the process's random seed.
    static func keyedHash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(bytes: bytes)
        return UInt64(UInt(bitPattern: hasher.finalize()))
    }

    /// A random seed for ``fastHash(_:)``, drawn once per process.
    static let seed = UInt64.random(in: 0...UInt64.max)

    /// A fast 64-bit hash (8 bytes at a time, then a final mix), seeded per process.
    @inline(__always)
    static func fastHash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
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

#if canImport(Glibc)
import Glibc
#endif
