#if canImport(Glibc)
import Glibc
#endif

/// A file read in large chunks into one reusable buffer, so that readers see
/// contiguous bytes without holding the whole file: memory is bounded by the
/// longest record, not the file size.
final class ByteStream {
    let path: String
    private let descriptor: Int32
    /// The buffered bytes: `buffer[start..<end]` is unread.
    private(set) var buffer: UnsafeMutableRawBufferPointer
    private(set) var start = 0
    private(set) var end = 0
    private(set) var atEOF = false
    /// Bytes consumed before `buffer[0]`.
    private(set) var consumedBefore = 0
    /// The file's size when opened (for progress), or 0 when unknown.
    let size: Int

    /// Whether `buffer` is ours to free (it is not when borrowed).
    private let ownsBuffer: Bool

    /// A stream over bytes already in memory (a piece of a file), ending with them.
    /// The bytes are borrowed, not copied: they must outlive the stream.
    init(borrowing bytes: UnsafeRawBufferPointer, path: String) {
        self.path = path
        descriptor = -1
        size = bytes.count
        buffer = UnsafeMutableRawBufferPointer(mutating: bytes)
        ownsBuffer = false
        end = bytes.count
        atEOF = true
    }

    init(path: String, chunkSize: Int = 1 << 22) throws {
        self.path = path
        (descriptor, size) = try openForReading(path)
        buffer = .allocate(byteCount: chunkSize, alignment: 16)
        ownsBuffer = true
    }

    deinit {
        if ownsBuffer { buffer.deallocate() }
        if descriptor >= 0 { close(descriptor) }
    }

    /// Marks `buffer[start..<position]` as consumed.
    func consume(upTo position: Int) { start = position }

    /// Reads more bytes after `end`, first moving the unread bytes to the front and
    /// growing the buffer when it is full. Returns `false` at the end of the file.
    /// Positions into the buffer shift by the returned `moved` amount.
    func refill() throws -> (more: Bool, moved: Int) {
        guard !atEOF, ownsBuffer else { return (false, 0) }
        let moved = start
        if start > 0 {
            if end > start { memmove(buffer.baseAddress!, buffer.baseAddress! + start, end - start) }
            end -= start
            consumedBefore += start
            start = 0
        }
        if end == buffer.count {
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
            bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
            buffer.deallocate()
            buffer = bigger
        }
        while true {
            let n = read(descriptor, buffer.baseAddress! + end, buffer.count - end)
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(file: path, line: 0, cause: "read failed (errno \(errno))")
            }
            if n == 0 { atEOF = true; return (false, moved) }
            end += n
            return (true, moved)
        }
    }

    /// Total bytes consumed so far.
    var bytesConsumed: Int { consumedBefore + start }
}

/// Opens `path` for reading, refusing directories; returns the descriptor and the size.
func openForReading(_ path: String) throws -> (descriptor: Int32, size: Int) {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else {
        let cause = errno == ENOENT ? "no such file" : errno == EACCES ? "permission denied" : "cannot be opened"
        throw InputError(file: path, line: 0, cause: cause)
    }
    var info = stat()
    if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
        close(fd)
        throw InputError(file: path, line: 0, cause: "is a directory")
    }
    return (fd, Int(info.st_size))
}
