/// A raw pointer handed to parallel chunks that write disjoint elements.
///
/// This is the audited escape hatch for Swift 6's data-race checking: every use
/// writes only indices owned by its chunk (see ``Parallel``), which ThreadSanitizer
/// checks in the test suite.
///
/// Safe because each element is written by one chunk only and read after the parallel
/// run returns; debug builds check every index against the buffer's bounds.
struct DisjointWrites<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    /// The number of elements (checked in debug builds).
    let count: Int
    /// Writes into `buffer`, which may be empty: an empty buffer may have no address, and
    /// then an aligned placeholder stands in (nothing is ever written through it).
    init(_ buffer: UnsafeMutableBufferPointer<Element>) {
        self.base = buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)!
        self.count = buffer.count
    }
    @inline(__always) subscript(index: Int) -> Element {
        get {
            assert(index >= 0 && index < count, "DisjointWrites: index \(index) outside 0..<\(count)")
            return base[index]
        }
        nonmutating set {
            assert(index >= 0 && index < count, "DisjointWrites: index \(index) outside 0..<\(count)")
            base[index] = newValue
        }
    }
}
