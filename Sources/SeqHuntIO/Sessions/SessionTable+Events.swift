import SeqHunt

extension SessionTable {
    /// The descriptive columns of sessionized events: the key columns, `begin`, `end`,
    /// `duration` (seconds), `nCmds` and `nDistinctCmds` (docs/SPEC.md §8).
    /// - Parameters:
    ///   - result: the sessionizer's sessions.
    ///   - keyColumns: the names of the key columns.
    ///   - keyValues: the values of the key columns for a key id.
    ///   - execution: threads for formatting the rows.
    public init(
        sessionized result: Sessionizer.Result, keyColumns: [String], keyValues: (Int32) -> [String],
        execution: ExecutionOptions = .automatic
    ) {
        // Key values once per key id (ids are dense).
        let maxKey = Int(result.keys.max() ?? -1)
        var keyText = [[String?]?](repeating: nil, count: maxKey + 1)
        for key in result.keys where keyText[Int(key)] == nil { keyText[Int(key)] = keyValues(key).map { $0 } }
        self.init(sessionized: result, keyColumns: keyColumns, keyText: keyText, execution: execution)
    }

    /// The same for keys interned by an ``EventReader`` (each key's column values behind their
    /// lengths, as ``KeyBytes`` reads them): their texts are made on every core, since on a
    /// real tenant's log nearly every session has a key of its own.
    init(
        sessionized result: Sessionizer.Result, keyColumns: [String], keys: ByteInterner,
        execution: ExecutionOptions = .automatic
    ) {
        let count = keys.count
        let chunk = 16_384
        let chunks = (count + chunk - 1) / chunk
        let parts = ParallelSlots<[[String?]?]>(count: chunks)
        Parallel.run(chunks: min(chunks, execution.workers)) { worker in
            for c in stride(from: worker, to: chunks, by: execution.workers) {
                parts.set(
                    c,
                    ((c * chunk)..<min(count, (c + 1) * chunk)).map { id in
                        keys.withBytes(of: Int32(id)) {
                            KeyBytes.values($0).map { String(decoding: $0, as: UTF8.self) }
                        }
                    })
            }
        }
        var keyText: [[String?]?] = []
        keyText.reserveCapacity(count)
        for c in 0..<chunks { keyText += parts.take(c) }
        self.init(sessionized: result, keyColumns: keyColumns, keyText: keyText, execution: execution)
    }

    /// Rows from each key id's column values (`keyText`), formatted in parallel chunks
    /// (millions of sessions); worker `w` of `workers` takes chunks w, w + workers, ...
    private init(
        sessionized result: Sessionizer.Result, keyColumns: [String], keyText: [[String?]?],
        execution: ExecutionOptions
    ) {
        self.init(store: result.store)
        columns = keyColumns + ["begin", "end", "duration", "nCmds", "nDistinctCmds"]
        numericColumns = ["duration", "nCmds", "nDistinctCmds"]
        let keyValuesByID = keyText
        let sessions = result.keys.count
        let chunk = 65_536
        let chunks = (sessions + chunk - 1) / chunk
        let workers = max(1, min(chunks, execution.workers))
        let parts = ParallelSlots<[[String?]]>(count: chunks)
        Parallel.run(chunks: workers) { worker in
            for c in stride(from: worker, to: chunks, by: workers) {
                var part: [[String?]] = []
                part.reserveCapacity(chunk)
                for session in (c * chunk)..<min(sessions, (c + 1) * chunk) {
                    let begin = result.beginTicks[session], end = result.endTicks[session]
                    var row = keyValuesByID[Int(result.keys[session])]!
                    row.append(TimeParser.isoText(ticks: begin))
                    row.append(TimeParser.isoText(ticks: end))
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
