import SeqHunt

/// Reads sessions files: JSON Lines, CSV or JSON documents of records with a commands
/// column (`cmds`: a JSON array of command names), an optional parameters column
/// (`params`: a JSON array whose items are `{"<Operation>": [{"Name": ..., "Value": ...}, ...]}`
/// or `{"<Operation>": {name: value}}`) and any other columns (key columns, `begin`,
/// `end`), which are kept as text; see ``SessionColumns`` for other names.
///
/// Inputs stream through ``ByteSource`` and ``RecordBlocks`` like event logs: each is
/// opened and read once. Bad input throws ``InputError`` naming the file, the line and
/// the cause.
public enum SessionReader {
    /// Reads every file (`-`: standard input) in order into one table.
    public static func read(paths: [String], columns: SessionColumns = SessionColumns()) throws -> SessionTable {
        var reader = Accumulator(columns: columns)
        for path in paths {
            let source = try ByteSource(path: path)
            let head = try InputHead.inspect(source, schema: EventSchema(), sessions: columns)
            try reader.read(source, head: head)
        }
        return reader.finish()
    }

    /// Reads sessions from in-memory bytes (as if from file `file`).
    public static func read(bytes: [UInt8], file: String) throws -> SessionTable {
        var reader = Accumulator(columns: SessionColumns())
        let source = try ByteSource(bytes: bytes, name: file)
        try reader.read(source, head: InputHead.inspect(source, schema: EventSchema(), sessions: SessionColumns()))
        return reader.finish()
    }

    /// Sessions accumulated over several inputs.
    struct Accumulator {
        let columns: SessionColumns
        var builder = SessionStore.Builder()
        var table = SessionTable()
        var columnIndex: [String: Int] = [:]
        /// Per descriptive column: whether every value so far was a JSON number.
        var allNumbers: [Bool] = []

        init(columns: SessionColumns) { self.columns = columns }

        mutating func finish() -> SessionTable {
            table.store = builder.build()
            table.numericColumns = Set(table.columns.indices.filter { allNumbers[$0] }.map { table.columns[$0] })
            return table
        }

        /// Reads one input whose head says it holds sessions (or nothing).
        mutating func read(_ source: ByteSource, head: InputHead) throws {
            let csv: Bool
            switch head.format {
            case .empty: return
            case .csv: csv = true
            case .jsonLines: csv = false
            case .jsonRecords(let layout):
                source.unwrapRecords(layout)
                csv = false
            }
            guard head.kind == nil || head.kind == .sessions else {
                throw InputError(file: source.name, line: 1, cause: "holds events, not sessions")
            }
            let commands = head.commandsColumn ?? columns.commands ?? "cmds"
            let blocks = RecordBlocks(source: source, quoteAware: csv)
            var header: [String]? = nil
            while let pieces = try blocks.next(blockSize: 16 << 20, pieces: 1) {
                for piece in pieces {
                    let bytes = UnsafeRawBufferPointer(rebasing: blocks.bytes[piece.range])
                    if csv {
                        let reader = CSVRecordReader(stream: ByteStream(borrowing: bytes, path: source.name), firstLine: piece.firstLine)
                        if header == nil {
                            guard let names = try reader.nextStrings() else { continue }
                            header = names
                        }
                        while let record = try reader.nextStrings() {
                            try addCSVRecord(record, header: header!, commands: commands, file: source.name, line: reader.recordLine)
                        }
                    } else {
                        try JSONLines.forEachLine(in: bytes, firstLine: piece.firstLine) { line, number in
                            try addJSONLine(line, commands: commands, file: source.name, line: number)
                        }
                    }
                }
            }
        }

        mutating func column(_ name: String) -> Int {
            if let i = columnIndex[name] { return i }
            columnIndex[name] = table.columns.count
            table.columns.append(name)
            allNumbers.append(true)
            return table.columns.count - 1
        }

        mutating func addJSONLine(_ bytes: UnsafeRawBufferPointer, commands: String, file: String, line: Int) throws {
            let value: JSONValue
            do {
                value = try JSONParser.parse(bytes)
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
            try addSession(fields: fields, commands: commands, file: file, line: line)
        }

        mutating func addCSVRecord(_ record: [String], header: [String], commands: String, file: String, line: Int) throws {
            guard record.count == header.count else {
                throw InputError(file: file, line: line, cause: "\(record.count) fields where the header has \(header.count)")
            }
            let parameters = columns.parametersName
            var fields: [(String, JSONValue)] = []
            for (name, text) in zip(header, record) {
                if name == commands || name == parameters {
                    if name == parameters && text.isEmpty { continue }
                    do {
                        fields.append((name, try JSONParser.parse(text)))
                    } catch {
                        if let cause = Self.pythonListCause(text, column: name) { throw InputError(file: file, line: line, cause: cause) }
                        throw InputError(file: file, line: line, cause: "invalid JSON in column \"\(name)\": \(error.cause)")
                    }
                } else {
                    // CSV has no types: the session statistics are numbers when they read as numbers.
                    let numeric = Self.statisticColumns.contains(name) && JSONText.isNumber(text)
                    fields.append((name, numeric ? .number(text) : .string(text)))
                }
            }
            try addSession(fields: fields, commands: commands, file: file, line: line)
        }

        /// The columns of sessions that hold counts and durations.
        static let statisticColumns: Set<String> = ["duration", "nCmds", "nDistinctCmds", "number_events"]

        /// The message for a list cell written as a Python list (`DataFrame.to_csv` of a
        /// column of lists), or nil when the cell is not one.
        static func pythonListCause(_ text: String, column: String) -> String? {
            let trimmed = text.drop { $0 == " " }
            guard trimmed.hasPrefix("['") || trimmed.hasPrefix("[\"") || trimmed.hasPrefix("[Cmd(") || trimmed.hasPrefix("[(") else { return nil }
            return "column \"\(column)\" holds a Python list (\(String(text.prefix(30)))...), as DataFrame.to_csv writes lists: "
                + "write the sessions with df.to_json(\"sessions.jsonl\", orient=\"records\", lines=True) instead"
        }

        mutating func addSession(fields: [(String, JSONValue)], commands: String, file: String, line: Int) throws {
            func fail(_ cause: String) -> InputError { InputError(file: file, line: line, cause: cause) }
            let parameters = columns.parametersName
            guard let cmdsValue = fields.first(where: { $0.0 == commands })?.1 else { throw fail("missing column \"\(commands)\"") }
            guard case .array(let cmds) = cmdsValue else {
                if case .string(let text) = cmdsValue, let cause = Self.pythonListCause(text, column: commands) { throw fail(cause) }
                throw fail("\"\(commands)\" is not a JSON array")
            }
            guard !cmds.isEmpty else { throw fail("empty session: \"\(commands)\" holds no command") }
            var params: [JSONValue]? = nil
            if let paramsValue = fields.first(where: { $0.0 == parameters })?.1, paramsValue != .null {
                guard case .array(let items) = paramsValue else { throw fail("\"\(parameters)\" is not a JSON array") }
                guard items.count == cmds.count else {
                    throw fail("\"\(commands)\" has \(cmds.count) commands but \"\(parameters)\" has \(items.count) entries")
                }
                params = items
            }
            for (i, command) in cmds.enumerated() {
                guard case .string(let name) = command else { throw fail("command \(i + 1) in \"\(commands)\" is not a string") }
                builder.beginEvent(command: name)
                guard let params else { continue }
                for (parameter, value) in try Self.parameters(of: params[i], index: i, fail: fail) {
                    try builder.addParameter(parameter, value: value)
                }
            }
            try builder.endSession()
            var row = [String?](repeating: nil, count: table.columns.count)
            for (name, value) in fields where name != commands && name != parameters {
                let c = column(name)
                if c >= row.count { row.append(contentsOf: repeatElement(nil, count: c + 1 - row.count)) }
                row[c] = ParameterValue.text(of: value)
                switch value {
                case .number, .null: break
                default: allNumbers[c] = false
                }
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

/// How parameter values become text: a string as it is, `null` as no value, anything
/// else as its canonical compact JSON text — the same text the event reader makes of the
/// same value, so that a model trained on events knows the values of a sessions file.
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
