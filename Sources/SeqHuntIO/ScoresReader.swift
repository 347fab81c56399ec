/// Reads a scores file that `seqhunt score` or `seqhunt run` wrote (CSV or JSON Lines,
/// from a file or standard input) back as rows of named text cells, for plotting.
public enum ScoresReader {
    /// The rows of a scores file: column names and, per row, its cells (`nil` for null or empty).
    public struct Table: Sendable {
        public var columns: [String]
        public var rows: [[String?]]

        /// The index of `name`, if present.
        public func column(_ name: String) -> Int? { columns.firstIndex(of: name) }
    }

    public static func read(path: String) throws -> Table {
        let source = try ByteSource(path: path)
        let first = try source.peek(atLeast: 1 << 16)
        let format = try InputFormat.detect(head: first, name: source.name, path: path, columns: [])
        guard let blocks = RecordBlocks(source: source, format: format) else {
            throw InputError(file: source.name, line: 1, cause: "the file is empty")
        }
        var columns: [String] = [], index: [String: Int] = [:]
        var rows: [[String?]] = []
        let header = try blocks.forEachRecord(csv: { record, header, line in
            guard record.count == header.count else {
                throw InputError(file: source.name, line: line, cause: "\(record.count) fields where the header has \(header.count)")
            }
            rows.append(record.map { $0.isEmpty ? nil : $0 })
        }, json: { line, number in
            var row = [String?](repeating: nil, count: columns.count)
            var scanner = JSONScanner(line)
            var text: [UInt8] = []
            do {
                let view = scanner
                try scanner.forEachMember { name, cell in
                    text.removeAll(keepingCapacity: true)
                    try view.decodeString(name, into: &text)
                    let key = String(decoding: text, as: UTF8.self)
                    guard index[key] != nil || columns.count < SessionReader.Accumulator.maximumColumns else {
                    throw InputError(file: source.name, line: number, cause: "more than \(SessionReader.Accumulator.maximumColumns) columns: this is not a scores file")
                }
                let c = index[key] ?? { index[key] = columns.count; columns.append(key); return columns.count - 1 }()
                    if c >= row.count { row.append(contentsOf: repeatElement(nil, count: c + 1 - row.count)) }
                    text.removeAll(keepingCapacity: true)
                    row[c] = try view.appendText(of: cell, to: &text) ? String(decoding: text, as: UTF8.self) : nil
                }
                guard scanner.atEnd() else { throw scanner.error("unexpected text after the JSON value") }
            } catch let error as JSONParser.SyntaxError {
                throw InputError(file: source.name, line: number, column: error.offset + 1, cause: "invalid JSON: \(error.cause)")
            }
            rows.append(row)
        })
        if blocks.quoteAware {
            guard let header else { throw InputError(file: source.name, line: 1, cause: "the file is empty") }
            columns = header
        }
        return Table(columns: columns, rows: rows.map { $0 + [String?](repeating: nil, count: columns.count - $0.count) })
    }
}
