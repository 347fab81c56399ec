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
    @inline(__always) subscript(index: Int) -> Element {
        assert(index >= 0 && index < buffer.count, "FixedBuffer: index \(index) outside 0..<\(buffer.count)")
        return buffer[index]
    }
}

/// Creates `columns` arrays of `count` elements each, handing `body` their storage
/// before it is initialised. `body` must write every element of every column; the
/// arrays are returned without any copy, and their pages are first touched by
/// whoever writes them (the parallel workers), not by one thread up front.
func makeColumns<Element: BitwiseCopyable>(
    count: Int, columns: Int,
    _ body: ([DisjointWrites<Element>]) -> Void
) -> [[Element]] {
    guard columns > 0 else {
        body([])
        return []
    }
    var rest: [[Element]] = []
    let first = [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
        let head = DisjointWrites(buffer)
        rest = makeColumns(count: count, columns: columns - 1) { tail in body([head] + tail) }
        initialized = count
    }
    return [first] + rest
}
