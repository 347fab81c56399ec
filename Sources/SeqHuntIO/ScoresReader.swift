/// Reads a scores file that `seqhunt score` or `seqhunt run` wrote (CSV or JSON
/// Lines) back as rows of named text cells, for plotting.
public enum ScoresReader {
    /// The rows of a scores file: column names and, per row, its cells (`nil` for null or empty).
    public struct Table: Sendable {
        public var columns: [String]
        public var rows: [[String?]]

        /// The index of `name`, if present.
        public func column(_ name: String) -> Int? { columns.firstIndex(of: name) }
    }

    public static func read(path: String) throws -> Table {
        let bytes = try FileBytes.read(path)
        guard !bytes.isEmpty else { throw InputError(file: path, line: 1, cause: "the file is empty") }
        return try bytes.withUnsafeBufferPointer { buffer in
            switch SessionReader.format(of: path, bytes: buffer) {
            case .csv:
                var scanner = CSVScanner(bytes: buffer, file: path)
                guard let header = try scanner.nextRecord() else { throw InputError(file: path, line: 1, cause: "the file is empty") }
                var rows: [[String?]] = []
                while let record = try scanner.nextRecord() {
                    guard record.count == header.count else {
                        throw InputError(file: path, line: scanner.recordLine, cause: "\(record.count) fields where the header has \(header.count)")
                    }
                    rows.append(record.map { $0.isEmpty ? nil : $0 })
                }
                return Table(columns: header, rows: rows)
            case .jsonLines:
                var columns: [String] = [], index: [String: Int] = [:]
                var rows: [[String?]] = []
                var line = 0
                for chunk in buffer.split(separator: 0x0A, omittingEmptySubsequences: false) {
                    line += 1
                    guard chunk.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { continue }
                    let value: JSONValue
                    do throws(JSONParser.SyntaxError) {
                        value = try JSONParser.parse(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: chunk)))
                    } catch {
                        throw InputError(file: path, line: line, column: error.offset + 1, cause: "invalid JSON: \(error.cause)")
                    }
                    guard case .object(let members) = value else { throw InputError(file: path, line: line, cause: "expected a JSON object per line") }
                    var row = [String?](repeating: nil, count: columns.count)
                    for (name, cell) in members {
                        let c = index[name] ?? { index[name] = columns.count; columns.append(name); row.append(nil); return columns.count - 1 }()
                        if c >= row.count { row.append(contentsOf: repeatElement(nil, count: c + 1 - row.count)) }
                        switch cell {
                        case .null: row[c] = nil
                        case .string(let s): row[c] = s
                        default: row[c] = cell.compactText
                        }
                    }
                    rows.append(row)
                }
                return Table(columns: columns, rows: rows.map { $0 + [String?](repeating: nil, count: columns.count - $0.count) })
            }
        }
    }
}
