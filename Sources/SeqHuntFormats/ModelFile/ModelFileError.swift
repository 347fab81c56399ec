import SeqHunt
import SeqHuntSupport

/// A model file that cannot be used: the file, where known the byte offset, and why.
public struct ModelFileError: SeqHuntError, Equatable {
    public var path: String
    public var offset: Int?
    public var cause: String

    public init(path: String, offset: Int? = nil, cause: String) {
        self.path = path
        self.offset = offset
        self.cause = cause
    }

    public var location: SeqHuntErrorLocation? { SeqHuntErrorLocation(file: path, offset: offset) }

    public var description: String {
        if let offset { return oneLine("\(path): byte \(offset): \(cause)") }
        return oneLine("\(path): \(cause)")
    }
}
