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

    /// One line, whatever the cause quotes from the input (see ``oneLine(_:)``).
    /// A line of 0 means the input as a whole (`file: cause`).
    public var description: String {
        if line == 0 { return oneLine("\(file): \(cause)") }
        if let column { return oneLine("\(file):\(line):\(column): \(cause)") }
        return oneLine("\(file):\(line): \(cause)")
    }
}

/// `text` with its control characters escaped (`\n`, `\r`, `\t`, `\u{1B}`, ...), so that
/// a message quoting attacker-controlled log text stays one line and cannot drive a
/// terminal with escape sequences.
public func oneLine(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where isControl(scalar): out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

private func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
}

/// A problem with an output path.
public struct OutputError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var cause: String
    public init(path: String, cause: String) {
        self.path = path
        self.cause = cause
    }
    public var description: String { oneLine("\(path): \(cause)") }
}
