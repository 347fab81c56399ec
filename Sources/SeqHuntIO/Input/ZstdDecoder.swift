import CZstd

/// Reads zstd streams through the system's libzstd; consecutive frames read as one stream.
final class ZstdDecoder: StreamDecoder {
    private let stream: OpaquePointer

    init() throws(StreamDecoderError) {
        guard let stream = ZSTD_createDStream() else { throw StreamDecoderError(cause: "libzstd could not start") }
        self.stream = stream
        let status = ZSTD_initDStream(stream)
        if ZSTD_isError(status) != 0 {
            ZSTD_freeDStream(stream)
            throw StreamDecoderError(cause: "libzstd could not start (\(String(cString: ZSTD_getErrorName(status))))")
        }
    }

    deinit { ZSTD_freeDStream(stream) }

    var formatName: String { "zstd" }

    func decode(
        _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(StreamDecoderError) -> (consumed: Int, produced: Int, unitEnded: Bool) {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var target = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let status = ZSTD_decompressStream(stream, &target, &source)
        if ZSTD_isError(status) != 0 {
            throw StreamDecoderError(cause: "corrupt zstd data (\(String(cString: ZSTD_getErrorName(status))))")
        }
        // 0: a frame is complete and fully flushed.
        return (source.pos, target.pos, status == 0)
    }

    /// libzstd starts the next frame by itself.
    func startNextUnit() {}
}
