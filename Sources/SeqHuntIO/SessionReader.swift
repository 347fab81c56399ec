import SeqHunt

/// Reads SPEC 7 "sessions in" files: JSON Lines or CSV with `cmds` (a JSON array of
/// command names), optional `params` (a JSON array whose items are
/// `{"<Operation>": [{"Name": ..., "Value": ...}, ...]}`, or `{"<Operation>": {name: value}}`)
/// and any other columns (key columns, `begin`, `end`), which are kept as text.
///
/// Bad input throws ``InputError`` naming the file, the line and the cause.
public enum SessionReader {
    /// The input formats.
    public enum Format: Sendable { case jsonLines, csv }

    /// The format of `path`: by extension, else by the first non-blank byte.
    public static func format(of path: String, bytes: UnsafeBufferPointer<UInt8>) -> Format {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") { return .jsonLines }
        for b in bytes where !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D) { return b == UInt8(ascii: "{") ? .jsonLines : .csv }
        return .csv
    }

    /// Reads every file in order into one table.
    public static func read(paths: [String]) throws -> SessionTable {
        var reader = Accumulator()
        for path in paths {
            let bytes = try FileBytes.read(path)
            try bytes.withUnsafeBufferPointer { buffer in
                try reader.read(buffer, file: path)
            }
        }
        return reader.finish()
    }

    /// Reads sessions from in-memory bytes (as if from file `file`).
    public static func read(bytes: [UInt8], file: String) throws -> SessionTable {
        var reader = Accumulator()
        try bytes.withUnsafeBufferPointer { try reader.read($0, file: file) }
        return reader.finish()
    }

    /// Sessions accumulated over several inputs.
    struct Accumulator {
        var builder = SessionStore.Builder()
        var table = SessionTable()
        var columnIndex: [String: Int] = [:]

        mutating func finish() -> SessionTable {
            table.store = builder.build()
            return table
        }

        mutating func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws {
            guard !bytes.isEmpty else { throw InputError(file: file, line: 1, cause: "the file is empty") }
            switch SessionReader.format(of: file, bytes: bytes) {
            case .jsonLines: try readJSONLines(bytes, file: file)
            case .csv: try readCSV(bytes, file: file)
            }
        }

        mutating func column(_ name: String) -> Int {
            if let i = columnIndex[name] { return i }
            columnIndex[name] = table.columns.count
            table.columns.append(name)
            return table.columns.count - 1
        }

        mutating func readJSONLines(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws {
            var line = 0
            var start = 0
            var sawRecord = false
            if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
            while start < bytes.count {
                line += 1
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                let lineBytes = UnsafeBufferPointer(rebasing: bytes[start..<end])
                start = end + 1
                if lineBytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                let value: JSONValue
                do {
                    value = try JSONParser.parse(UnsafeRawBufferPointer(lineBytes))
                } catch {
                    throw InputError(file: file, line: line, column: error.offset + 1, cause: "invalid JSON: \(error.cause)")
                }
                guard case .object(let members) = value else {
                    throw InputError(file: file, line: line, cause: "expected a JSON object per line")
                }
                var fields: [(String, JSONValue)] = []
                fields.reserveCapacity(members.count)
                for (name, value) in members {
                    if let i = fields.firstIndex(where: { $0.0 == name }) { fields[i].1 = value } else { fields.append((name, value)) }
                }
                try addSession(fields: fields, file: file, line: line)
                sawRecord = true
            }
            if !sawRecord { throw InputError(file: file, line: 1, cause: "no sessions in the file") }
        }

        mutating func readCSV(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws {
            var scanner = CSVScanner(bytes: bytes, file: file)
            guard let header = try scanner.nextRecord() else { throw InputError(file: file, line: 1, cause: "the file is empty") }
            guard header.contains("cmds") else {
                throw InputError(file: file, line: scanner.recordLine,
                                 cause: "missing column \"cmds\" (columns: \(header.joined(separator: ", ")))")
            }
            var sawRecord = false
            while let record = try scanner.nextRecord() {
                let line = scanner.recordLine
                guard record.count == header.count else {
                    throw InputError(file: file, line: line, cause: "\(record.count) fields where the header has \(header.count)")
                }
                var fields: [(String, JSONValue)] = []
                for (name, text) in zip(header, record) {
                    if name == "cmds" || name == "params" {
                        if name == "params" && text.isEmpty { continue }
                        do {
                            fields.append((name, try JSONParser.parse(text)))
                        } catch {
                            throw InputError(file: file, line: line, cause: "invalid JSON in column \"\(name)\": \(error.cause)")
                        }
                    } else {
                        fields.append((name, .string(text)))
                    }
                }
                try addSession(fields: fields, file: file, line: line)
                sawRecord = true
            }
            if !sawRecord { throw InputError(file: file, line: scanner.recordLine + 1, cause: "no sessions in the file") }
        }

        mutating func addSession(fields: [(String, JSONValue)], file: String, line: Int) throws {
            func fail(_ cause: String) -> InputError { InputError(file: file, line: line, cause: cause) }
            guard let cmdsValue = fields.first(where: { $0.0 == "cmds" })?.1 else { throw fail("missing column \"cmds\"") }
            guard case .array(let cmds) = cmdsValue else { throw fail("\"cmds\" is not a JSON array") }
            guard !cmds.isEmpty else { throw fail("empty session: \"cmds\" holds no command") }
            var params: [JSONValue]? = nil
            if let paramsValue = fields.first(where: { $0.0 == "params" })?.1, paramsValue != .null {
                guard case .array(let items) = paramsValue else { throw fail("\"params\" is not a JSON array") }
                guard items.count == cmds.count else {
                    throw fail("\"cmds\" has \(cmds.count) commands but \"params\" has \(items.count) entries")
                }
                params = items
            }
            for (i, command) in cmds.enumerated() {
                guard case .string(let name) = command else { throw fail("command \(i + 1) in \"cmds\" is not a string") }
                builder.beginEvent(command: name)
                guard let params else { continue }
                for (parameter, value) in try Self.parameters(of: params[i], index: i, fail: fail) {
                    try builder.addParameter(parameter, value: value)
                }
            }
            try builder.endSession()
            var row = [String?](repeating: nil, count: table.columns.count)
            for (name, value) in fields where name != "cmds" && name != "params" {
                let c = column(name)
                if c >= row.count { row.append(contentsOf: repeatElement(nil, count: c + 1 - row.count)) }
                row[c] = ParameterValue.text(of: value)
            }
            table.rows.append(row)
            table.sources.append((file, line))
        }

        /// The (name, value) parameters of one `params` item.
        static func parameters(of item: JSONValue, index: Int,
                               fail: (String) -> InputError) throws -> [(String, String?)] {
            var body = item
            if case .object(let members) = item {
                guard members.count == 1 else {
                    throw fail("params entry \(index + 1) should be {\"<Operation>\": [...]}, found \(members.count) members")
                }
                body = members[0].1
            }
            return try ParameterValue.pairs(of: body, fail: { fail("params entry \(index + 1): \($0)") })
        }
    }
}

/// How parameter values become strings (SPEC 7).
public enum ParameterValue {
    /// The value's text: a string as is, `null` as `nil`, anything else as compact JSON text.
    public static func text(of value: JSONValue) -> String? {
        switch value {
        case .null: return nil
        case .string(let s): return s
        default: return value.compactText
        }
    }

    /// The (name, value) pairs of a `Parameters` value: an array of `{"Name": ..., "Value": ...}`
    /// objects, or an object `{name: value}`.
    public static func pairs(of value: JSONValue, fail: (String) -> InputError) throws -> [(String, String?)] {
        switch value {
        case .null:
            return []
        case .array(let items):
            return try items.enumerated().map { i, item in
                guard case .object = item, case .string(let name)? = item["Name"] else {
                    throw fail("parameter \(i + 1) has no string \"Name\"")
                }
                return (name, item["Value"].flatMap(text(of:)))
            }
        case .object(let members):
            return members.map { ($0.0, text(of: $0.1)) }
        default:
            throw fail("parameters should be an array of {\"Name\", \"Value\"} objects or an object")
        }
    }
}
