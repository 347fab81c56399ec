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
            rows.append(
                try (0..<row.columns.count).map { c in
                    try row.withCell(c) { $0.map { String(decoding: $0, as: UTF8.self) } }
                })
        }
        return Table(
            columns: columns, rows: rows.map { $0 + [String?](repeating: nil, count: columns.count - $0.count) })
    }

    /// Calls `body` with each row in order, and returns the column names.
    /// - Throws: `InputError` naming the file and line of a malformed row.
    package static func forEachRow(path: String, _ body: (ScoresRow) throws -> Void) throws -> [String] {
        let source = try ByteSource(path: path)
        let first = try source.peek(atLeast: 1 << 16)
        let format = try InputFormat.detect(head: first, name: source.name, path: path, columns: [])
        guard let blocks = RecordBlocks(source: source, format: format) else {
            throw InputError(file: source.name, line: 1, cause: "the file is empty")
        }
        let row = ScoresRow(file: source.name)
        let header = try blocks.forEachRecord(
            csv: { records, header in
                guard records.fieldCount == header.count else {
                    throw InputError(
                        file: source.name, line: records.recordLine,
                        cause: "\(records.fieldCount) fields where the header has \(header.count)")
                }
                if row.columns.isEmpty { row.columns = header }
                row.csv = records
                try body(row)
            },
            json: { line, number in
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
