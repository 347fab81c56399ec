import SeqHunt
import SeqHuntFormats
import SeqHuntSupport

/// Reads sessions files: JSON Lines, CSV or JSON documents of records with a commands
/// column (`cmds`: a JSON array of command names), an optional parameters column
/// (`params`: a JSON array whose items are `{"<Operation>": [{"Name": ..., "Value": ...}, ...]}`
/// or `{"<Operation>": {name: value}}`) and any other columns (key columns, `begin`,
/// `end`), which are kept as text; see ``SessionColumns`` for other names.
///
/// Inputs stream through `ByteSource` and `RecordBlocks` like event logs: each is
/// opened and read once. Bad input throws `InputError` naming the file, the line and
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
        /// The descriptive columns' names, interned: a member's column is found in O(1),
        /// without a `String`, however many members a record has.
        var columnNames = ByteInterner(capacity: 64)
        /// Per column, the record that last gave it a cell, and that cell's index (repeated
        /// members: the last one wins).
        var cellStamp: [Int] = []
        var cellIndex: [Int] = []
        var recordSerial = 0
        /// Per descriptive column: whether every value so far was a JSON number.
        var allNumbers: [Bool] = []
        var parameterParser = ParameterParser()
        // Scratch, reused for every record.
        var cells: [(column: Int, span: JSONScanner.Span)] = []
        var commandSpans: [JSONScanner.Span] = []
        var parameterSpans: [JSONScanner.Span] = []
        var scratch = OutputBuffer(capacity: 1024)
        /// The commands and parameters column names as bytes (set at the first record).
        var nameBytes: (commands: [UInt8], parameters: [UInt8]) = ([], [])

        init(columns: SessionColumns) { self.columns = columns }

        mutating func finish() -> SessionTable {
            table.store = builder.build()
            table.numericColumns = Set(table.columns.indices.filter { allNumbers[$0] }.map { table.columns[$0] })
            return table
        }

        /// Reads one input whose head says it holds sessions (or nothing), on `threads`
        /// workers (nil: every core).
        mutating func read(_ source: ByteSource, head: InputHead, threads: Int? = nil) throws {
            guard head.kind == nil || head.kind == .sessions else {
                throw InputError(file: source.name, line: 1, cause: "holds events, not sessions")
            }
            guard let blocks = RecordBlocks(source: source, format: head.format) else { return }
            let names = (
                commands: head.commandsColumn ?? columns.commands ?? "cmds", parameters: columns.parametersName
            )
            if blocks.quoteAware {
                try blocks.forEachRecord(
                    csv: { records, header in
                        try addCSVRecord(
                            records.strings(), header: header, names: names, file: source.name, line: records.recordLine
                        )
                    }, json: { _, _ in })
                return
            }
            // JSON Lines: the pieces of each block are parsed on every core, each into its own
            // accumulator, and absorbed in input order (the same table, and the same first
            // error, as one worker reading them in turn).
            let workers = Parallel.workers(threads)
            let file = source.name, columns = self.columns
            var absorber = OrderedAbsorber<Accumulator, Accumulator>(
                empty: { Accumulator(columns: columns) },
                absorb: { accumulator, piece in try accumulator.absorb(piece, file: file) })
            do {
                while let pieces = try blocks.next(blockSize: 48 << 20, pieces: 2 * workers) {
                    let shared = SharedBytes(blocks.bytes)
                    let parsed = Parallel.map(pieces.count, workers: workers) { i in
                        var piece = Accumulator(columns: columns)
                        try JSONLines.forEachLine(
                            in: UnsafeRawBufferPointer(rebasing: shared.bytes[pieces[i].range]),
                            firstLine: pieces[i].firstLine
                        ) { line, number in
                            try piece.addJSONRecord(line, names: names, file: file, line: number)
                        }
                        return piece
                    }
                    try absorber.absorb(parsed, into: &self)
                }
                try absorber.join(into: &self)
            } catch {
                // An error in a block still being absorbed comes first in the input.
                try absorber.join(into: &self)
                throw error
            }
        }

        /// Takes over the sessions, rows and columns of a worker's accumulator.
        mutating func absorb(_ piece: Accumulator, file: String) throws {
            var columnMap: [Int] = []
            for name in piece.table.columns {
                do {
                    columnMap.append(try Array(name.utf8).withUnsafeBytes { try column($0) })
                } catch let error as RowError {
                    throw InputError(file: file, line: piece.table.sources.first?.line ?? 1, cause: error.detail)
                }
            }
            for (c, numbers) in piece.allNumbers.enumerated() where !numbers { allNumbers[columnMap[c]] = false }
            try builder.append(sessionsOf: piece.builder.build())
            for (c, to) in columnMap.enumerated() {
                table.cells.append(column: c, of: piece.table.cells, to: to, sessionOffset: table.sources.count)
            }
            table.sources.append(contentsOf: piece.table.sources)
        }

        /// The most descriptive columns a sessions file may have. The seed query's export has
        /// eight; a record with thousands of members is not a session, and every row would
        /// carry a cell for each.
        static let maximumColumns = 1_024

        /// The index of the descriptive column named `name`, added when new.
        mutating func column(_ name: UnsafeRawBufferPointer) throws -> Int {
            let (id, isNew) = columnNames.intern(name)
            if isNew {
                guard table.columns.count < Self.maximumColumns else {
                    throw RowError(
                        cause: "too many columns",
                        detail: "more than \(Self.maximumColumns) columns: this is not a sessions file")
                }
                table.columns.append(String(decoding: name, as: UTF8.self))
                table.cells.addTextColumn()
                allNumbers.append(true)
                cellStamp.append(-1)
                cellIndex.append(0)
            }
            return Int(id)
        }

        /// One JSON Lines record.
        mutating func addJSONRecord(
            _ bytes: UnsafeRawBufferPointer, names: (commands: String, parameters: String),
            file: String, line: Int
        ) throws {
            var scanner = JSONScanner(bytes)
            var commands: JSONScanner.Span? = nil, parameters: JSONScanner.Span? = nil
            if nameBytes.commands.isEmpty { nameBytes = (Array(names.commands.utf8), Array(names.parameters.utf8)) }
            let commandsName = nameBytes.commands, parametersName = nameBytes.parameters
            cells.removeAll(keepingCapacity: true)
            recordSerial += 1
            var nameScratch: [UInt8] = []  // grows only for names with escapes
            // The commands and parameters lists are split into items as they are scanned: one
            // pass over them here, one more when their items are read.
            commandSpans.removeAll(keepingCapacity: true)
            parameterSpans.removeAll(keepingCapacity: true)
            do {
                let view = scanner
                try scanner.forEachMember(scanningValues: { nameSpan, valueScanner in
                    try view.withName(nameSpan, scratch: &nameScratch) { name in
                        if name.elementsEqual(commandsName) {
                            commandSpans.removeAll(keepingCapacity: true)  // a repeated member: the last one wins
                            commands =
                                valueScanner.peek() == UInt8(ascii: "[")
                                ? try valueScanner.scanArray(items: &commandSpans, depth: 2)
                                : try valueScanner.scanValue(depth: 1)
                        } else if name.elementsEqual(parametersName) {
                            parameterSpans.removeAll(keepingCapacity: true)
                            parameters =
                                valueScanner.peek() == UInt8(ascii: "[")
                                ? try valueScanner.scanArray(items: &parameterSpans, depth: 2)
                                : try valueScanner.scanValue(depth: 1)
                        } else {
                            let value = try valueScanner.scanValue(depth: 1)
                            guard UTF8Validation.isValidFast(name) else {
                                throw JSONSyntaxError(
                                    offset: nameSpan.start, cause: "invalid UTF-8 in a member name")
                            }
                            let c = try column(name)
                            // A repeated member: the last one wins.
                            if cellStamp[c] == recordSerial {
                                cells[cellIndex[c]].span = value
                            } else {
                                cellStamp[c] = recordSerial
                                cellIndex[c] = cells.count
                                cells.append((c, value))
                            }
                        }
                    }
                })
                guard scanner.atEnd() else { throw scanner.error("unexpected text after the JSON value") }
            } catch let error as JSONSyntaxError {
                throw InputError(
                    file: file, line: line, column: error.offset + 1, cause: "invalid JSON: \(error.cause)")
            } catch let error as RowError {
                throw InputError(file: file, line: line, cause: error.detail)
            }
            func fail(_ cause: String) -> InputError { InputError(file: file, line: line, cause: cause) }
            guard let commands else { throw fail("missing column \"\(names.commands)\"") }
            if commands.kind == .string {
                var text: [UInt8] = []
                _ = try? scanner.appendText(of: commands, to: &text)
                if let cause = Self.pythonListCause(String(decoding: text, as: UTF8.self), column: names.commands) {
                    throw fail(cause)
                }
            }
            try addSession(
                commands: (scanner, commands), parameters: parameters.map { (scanner, $0) }, itemsScanned: true,
                names: names, fail: fail)
            // A cell for each column the record has: a column that one record has costs the others nothing.
            let session = table.sources.count
            for (c, span) in cells {
                scratch.removeAll()
                do throws(JSONSyntaxError) {
                    if try scanner.appendText(of: span, to: &scratch) {
                        table.cells.append(scratch.bytes, column: c, session: session)
                    }
                } catch {
                    throw InputError(
                        file: file, line: line, column: error.offset + 1,
                        cause: "column \"\(table.columns[c])\": \(error.cause)")
                }
                if span.kind != .number && span.kind != .null { allNumbers[c] = false }
            }
            table.sources.append((file, line))
        }

        /// One CSV record: the list columns hold JSON text, the others plain text.
        mutating func addCSVRecord(
            _ record: [String], header: [String], names: (commands: String, parameters: String),
            file: String, line: Int
        ) throws {
            guard record.count == header.count else {
                throw InputError(
                    file: file, line: line, cause: "\(record.count) fields where the header has \(header.count)")
            }
            func fail(_ cause: String) -> InputError { InputError(file: file, line: line, cause: cause) }
            guard let commandsAt = header.firstIndex(of: names.commands) else {
                throw fail("missing column \"\(names.commands)\"")
            }
            let parametersAt = header.firstIndex(of: names.parameters).flatMap { record[$0].isEmpty ? nil : $0 }
            // Each list cell is scanned as a JSON value of its own.
            func scanned(_ index: Int, _ body: ((JSONScanner, JSONScanner.Span)) throws -> Void) throws {
                var text = record[index]
                try text.withUTF8 { utf8 in
                    var scanner = JSONScanner(UnsafeRawBufferPointer(utf8))
                    let span: JSONScanner.Span
                    do {
                        span = try scanner.scanValue()
                        guard scanner.atEnd() else { throw scanner.error("unexpected text after the JSON value") }
                    } catch let error as JSONSyntaxError {
                        if let cause = Self.pythonListCause(record[index], column: header[index]) { throw fail(cause) }
                        throw fail("invalid JSON in column \"\(header[index])\": \(error.cause)")
                    }
                    try body((scanner, span))
                }
            }
            try scanned(commandsAt) { commands in
                if let parametersAt {
                    try scanned(parametersAt) { parameters in
                        try addSession(
                            commands: commands, parameters: parameters, itemsScanned: false, names: names, fail: fail)
                    }
                } else {
                    try addSession(commands: commands, parameters: nil, itemsScanned: false, names: names, fail: fail)
                }
            }
            let session = table.sources.count
            var columnOfField: [Int?] = []
            for (index, name) in header.enumerated() {
                guard index != commandsAt && name != names.parameters else {
                    columnOfField.append(nil)
                    continue
                }
                do { columnOfField.append(try column(Array(name.utf8))) } catch let error as RowError {
                    throw fail(error.detail)
                }
            }
            // A repeated column name: the last field wins.
            recordSerial += 1
            for index in header.indices.reversed() {
                guard let c = columnOfField[index], cellStamp[c] != recordSerial else { continue }
                cellStamp[c] = recordSerial
                record[index].withUTF8Bytes { table.cells.append($0, column: c, session: session) }
                // CSV has no types: the session statistics are numbers when they read as numbers.
                if !(Self.statisticColumns.contains(header[index]) && JSONText.isNumber(record[index])) {
                    allNumbers[c] = false
                }
            }
            table.sources.append((file, line))
        }

        mutating func column(_ name: [UInt8]) throws -> Int { try name.withUnsafeBytes { try column($0) } }

        /// The columns of sessions that hold counts and durations.
        static let statisticColumns: Set<String> = ["duration", "nCmds", "nDistinctCmds", "number_events"]

        /// The message for a list cell written as a Python list (`DataFrame.to_csv` of a
        /// column of lists), or nil when the cell is not one.
        static func pythonListCause(_ text: String, column: String) -> String? {
            let trimmed = text.drop { $0 == " " }
            guard
                trimmed.hasPrefix("['") || trimmed.hasPrefix("[\"") || trimmed.hasPrefix("[Cmd(")
                    || trimmed.hasPrefix("[(")
            else { return nil }
            return
                "column \"\(column)\" holds a Python list (\(oneLine(String(text.prefix(30))))...), as DataFrame.to_csv writes lists: "
                + "write the sessions with df.to_json(\"sessions.jsonl\", orient=\"records\", lines=True) instead"
        }

        /// One session from its commands (a JSON array of names) and parameters (a JSON
        /// array with one entry per command: `{"<Operation>": parameters}`, or the parameters).
        /// `itemsScanned`: the caller already put the lists' items in `commandSpans` and
        /// `parameterSpans` (JSON Lines scans them with the record).
        mutating func addSession(
            commands: (scanner: JSONScanner, span: JSONScanner.Span),
            parameters: (scanner: JSONScanner, span: JSONScanner.Span)?, itemsScanned: Bool,
            names: (commands: String, parameters: String), fail: (String) -> InputError
        ) throws {
            guard commands.span.kind == .array else { throw fail("\"\(names.commands)\" is not a JSON array") }
            if !itemsScanned {
                commandSpans.removeAll(keepingCapacity: true)
                var scanner = commands.scanner
                scanner.position = commands.span.start
                try scanner.forEachItem(depth: 2) { commandSpans.append($0) }
            }
            guard !commandSpans.isEmpty else { throw fail("empty session: \"\(names.commands)\" holds no command") }
            if !itemsScanned { parameterSpans.removeAll(keepingCapacity: true) }
            if let parameters, parameters.span.kind != .null {
                guard parameters.span.kind == .array else { throw fail("\"\(names.parameters)\" is not a JSON array") }
                if !itemsScanned {
                    var scanner = parameters.scanner
                    scanner.position = parameters.span.start
                    try scanner.forEachItem(depth: 2) { parameterSpans.append($0) }
                }
                guard parameterSpans.count == commandSpans.count else {
                    throw fail(
                        "\"\(names.commands)\" has \(commandSpans.count) commands but \"\(names.parameters)\" has \(parameterSpans.count) entries"
                    )
                }
            }
            // The parser is taken out while it calls back into this reader. Its buffers are
            // shared by the copy, not copied; only the copy is used until it is put back.
            var parser = parameterParser
            defer { parameterParser = parser }
            for (i, command) in commandSpans.enumerated() {
                guard command.kind == .string else {
                    throw fail("command \(i + 1) in \"\(names.commands)\" is not a string")
                }
                scratch.removeAll()
                do throws(JSONSyntaxError) {
                    try commands.scanner.decodeString(command, into: &scratch)
                } catch {
                    throw fail("command \(i + 1) in \"\(names.commands)\": \(error.cause)")
                }
                builder.beginEvent(uncheckedCommandID: builder.internCommand(bytes: scratch.bytes))
                guard let parameters, !parameterSpans.isEmpty else { continue }
                do {
                    var scanner = parameters.scanner
                    var item = parameterSpans[i]
                    if item.kind == .object {
                        // {"<Operation>": parameters}: one member, whatever its name.
                        scanner.position = item.start
                        var members = 0
                        try scanner.forEachMember { _, value in
                            members += 1
                            item = value
                        }
                        guard members == 1 else {
                            throw fail(
                                "params entry \(i + 1) should be {\"<Operation>\": [...]}, found \(members) members")
                        }
                    }
                    scanner.position = item.start
                    func add(_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws {
                        let parameter = builder.internParameter(bytes: name)
                        var valueID = SessionStore.noValue
                        if let value, !value.isEmpty {
                            valueID = builder.internValue(parameter: parameter, bytes: value)
                        }
                        try builder.addParameter(uncheckedID: parameter, valueID: valueID)
                    }
                    let embedded = try parser.parse(&scanner, add)
                    if let embedded { try embedded.withUnsafeBytes { try parser.parse($0, add) } }
                } catch let error as JSONSyntaxError {
                    throw fail("params entry \(i + 1): \(error.cause)")
                }
            }
            try builder.endSession()
        }
    }
}
