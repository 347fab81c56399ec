/// An error that SeqHunt reports: every error type of the engine and of `SeqHuntIO` conforms,
/// so a host catches `any SeqHuntError` once instead of each type.
///
/// Its `description` is one line (log text quoted in it has its control characters
/// escaped) that names what went wrong without command-line wording; ``location`` says
/// where, when the error comes from a file.
public protocol SeqHuntError: Error, CustomStringConvertible, Sendable {
    /// The file, line and column (or byte offset) the error is about, when it is about one.
    var location: SeqHuntErrorLocation? { get }
}

/// Where in a file an error is.
public struct SeqHuntErrorLocation: Sendable, Equatable {
    /// The file, as it was named (`-` for standard input).
    public var file: String
    /// The 1-based line, when known.
    public var line: Int?
    /// The 1-based column, when known.
    public var column: Int?
    /// The byte offset, for binary files (model files).
    public var offset: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil, offset: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.offset = offset
    }
}

extension SeqHuntError {
    /// Engine errors are about values, not files.
    public var location: SeqHuntErrorLocation? { nil }
}

extension ModelError: SeqHuntError {}
extension ScoringError: SeqHuntError {}
extension SessionStoreError: SeqHuntError {}
