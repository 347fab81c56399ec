#if canImport(Glibc)
import Glibc
#endif

/// One input, opened once and read once from the front: a regular file, a pipe or FIFO,
/// standard input (`-`), or any of these compressed with gzip or zstd (told by their
/// magic bytes, whatever the name).
///
/// What the input is (compressed or not, CSV or JSON, events or sessions) is decided on
/// a buffered head of the same stream (``peek(atLeast:)``), which later reads return
/// first: nothing is read twice, so a pipe loses no byte and a FIFO is opened once.
@_spi(Internals) public final class ByteSource {
    /// The input as given: a path, or `-` for standard input.
    public let path: String
    /// The input's name in messages: its path, or `stdin`.
    public let name: String
    /// The size on disk of a regular file (for progress), or 0 (pipes, standard input).
    public let size: Int
    /// The compression found by the magic bytes.
    public private(set) var compression: Compression = .none
    /// Raw bytes read so far (what ``size`` counts).
    public private(set) var rawBytesRead = 0

    /// Compression formats read as streams.
    public enum Compression: String, Sendable {
        case none, gzip, zstd
    }

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// The bytes of an input in memory (``init(bytes:name:)``), read from `memoryOffset`.
    private var memory: [UInt8]?
    private var memoryOffset = 0
    private var decoder: (any StreamDecoder)?
    /// Compressed bytes read but not yet decoded: `raw[rawStart..<rawEnd]`.
    private var raw = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    private var rawStart = 0
    private var rawEnd = 0
    private var rawAtEnd = false
    private var unitOpen = false
    private var unitEnded = false
    /// Decoded bytes peeked but not yet read: `head[headStart...]`.
    private var head: [UInt8] = []
    private var headStart = 0
    /// JSON documents of records turned into JSON Lines, when enabled.
    private var unwrapper: JSONRecordUnwrapper?
    private var stage = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    private var stageStart = 0
    private var stageEnd = 0
    private var stageAtEnd = false

    static let rawChunk = 1 << 20

    /// Opens `path` (`-`: standard input) for reading and looks at its first bytes for
    /// a compression format.
    /// - Throws: `InputError` when the input cannot be opened, is a directory, or is
    ///   compressed in a format SeqHunt does not read.
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            name = "stdin"
            descriptor = 0
            ownsDescriptor = false
        } else {
            name = path
            do {
                descriptor = try SystemCall.open(path, O_RDONLY | O_CLOEXEC)
            } catch {
                throw InputError(file: path, line: 0, cause: error.description)
            }
            ownsDescriptor = true
        }
        var fileSize = 0
        if let info = try? SystemCall.status(descriptor) {
            let type = info.st_mode & S_IFMT
            if type == S_IFDIR {
                if ownsDescriptor { SystemCall.close(descriptor) }
                throw InputError(file: name, line: 0, cause: "is a directory")
            }
            if type == S_IFREG { fileSize = Int(info.st_size) }
        }
        size = fileSize
        do {
            try detectCompression()
        } catch {
            if ownsDescriptor { SystemCall.close(descriptor) }
            throw error
        }
    }

    /// An input already in memory, named `name` in messages (tests, fuzzing, embedding).
    public init(bytes: [UInt8], name: String) throws {
        path = name
        self.name = name
        descriptor = -1
        ownsDescriptor = false
        size = bytes.count
        memory = bytes
        try detectCompression()
    }

    deinit {
        if ownsDescriptor { SystemCall.close(descriptor) }
        raw.deallocate()
        stage.deallocate()
    }

    private func failure(_ cause: String) -> InputError { InputError(file: name, line: 0, cause: cause) }

    /// Reads raw bytes from the descriptor.
    private func readRaw(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let memory {
            let count = min(buffer.count, memory.count - memoryOffset)
            if count > 0 {
                memory.withUnsafeBytes {
                    buffer.baseAddress!.copyMemory(from: $0.baseAddress! + memoryOffset, byteCount: count)
                }
            }
            memoryOffset += count
            rawBytesRead += count
            return count
        }
        do {
            let count = try SystemCall.read(descriptor, into: buffer)
            rawBytesRead += count
            return count
        } catch {
            throw failure("read failed: \(error.description)")
        }
    }

    /// Reads the first raw bytes (at least 6 unless the input is shorter) and picks a decoder.
    private func detectCompression() throws {
        raw = .allocate(byteCount: Self.rawChunk, alignment: 16)
        while rawEnd < 6 {
            let count = try readRaw(into: UnsafeMutableRawBufferPointer(rebasing: raw[rawEnd...]))
            if count == 0 {
                rawAtEnd = true
                break
            }
            rawEnd += count
        }
        let magic = Array(UnsafeRawBufferPointer(rebasing: raw[0..<min(rawEnd, 6)]))
        func starts(_ prefix: [UInt8]) -> Bool { magic.starts(with: prefix) }
        do {
            if starts([0x1F, 0x8B]) {
                compression = .gzip
                decoder = try GzipDecoder()
            } else if starts([0x28, 0xB5, 0x2F, 0xFD]) {
                compression = .zstd
                decoder = try ZstdDecoder()
            }
        } catch {
            throw failure(error.cause)
        }
        if starts([0x42, 0x5A, 0x68]) {
            throw failure(
                "is bzip2-compressed, which SeqHunt does not read: decompress it into a pipe (bzcat FILE | seqhunt ... -)"
            )
        }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) {
            throw failure(
                "is xz-compressed, which SeqHunt does not read: decompress it into a pipe (xzcat FILE | seqhunt ... -)")
        }
        if decoder == nil {
            // Plain input: the bytes read are the head; the raw buffer is not needed.
            head = Array(UnsafeRawBufferPointer(rebasing: raw[0..<rawEnd]))
            raw.deallocate()
            raw = UnsafeMutableRawBufferPointer(start: nil, count: 0)
            rawEnd = 0
        }
    }

    /// Decodes into `output`, reading raw bytes as needed; 0 at the end of the input.
    private func decode(into output: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let decoder else {
            return try readRaw(into: output)
        }
        while true {
            if rawStart == rawEnd {
                if rawAtEnd {
                    if unitOpen { throw failure("\(decoder.formatName) data ends too soon (a truncated file?)") }
                    return 0
                }
                rawStart = 0
                rawEnd = try readRaw(into: raw)
                if rawEnd == 0 { rawAtEnd = true }
                continue
            }
            if unitEnded {
                // Zero padding after the last member is ignored, as gzip does.
                while rawStart < rawEnd && raw[rawStart] == 0 { rawStart += 1 }
                if rawStart == rawEnd { continue }
                do { try decoder.startNextUnit() } catch { throw failure(error.cause) }
                unitEnded = false
            }
            let step: (consumed: Int, produced: Int, unitEnded: Bool)
            do {
                step = try decoder.decode(UnsafeRawBufferPointer(rebasing: raw[rawStart..<rawEnd]), into: output)
            } catch {
                throw failure(error.cause)
            }
            rawStart += step.consumed
            if step.unitEnded {
                unitOpen = false
                unitEnded = true
            } else if step.consumed > 0 || step.produced > 0 {
                unitOpen = true
            }
            if step.produced > 0 { return step.produced }
            if step.consumed == 0 && !step.unitEnded && rawStart < rawEnd {
                throw failure("\(decoder.formatName) data could not be decoded")
            }
        }
    }

    /// At least `count` decoded bytes from the current position (fewer only at the end of
    /// the input), without consuming them. Valid until the next call on this source.
    public func peek(atLeast count: Int) throws -> UnsafeRawBufferPointer {
        precondition(unwrapper == nil, "peek before enabling record unwrapping")
        if headStart > 0 && headStart == head.count {
            head.removeAll(keepingCapacity: true)
            headStart = 0
        }
        while head.count - headStart < count {
            // Read straight into the grown head: no second buffer of the same size, and the
            // old bytes moved with one copy.
            let want = max(1 << 16, count - (head.count - headStart))
            let before = head.count
            var got = 0
            var failure: (any Error)? = nil
            let grown = [UInt8](unsafeUninitializedCapacity: before + want) { buffer, initialized in
                let room = UnsafeMutableRawBufferPointer(buffer)
                head.withUnsafeBytes {
                    if before > 0 { room.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: before) }
                }
                do { got = try decode(into: UnsafeMutableRawBufferPointer(rebasing: room[before...])) } catch {
                    failure = error
                }
                initialized = before + got
            }
            if let failure { throw failure }
            head = grown
            if got == 0 { break }
        }
        return head.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[headStart...]) }
    }

    /// Reads decoded bytes, the peeked head first; 0 at the end of the input.
    private func readDecoded(into output: UnsafeMutableRawBufferPointer) throws -> Int {
        if headStart < head.count {
            let count = min(output.count, head.count - headStart)
            head.withUnsafeBytes { output.baseAddress!.copyMemory(from: $0.baseAddress! + headStart, byteCount: count) }
            headStart += count
            if headStart == head.count {
                head = []
                headStart = 0
            }
            return count
        }
        return try decode(into: output)
    }

    /// From now on, reads return the records of a JSON document of records (see
    /// ``JSONRecordUnwrapper``) as JSON Lines.
    func unwrapRecords(_ layout: JSONRecordUnwrapper.Layout) {
        unwrapper = JSONRecordUnwrapper(layout: layout, file: name)
        stage = .allocate(byteCount: Self.rawChunk, alignment: 16)
    }

    /// Reads up to `output.count` bytes of the input (decompressed, and as JSON Lines when
    /// unwrapping); 0 at the end.
    public func read(into output: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !output.isEmpty else { return 0 }
        guard unwrapper != nil else { return try readDecoded(into: output) }
        while true {
            if stageStart == stageEnd && !stageAtEnd {
                stageStart = 0
                stageEnd = try readDecoded(into: stage)
                if stageEnd == 0 { stageAtEnd = true }
            }
            if stageStart == stageEnd && stageAtEnd {
                try unwrapper!.finish()
                return 0
            }
            let step = try unwrapper!.transform(
                UnsafeRawBufferPointer(rebasing: stage[stageStart..<stageEnd]), into: output)
            stageStart += step.consumed
            if step.produced > 0 { return step.produced }
        }
    }
}
