/// Bytes already in memory (a piece of a block that ``RecordBlocks`` cut at record
/// boundaries), read front to back by the record scanners: ``start`` is the first
/// unread byte. The bytes are borrowed, not copied: they must outlive the stream.
final class ByteStream {
    /// The input's name in messages.
    let path: String
    /// The bytes: `buffer[start..<end]` is unread.
    let buffer: UnsafeMutableRawBufferPointer
    private(set) var start = 0
    let end: Int
    /// Always true: the bytes are all there is (the piece ends with a record).
    let atEOF = true

    init(borrowing bytes: UnsafeRawBufferPointer, path: String) {
        self.path = path
        // Never written through: the scanners only read.
        buffer = UnsafeMutableRawBufferPointer(mutating: bytes)
        end = bytes.count
    }

    /// Marks `buffer[start..<position]` as consumed.
    func consume(upTo position: Int) { start = position }

    /// A stream in memory has nothing more to read.
    func refill() throws -> (more: Bool, moved: Int) { (false, 0) }
}
