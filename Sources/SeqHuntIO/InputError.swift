/// Bad input, located: the file, the line (1-based) and, where known, the column.
///
/// Its description is the one line the command line prints: `file:line:column: cause`.
public struct InputError: Error, CustomStringConvertible, Equatable {
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

    public var description: String {
        if let column { return "\(file):\(line):\(column): \(cause)" }
        return "\(file):\(line): \(cause)"
    }
}

/// A problem with an output path.
public struct OutputError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var cause: String
    public init(path: String, cause: String) {
        self.path = path
        self.cause = cause
    }
    public var description: String { "\(path): \(cause)" }
}
