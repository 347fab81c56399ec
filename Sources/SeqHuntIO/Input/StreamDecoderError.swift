/// Corrupt or unreadable compressed data, in words.
struct StreamDecoderError: Error, Equatable {
    var cause: String
}
