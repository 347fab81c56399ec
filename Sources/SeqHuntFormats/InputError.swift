import SeqHunt
import SeqHuntSupport

/// Bad input, located: the file, the line (1-based) and, where known, the column.
///
/// Its description is the one line the command line prints: `file:line:column: cause`.
public struct InputError: SeqHuntError, Equatable {
    public var file: String
    public var line: Int
    public var column: Int?
    public var cause: String

    public init(file: String, line: Int, column: Int? = nil, cause: String) {
        self.file = file
        self.line = line
        self.column = column
        self.cause = cause
    }

    /// One line, whatever the cause quotes from the input (see `oneLine(_:)`).
    /// A line of 0 means the input as a whole (`file: cause`).
    public var location: SeqHuntErrorLocation? {
        SeqHuntErrorLocation(file: file, line: line == 0 ? nil : line, column: column)
    }

    public var description: String {
        if line == 0 { return oneLine("\(file): \(cause)") }
        if let column { return oneLine("\(file):\(line):\(column): \(cause)") }
        return oneLine("\(file):\(line): \(cause)")
    }
}
