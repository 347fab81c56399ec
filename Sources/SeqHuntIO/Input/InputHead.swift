import SeqHuntFormats

/// What the head of an input says: its format, its kind and the columns of its first
/// record (a CSV header, or the member names of the first JSON record).
struct InputHead {
    var format: InputFormat
    /// nil for an input with no record.
    var kind: InputKind?
    var columns: [String]
    /// For sessions: the column that holds the commands.
    var commandsColumn: String?

    /// Looks at the head of `source` (without consuming it).
    /// - Throws: `InputError` for binary input, or a first record with neither a
    ///   commands column (sessions) nor the event column (events).
    static func inspect(_ source: ByteSource, schema: EventSchema, sessions: SessionColumns) throws -> InputHead {
        let first = try source.peek(atLeast: 1 << 16)
        var columnNames = Set(schema.columnNames)
        columnNames.formUnion([sessions.commands, sessions.parameters].compactMap { $0 })
        columnNames.formUnion(["cmds", "params"])
        let format = try InputFormat.detect(head: first, name: source.name, path: source.path, columns: columnNames)
        var head = InputHead(format: format, kind: nil, columns: [])
        switch format {
        case .empty:
            return head
        case .csv:
            guard let names = try firstCSVRecord(source) else { return head }
            head.columns = names
        case .jsonLines, .jsonRecords:
            guard let names = try firstJSONRecord(source, format: format) else { return head }
            head.columns = names
        }
        if head.columns == brokenRecord {
            head.kind = .events
            head.columns = []
            return head
        }
        if let commands = sessions.commandsColumn(in: head.columns, eventColumn: schema.eventColumn) {
            head.kind = .sessions
            head.commandsColumn = commands
        } else if schema.finds(schema.eventColumn, in: head.columns, csv: format == .csv) {
            head.kind = .events
        } else if sessions.commands == nil, ["session_id", "session", "likelihood"].allSatisfy(head.columns.contains) {
            // A scores file that `run` wrote without the wide columns: it names no sessions' parameters.
            throw InputError(
                file: source.name, line: 1,
                cause:
                    "a scores file without the sessions' \"cmds\" and \"params\" columns does not read back as sessions: "
                    + "`seqhunt run --wide-scores` and `seqhunt score` write them; or give the event log that was scored, with the same flags"
            )
        } else {
            let listed = Self.listed(head.columns)
            throw InputError(
                file: source.name, line: 1,
                cause:
                    "missing column \"\(sessions.commands ?? "cmds")\" (sessions) or \"\(schema.eventColumn)\" (events); "
                    + "columns: \(listed.isEmpty ? "none" : listed) (name them with --cmds-col or --event-col)")
        }
        return head
    }

    /// The header of a CSV input, peeking until a whole record is buffered.
    private static func firstCSVRecord(_ source: ByteSource) throws -> [String]? {
        var want = 1 << 16
        while true {
            let bytes = try source.peek(atLeast: want)
            let complete = bytes.count < want || RecordBlocks.firstRecordEnd(in: bytes, quoteAware: true) != nil
            if complete {
                let header = bytes.prefix(RecordBlocks.firstRecordEnd(in: bytes, quoteAware: true) ?? bytes.count)
                let bom = header.starts(with: [0xEF, 0xBB, 0xBF])
                let records = CSVRecordCursor(
                    index: CSVIndex(borrowing: UnsafeRawBufferPointer(rebasing: header)), from: bom ? 3 : 0,
                    to: header.count, firstLine: 1, file: source.name)
                guard try records.next() else { return nil }
                return try (0..<records.fieldCount).map { index in
                    try records.withField(index) { field in
                        guard UTF8Validation.isValidFast(field) else {
                            throw InputError(file: source.name, line: 1, cause: "invalid UTF-8 in the header")
                        }
                        return String(decoding: field, as: UTF8.self)
                    }
                }
            }
            guard want < RecordBlocks.maximumRecordBytes else {
                throw InputError(
                    file: source.name, line: 1,
                    cause: "a header longer than \(RecordBlocks.maximumRecordBytes >> 20) MiB (an unbalanced quote?)")
            }
            want *= 4
        }
    }

    /// What ``firstJSONRecord(_:format:)`` returns for a first record that is not a JSON
    /// object: the event reader then reports the exact syntax error.
    static let brokenRecord = ["\u{0}broken"]

    /// The member names of the first JSON record, peeking until it is buffered whole.
    private static func firstJSONRecord(_ source: ByteSource, format: InputFormat) throws -> [String]? {
        var want = 1 << 16
        while true {
            let bytes = try source.peek(atLeast: want)
            let atEnd = bytes.count < want
            var scanner = JSONScanner(bytes)
            var names: [String] = []
            var seen: Set<String> = []
            var scratch: [UInt8] = []
            do throws(JSONSyntaxError) {
                if scanner.peek() == 0xEF { scanner.position = min(bytes.count, 3) }
                if case .jsonRecords(let layout) = format {
                    // Step into the records array.
                    if case .member = layout {
                        _ = try scanner.enter(UInt8(ascii: "{"), UInt8(ascii: "}"), expected: "expected a JSON object")
                        _ = try scanner.skipMemberName()
                    }
                    guard try scanner.enter(UInt8(ascii: "["), UInt8(ascii: "]"), expected: "expected a JSON array")
                    else { return nil }
                }
                if scanner.atEnd() { return nil }
                guard scanner.peek() == UInt8(ascii: "{") else { return brokenRecord }  // the reader reports it
                guard try scanner.enter(UInt8(ascii: "{"), UInt8(ascii: "}"), expected: "") else { return [] }
                repeat {
                    try scanner.expectMemberName()
                    scratch.removeAll(keepingCapacity: true)
                    try scanner.readString(into: &scratch)
                    try scanner.expectColon()
                    let name = String(decoding: scratch, as: UTF8.self)
                    if seen.insert(name).inserted { names.append(name) }
                    _ = try scanner.scanValue(depth: 1)
                } while try scanner.continues(closing: UInt8(ascii: "}"))
                return names
            } catch {
                // Not buffered whole yet, or broken: read on, or let the reader report it.
                if atEnd || want >= RecordBlocks.maximumRecordBytes { return brokenRecord }
            }
            want *= 4
        }
    }

    /// Column names for a message: quoted, the first 32 of them.
    static func listed(_ names: [String]) -> String {
        let shown = names.prefix(32).map { "\"\($0)\"" }.joined(separator: ", ")
        return names.count > 32 ? shown + " and \(names.count - 32) more" : shown
    }
}
