/// Read-only shared access to a buffer from parallel chunks.
///
/// Safe because nothing writes the buffer while the chunks run; debug builds check bounds.
struct SharedReads<Element>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<Element>
    init(_ buffer: UnsafeBufferPointer<Element>) { self.buffer = buffer }
    @inline(__always) subscript(index: Int) -> Element {
        assert(index >= 0 && index < buffer.count, "SharedReads: index \(index) outside 0..<\(buffer.count)")
        return buffer[index]
    }
}
