/// Reads a scores file that `seqhunt score` or `seqhunt run` wrote (CSV or JSON Lines,
/// from a file or standard input) back, for plotting.
///
/// `forEachRow(path:_:)` streams it through the same byte path as every input (CSV by
/// its structural index, JSON Lines by the scanner) and hands each row's cells as bytes:
/// nothing is made per cell unless the caller makes it. ``read(path:)`` builds the whole
/// table as text, for small files.
package enum ScoresReader {
    /// The rows of a scores file: column names and, per row, its cells (`nil` for null or empty).
    package struct Table: Sendable {
        package var columns: [String]
        package var rows: [[String?]]

        /// The index of `name`, if present.
        package func column(_ name: String) -> Int? { columns.firstIndex(of: name) }
    }

    /// The whole file as text cells.
    package static func read(path: String) throws -> Table {
        var rows: [[String?]] = []
        let columns = try forEachRow(path: path) { row in
            rows.append(try (0..<row.columns.count).map { c in try row.withCell(c) { $0.map { String(decoding: $0, as: UTF8.self) } } })
        }
        return Table(columns: columns, rows: rows.map { $0 + [String?](repeating: nil, count: columns.count - $0.count) })
    }

    /// Calls `body` with each row in order, and returns the column names.
    /// - Throws: ``InputError`` naming the file and line of a malformed row.
    package static func forEachRow(path: String, _ body: (ScoresRow) throws -> Void) throws -> [String] {
        let source = try ByteSource(path: path)
        let first = try source.peek(atLeast: 1 << 16)
        let format = try InputFormat.detect(head: first, name: source.name, path: path, columns: [])
        guard let blocks = RecordBlocks(source: source, format: format) else {
            throw InputError(file: source.name, line: 1, cause: "the file is empty")
        }
        let row = ScoresRow(file: source.name)
        let header = try blocks.forEachRecord(csv: { records, header in
            guard records.fieldCount == header.count else {
                throw InputError(file: source.name, line: records.recordLine, cause: "\(records.fieldCount) fields where the header has \(header.count)")
            }
            if row.columns.isEmpty { row.columns = header }
            row.csv = records
            try body(row)
        }, json: { line, number in
            try row.scan(line, line: number)
            try body(row)
        })
        if blocks.quoteAware {
            guard let header else { throw InputError(file: source.name, line: 1, cause: "the file is empty") }
            row.columns = header
        }
        return row.columns
    }
}

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
                            throw InputError(file: file, line: line,
                                             cause: "more than \(SessionReader.Accumulator.maximumColumns) columns: this is not a scores file")
                        }
                        columns.append(String(decoding: name, as: UTF8.self))
                        spans.append(nil)
                    }
                    spans[Int(id)] = value
                }
            }
            guard scanner.atEnd() else { throw scanner.error("unexpected text after the JSON value") }
        } catch let error as JSONParser.SyntaxError {
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
        do throws(JSONParser.SyntaxError) {
            present = try scanner.appendText(of: span, to: &text)
        } catch {
            throw InputError(file: file, line: line, column: error.offset + 1, cause: "column \"\(columns[column])\": \(error.cause)")
        }
        guard present, !text.isEmpty else { return try body(nil) }
        return try text.withUnsafeBytes { try body($0) }
    }
}
