import SeqHunt
import SeqHuntFormats

/// One row of a scores file, its cells as bytes: valid only during the call it is handed to.
package final class ScoresRow {
    /// The columns so far (JSON Lines: in first-seen order; a later row may add some).
    package internal(set) var columns: [String] = []
    let file: String
    /// CSV: the cursor on the current record.
    var csv: CSVRecordCursor?
    /// JSON Lines: the scanner over the current line and each column's value in it.
    private var scanner = JSONScanner(UnsafeRawBufferPointer(start: nil, count: 0))
    private var spans: [JSONScanner.Span?] = []
    private var names = ByteInterner(capacity: 64)
    private var nameScratch: [UInt8] = []
    private var text: [UInt8] = []
    private(set) var line = 0

    init(file: String) { self.file = file }

    /// Reads one JSON Lines record: the value of each member, by column.
    func scan(_ bytes: UnsafeRawBufferPointer, line: Int) throws {
        self.line = line
        scanner = JSONScanner(bytes)
        for c in spans.indices { spans[c] = nil }
        do {
            let view = scanner
            try scanner.forEachMember { name, value in
                try view.withName(name, scratch: &nameScratch) { name in
                    let (id, isNew) = names.intern(name)
                    if isNew {
                        guard columns.count < SessionReader.Accumulator.maximumColumns else {
                            throw InputError(
                                file: file, line: line,
                                cause:
                                    "more than \(SessionReader.Accumulator.maximumColumns) columns: this is not a scores file"
                            )
                        }
                        columns.append(String(decoding: name, as: UTF8.self))
                        spans.append(nil)
                    }
                    spans[Int(id)] = value
                }
            }
            guard scanner.atEnd() else { throw scanner.error("unexpected text after the JSON value") }
        } catch let error as JSONSyntaxError {
            throw InputError(file: file, line: line, column: error.offset + 1, cause: "invalid JSON: \(error.cause)")
        }
    }

    /// Calls `body` with the text of cell `column` (a JSON string decoded, anything else as
    /// its JSON text), or nil when it is empty, null or absent.
    package func withCell<R>(_ column: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        if let csv {
            return try csv.withField(column) { try body($0.isEmpty ? nil : $0) }
        }
        guard column < spans.count, let span = spans[column] else { return try body(nil) }
        text.removeAll(keepingCapacity: true)
        let present: Bool
        do throws(JSONSyntaxError) {
            present = try scanner.appendText(of: span, to: &text)
        } catch {
            throw InputError(
                file: file, line: line, column: error.offset + 1, cause: "column \"\(columns[column])\": \(error.cause)"
            )
        }
        guard present, !text.isEmpty else { return try body(nil) }
        return try text.withUnsafeBytes { try body($0) }
    }
}
