import SeqHunt

extension SessionTable {
    /// The descriptive columns of sessionized events: the key columns, `begin`, `end`,
    /// `duration` (seconds), `nCmds` and `nDistinctCmds` (docs/SPEC.md §8).
    /// - Parameters:
    ///   - result: the sessionizer's sessions.
    ///   - keyColumns: the names of the key columns.
    ///   - keyValues: the values of the key columns for a key id.
    ///   - execution: not used: the cells are kept as the sessionizer's numbers and formatted
    ///     as they are written (kept so that existing callers compile).
    public init(
        sessionized result: Sessionizer.Result, keyColumns: [String], keyValues: (Int32) -> [String],
        execution: ExecutionOptions = .automatic
    ) {
        // Key values once per key id (ids are dense).
        let maxKey = Int(result.keys.max() ?? -1)
        var parts = [TextCells](repeating: TextCells(), count: keyColumns.count)
        var keyValuesByID = [[String]?](repeating: nil, count: maxKey + 1)
        for key in result.keys where keyValuesByID[Int(key)] == nil { keyValuesByID[Int(key)] = keyValues(key) }
        for (id, values) in keyValuesByID.enumerated() {
            guard let values else { continue }
            for (part, value) in values.enumerated() where part < parts.count { parts[part].append(value, session: id) }
        }
        self.init(sessionized: result, keyColumns: keyColumns, keyParts: parts)
    }

    /// The same for keys interned by an ``EventReader`` (each key's column values behind their
    /// lengths, as ``KeyBytes`` reads them).
    init(sessionized result: Sessionizer.Result, keyColumns: [String], keys: ByteInterner) {
        var parts = [TextCells](repeating: TextCells(), count: keyColumns.count)
        for id in 0..<Int32(keys.count) {
            keys.withBytes(of: id) { bytes in
                for (part, value) in KeyBytes.values(bytes).enumerated() where part < parts.count {
                    parts[part].append(value, session: Int(id))
                }
            }
        }
        self.init(sessionized: result, keyColumns: keyColumns, keyParts: parts)
    }

    /// The table of `result`'s sessions: its key columns from `keyParts` (each key id's
    /// text per key column), and `begin`, `end`, `duration`, `nCmds` and `nDistinctCmds`
    /// from the sessionizer's own numbers, formatted when they are written.
    private init(sessionized result: Sessionizer.Result, keyColumns: [String], keyParts: [TextCells]) {
        self.init(store: result.store)
        columns = keyColumns + ["begin", "end", "duration", "nCmds", "nDistinctCmds"]
        numericColumns = ["duration", "nCmds", "nDistinctCmds"]
        let store = result.store
        let sessions = store.sessionCount
        var commandCounts = ContiguousArray<Int32>()
        commandCounts.reserveCapacity(sessions)
        for session in 0..<sessions { commandCounts.append(Int32(store.events(ofSession: session).count)) }
        cells = DescriptiveCells(
            sources: keyColumns.indices.map { .keyPart($0) } + [
                .begin, .end, .duration, .commandCount, .distinctCommandCount
            ],
            sessionized: DescriptiveCells.Sessionized(
                keys: ContiguousArray(result.keys), keyParts: keyParts, beginTicks: ContiguousArray(result.beginTicks),
                endTicks: ContiguousArray(result.endTicks), commandCounts: commandCounts,
                distinctCommands: ContiguousArray(result.distinctCommands)))
        sources = []
    }

    /// Seconds of a span of ticks, with up to seven decimals, trailing zeros dropped (`90`, `1.5`).
    static func secondsText(_ ticks: Int64) -> String {
        let whole = ticks / TimeParser.ticksPerSecond, fraction = ticks % TimeParser.ticksPerSecond
        guard fraction != 0 else { return String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 7 - digits.count) + digits
        while digits.last == "0" { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
