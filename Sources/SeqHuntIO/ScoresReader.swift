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
                        var row = [String?](repeating: nil, count: columns.count)
                        var scanner = JSONScanner(line)
                        var text: [UInt8] = []
                        do {
                            let view = scanner
                            try scanner.forEachMember { name, cell in
                                text.removeAll(keepingCapacity: true)
                                try view.decodeString(name, into: &text)
                                let key = String(decoding: text, as: UTF8.self)
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
                    }
                }
            }
        }
        if csv && header == nil { throw InputError(file: source.name, line: 1, cause: "the file is empty") }
        return Table(columns: columns, rows: rows.map { $0 + [String?](repeating: nil, count: columns.count - $0.count) })
    }
}
