/// Turns a compressed stream into plain bytes, one buffer at a time.
///
/// `ByteSource` owns one when its input starts with a compression format's magic
/// bytes, and feeds it the raw bytes as they are read: nothing is held whole.
protocol StreamDecoder: AnyObject {
    /// Decodes from `input` into `output`. Returns how many input bytes were consumed,
    /// how many output bytes were produced, and whether a complete compressed unit (a gzip
    /// member, a zstd frame) ended with this call.
    func decode(
        _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(StreamDecoderError) -> (consumed: Int, produced: Int, unitEnded: Bool)

    /// Prepares for another unit that follows the last one (concatenated gzip members).
    func startNextUnit() throws(StreamDecoderError)

    /// The format's name in messages ("gzip", "zstd").
    var formatName: String { get }
}
