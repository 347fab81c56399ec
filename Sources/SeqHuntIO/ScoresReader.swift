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
        let csv: Bool
        switch format {
        case .empty: throw InputError(file: source.name, line: 1, cause: "the file is empty")
        case .csv: csv = true
        case .jsonLines: csv = false
        case .jsonRecords(let layout):
            source.unwrapRecords(layout)
            csv = false
        }
        var columns: [String] = [], index: [String: Int] = [:]
        var rows: [[String?]] = []
        var header: [String]? = nil
        let blocks = RecordBlocks(source: source, quoteAware: csv)
        while let pieces = try blocks.next(blockSize: 16 << 20, pieces: 1) {
            for piece in pieces {
                let bytes = UnsafeRawBufferPointer(rebasing: blocks.bytes[piece.range])
                if csv {
                    let reader = CSVRecordReader(stream: ByteStream(borrowing: bytes, path: source.name), firstLine: piece.firstLine)
                    if header == nil {
                        guard let names = try reader.nextStrings() else { continue }
                        header = names
                        columns = names
                    }
                    while let record = try reader.nextStrings() {
                        guard record.count == columns.count else {
                            throw InputError(file: source.name, line: reader.recordLine,
                                             cause: "\(record.count) fields where the header has \(columns.count)")
                        }
                        rows.append(record.map { $0.isEmpty ? nil : $0 })
                    }
                } else {
                    try JSONLines.forEachLine(in: bytes, firstLine: piece.firstLine) { line, number in
                        let value: JSONValue
                        do throws(JSONParser.SyntaxError) {
                            value = try JSONParser.parse(line)
                        } catch {
                            throw InputError(file: source.name, line: number, column: error.offset + 1, cause: "invalid JSON: \(error.cause)")
                        }
                        guard case .object(let members) = value else {
                            throw InputError(file: source.name, line: number, cause: "expected a JSON object per line")
                        }
                        var row = [String?](repeating: nil, count: columns.count)
                        for (name, cell) in members {
                            let c = index[name] ?? { index[name] = columns.count; columns.append(name); return columns.count - 1 }()
                            if c >= row.count { row.append(contentsOf: repeatElement(nil, count: c + 1 - row.count)) }
                            row[c] = ParameterValue.text(of: cell)
                        }
                        rows.append(row)
                    }
                }
            }
        }
        if csv && header == nil { throw InputError(file: source.name, line: 1, cause: "the file is empty") }
        return Table(columns: columns, rows: rows.map { $0 + [String?](repeating: nil, count: columns.count - $0.count) })
    }
}
