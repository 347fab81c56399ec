/// An immutable, heap-allocated buffer whose address never changes.
///
/// The model's look-up tables live in these so that the scoring kernel can read
/// them through plain pointers from every worker without copying and without
/// escaping an `Array`'s storage from `withUnsafeBufferPointer`.
final class FixedBuffer<Element>: @unchecked Sendable, RandomAccessCollection {
    let buffer: UnsafeBufferPointer<Element>

    init<C: Collection>(_ elements: C) where C.Element == Element {
        let storage = UnsafeMutableBufferPointer<Element>.allocate(capacity: Swift.max(elements.count, 1))
        _ = storage.initialize(from: elements)
        buffer = UnsafeBufferPointer(rebasing: storage[0..<elements.count])
    }

    deinit {
        UnsafeMutableBufferPointer(mutating: buffer).deinitialize()
        if let base = buffer.baseAddress { base.deallocate() }
    }

    var startIndex: Int { 0 }
    var endIndex: Int { buffer.count }
    @inline(__always) subscript(index: Int) -> Element { buffer[index] }
}

/// A buffer of output columns written by parallel chunks, then copied out.
final class OutputColumns<Element>: @unchecked Sendable {
    let rows: Int
    let columns: Int
    private let storage: UnsafeMutableBufferPointer<Element>

    init(rows: Int, columns: Int, initialValue: Element) {
        self.rows = rows
        self.columns = columns
        storage = .allocate(capacity: max(rows * columns, 1))
        storage.initialize(repeating: initialValue)
    }

    deinit { storage.deallocate() }

    /// Disjoint-write access to column `column`.
    func writer(_ column: Int) -> DisjointWrites<Element> {
        DisjointWrites(storage.baseAddress! + column * rows)
    }

    /// Column `column` as an array.
    func array(_ column: Int) -> [Element] {
        Array(UnsafeBufferPointer(rebasing: storage[(column * rows)..<((column + 1) * rows)]))
    }
}
