import SeqHunt

extension SessionTable {
    /// The descriptive columns of sessionized events: the key columns, `begin`, `end`,
    /// `duration` (seconds), `nCmds` and `nDistinctCmds` (SPEC 6).
    /// - Parameter threads: workers for formatting the rows; `nil` uses every core.
    public init(sessionized result: Sessionizer.Result, keyColumns: [String], keyValues: (Int32) -> [String],
                threads: Int? = nil) {
        self.init(store: result.store)
        columns = keyColumns + ["begin", "end", "duration", "nCmds", "nDistinctCmds"]
        // Key values once per key id (ids are dense), then rows formatted in parallel chunks
        // (millions of sessions); worker `w` of `workers` takes chunks w, w + workers, ...
        let maxKey = Int(result.keys.max() ?? -1)
        var keyText = [[String?]?](repeating: nil, count: maxKey + 1)
        for key in result.keys where keyText[Int(key)] == nil { keyText[Int(key)] = keyValues(key).map { $0 } }
        let keyValuesByID = keyText
        let sessions = result.keys.count
        let chunk = 65_536
        let chunks = (sessions + chunk - 1) / chunk
        let workers = max(1, min(chunks, threads ?? Parallel.defaultThreadCount))
        let parts = ParallelSlots<[[String?]]>(count: chunks)
        Parallel.run(chunks: workers) { worker in
            for c in stride(from: worker, to: chunks, by: workers) {
                var part: [[String?]] = []
                part.reserveCapacity(chunk)
                for session in (c * chunk)..<min(sessions, (c + 1) * chunk) {
                    let begin = result.begins[session], end = result.ends[session]
                    var row = keyValuesByID[Int(result.keys[session])]!
                    row.append(TimeParser.isoText(begin))
                    row.append(TimeParser.isoText(end))
                    row.append(Self.secondsText(end - begin))
                    row.append(String(result.store.events(ofSession: session).count))
                    row.append(String(result.distinctCommands[session]))
                    part.append(row)
                }
                parts.set(c, part)
            }
        }
        rows.reserveCapacity(sessions)
        for c in 0..<chunks { rows += parts.take(c) }
        sources = []
    }

    /// Seconds with up to six decimals, trailing zeros dropped (`90`, `1.5`).
    static func secondsText(_ micros: Int64) -> String {
        let whole = micros / 1_000_000, fraction = micros % 1_000_000
        guard fraction != 0 else { return String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        while digits.last == "0" { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}

/// Writes sessions in the SPEC 7 "sessions in" format (JSON Lines or CSV by
/// extension), so that `seqhunt score` and a Kusto export read them alike.
public enum SessionWriter {
    public static func write(_ table: SessionTable, to path: String, inputs: [String] = []) throws {
        let format = try ScoreWriter.format(of: path)
        let writer = try AtomicFileWriter(path: path, inputs: inputs)
        let store = table.store
        let names = table.columns + ["cmds", "params"]
        if format == .csv { try writer.write(bytes: ColumnNames.csvHeader(names)) }
        let commands = EncodedNames(store.commands.allNames)
        let parameters = EncodedNames(store.parameters.allNames)
        let values = EncodedNames(store.values.valueOfPair)
        let keys = ColumnNames.jsonKeys(names)
        try ParallelRows.write(rows: store.sessionCount, to: writer) { range, out in
            var cmds: [UInt8] = [], params: [UInt8] = []
            for session in range {
                cmds.removeAll(keepingCapacity: true)
                params.removeAll(keepingCapacity: true)
                cmds.append(0x5B)
                params.append(0x5B)
                for (i, event) in store.events(ofSession: session).enumerated() {
                    if i > 0 { cmds.append(0x2C); params.append(0x2C) }
                    let command = Int(store.commandIDs[event])
                    commands.append(command, to: &cmds)
                    params.append(0x7B)
                    commands.append(command, to: &params)
                    params.append(ascii: ":[")
                    for (j, occurrence) in store.parameters(ofEvent: event).enumerated() {
                        params.append(ascii: j > 0 ? ",{\"Name\":" : "{\"Name\":")
                        parameters.append(Int(store.parameterIDs[occurrence]), to: &params)
                        params.append(ascii: ",\"Value\":")
                        let v = store.valueIDs[occurrence]
                        if v >= 0 { values.append(Int(v), to: &params) } else { params.append(ascii: "\"\"") }
                        params.append(0x7D)
                    }
                    params.append(ascii: "]}")
                }
                cmds.append(0x5D)
                params.append(0x5D)
                let row = table.rows[session]
                if format == .csv {
                    for c in table.columns.indices {
                        out.append(csvField: c < row.count ? row[c] ?? "" : "")
                        out.append(0x2C)
                    }
                    cmds.withUnsafeBufferPointer { out.appendCSVField(bytes: $0) }
                    out.append(0x2C)
                    params.withUnsafeBufferPointer { out.appendCSVField(bytes: $0) }
                } else {
                    out.append(0x7B)
                    for c in table.columns.indices {
                        out.append(contentsOf: keys[c])
                        if c < row.count, let value = row[c] { out.append(jsonString: value) } else { out.append(ascii: "null") }
                        out.append(0x2C)
                    }
                    out.append(contentsOf: keys[table.columns.count])
                    out.append(contentsOf: cmds)
                    out.append(0x2C)
                    out.append(contentsOf: keys[table.columns.count + 1])
                    out.append(contentsOf: params)
                    out.append(0x7D)
                }
                out.append(0x0A)
            }
        }
        try writer.commit()
    }
}

/// Whether an input file holds events or sessions, told by its columns.
public enum InputKind: Sendable, Equatable {
    case events
    case sessions

    /// Sessions when the header (CSV) or the first record (JSON Lines) has `cmds`,
    /// events when it has `eventColumn`.
    /// - Throws: ``InputError`` when it has neither.
    public static func detect(path: String, eventColumn: String = "Operation") throws -> InputKind {
        let stream = try ByteStream(path: path, chunkSize: 1 << 16)
        _ = try stream.refill()
        let head = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(stream.buffer)[stream.start..<stream.end])
        guard !head.isEmpty else { throw InputError(file: path, line: 1, cause: "the file is empty") }
        switch SessionReader.format(of: path, bytes: head.bindMemory(to: UInt8.self)) {
        case .csv:
            let reader = CSVRecordReader(stream: stream)
            guard try reader.next() else { throw InputError(file: path, line: 1, cause: "the file is empty") }
            var scratch: [UInt8] = []
            let names = reader.fields.indices.map { reader.withField($0, scratch: &scratch) { String(decoding: $0, as: UTF8.self) } }
            if names.contains("cmds") { return .sessions }
            if names.contains(eventColumn) { return .events }
            throw InputError(file: path, line: reader.recordLine,
                             cause: "missing column \"cmds\" (sessions) or \"\(eventColumn)\" (events); columns: \(names.joined(separator: ", "))")
        case .jsonLines:
            // Look for a top-level "cmds" member in the first record (it may be long; read on).
            var scanner = JSONScanner(head)
            var sessions = false, events = false
            let cmds = Array("cmds".utf8), event = Array(eventColumn.utf8)
            let view = scanner
            do {
                try scanner.forEachMember { name, _ in
                    if view.stringEquals(name, cmds) { sessions = true }
                    if view.stringEquals(name, event) { events = true }
                }
            } catch {
                // A first line longer than the sniffed bytes, or broken: let the reader report it.
                sessions = head.firstRange(of: Array("\"cmds\"".utf8)) != nil
                events = !sessions
            }
            if sessions { return .sessions }
            if events { return .events }
            throw InputError(file: path, line: 1, cause: "missing column \"cmds\" (sessions) or \"\(eventColumn)\" (events)")
        }
    }
}
