import SeqHunt
import SeqHuntSupport

/// A problem with an output path.
public struct OutputError: SeqHuntError, Equatable {
    public var path: String
    public var cause: String
    public init(path: String, cause: String) {
        self.path = path
        self.cause = cause
    }
    public var description: String { oneLine("\(path): \(cause)") }
    public var location: SeqHuntErrorLocation? { SeqHuntErrorLocation(file: path) }
}
