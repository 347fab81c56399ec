#if canImport(Glibc)
import Glibc
#endif

/// A growable byte buffer that the writers format rows into: an append is a capacity
/// check and a copy, with none of an array's uniqueness checks, so that formatting keeps
/// up with the disk.
///
/// A buffer is filled by one worker, then handed whole to the thread that writes it. Its
/// storage is shared by copies, so a copy must not be appended to while another is used:
/// the writers never do (a wave of buffers is formatted into again only once it is written).
package struct OutputBuffer: ByteSink, @unchecked Sendable {
    /// The bytes, freed with the last buffer that holds them. (Unchecked `Sendable` above: a
    /// buffer moves between threads whole, and only its one owner writes to it.)
    private final class Storage {
        let pointer: UnsafeMutableRawPointer
        let capacity: Int
        init(capacity: Int) {
            self.capacity = capacity
            pointer = .allocate(byteCount: capacity, alignment: 16)
        }
        deinit { pointer.deallocate() }
    }

    private var storage: Storage
    /// The bytes appended so far.
    package private(set) var count = 0

    package init(capacity: Int = 1 << 16) {
        storage = Storage(capacity: max(capacity, 64))
    }

    /// The bytes, valid while the buffer lives and is not appended to.
    package var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage.pointer, count: count) }

    package func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try body(bytes) }

    /// Forgets the bytes, keeping the room. (A scratch buffer's reset: an array's
    /// `removeAll(keepingCapacity:)` costs a generic `replaceSubrange` call.)
    package mutating func removeAll() { count = 0 }

    @inline(__always) package mutating func append(_ byte: UInt8) {
        if count == storage.capacity { grow(1) }
        storage.pointer.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    @inline(__always) package mutating func append(bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        if count + bytes.count > storage.capacity { grow(bytes.count) }
        memcpy(storage.pointer + count, source, bytes.count)
        count += bytes.count
    }

    /// Appends a buffer's bytes.
    package mutating func append(_ other: OutputBuffer) { append(bytes: other.bytes) }

    /// Makes room for `more` bytes, doubling: a row costs amortised constant time.
    @inline(never) private mutating func grow(_ more: Int) {
        let bigger = Storage(capacity: max(count + more, 2 * storage.capacity))
        memcpy(bigger.pointer, storage.pointer, count)
        storage = bigger
    }
}
