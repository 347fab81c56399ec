import SeqHunt

/// A syntax error at a byte offset of scanned JSON: what ``JSONScanner`` throws to the readers.
///
/// The readers catch it and report it with their file and line; ``JSONParser`` hands it on to
/// its own callers as ``JSONParser/SyntaxError``.
package struct JSONSyntaxError: Error, CustomStringConvertible, Equatable {
    /// The byte offset in the scanned text.
    package var offset: Int
    /// What is wrong, on one line.
    package var cause: String
    package var description: String { cause }

    package init(offset: Int, cause: String) {
        self.offset = offset
        self.cause = cause
    }
}

extension JSONSyntaxError: SeqHuntError {}
