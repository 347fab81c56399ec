import CZlib

/// Reads gzip (and zlib) streams through the system's zlib, member after member, so
/// that concatenated files (`cat a.gz b.gz`) read as one.
final class GzipDecoder: StreamDecoder {
    // zlib keeps pointers into its stream struct: it needs a stable address.
    private let stream: UnsafeMutablePointer<z_stream>

    init() throws(StreamDecoderError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 32: the largest window, and the header (gzip or zlib) detected automatically.
        let status = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw StreamDecoderError(cause: "zlib could not start (status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    var formatName: String { "gzip" }

    func decode(
        _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(StreamDecoderError) -> (consumed: Int, produced: Int, unitEnded: Bool) {
        guard !output.isEmpty else { return (0, 0, false) }
        // zlib reads `next_in` without writing through it; its C type is not const.
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(output.count)
        let status = inflate(stream, Z_NO_FLUSH)
        let consumed = input.count - Int(stream.pointee.avail_in)
        let produced = output.count - Int(stream.pointee.avail_out)
        stream.pointee.next_in = nil
        switch status {
        case Z_OK, Z_BUF_ERROR:
            return (consumed, produced, false)
        case Z_STREAM_END:
            return (consumed, produced, true)
        case Z_MEM_ERROR:
            throw StreamDecoderError(cause: "out of memory while decompressing gzip data")
        default:
            let detail = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
            throw StreamDecoderError(cause: "corrupt gzip data (\(detail))")
        }
    }

    func startNextUnit() throws(StreamDecoderError) {
        guard inflateReset(stream) == Z_OK else { throw StreamDecoderError(cause: "zlib could not restart") }
    }
}
