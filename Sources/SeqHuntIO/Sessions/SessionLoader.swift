import SeqHunt
import SeqHuntSupport

/// Loads sessions from inputs of either kind: sessions files are read as they are;
/// event logs are read and sessionized. All inputs of one call must be of the same kind
/// (an empty input goes with either).
///
/// Each input is opened once and read once, front to back (see `ByteSource`): files,
/// pipes, FIFOs, standard input (`-`), gzip and zstd.
public struct SessionLoader {
    /// Which columns of an event log hold the key, time, command and parameters.
    public var schema: EventSchema
    /// Which columns of a sessions file hold the commands and parameters.
    public var sessionColumns: SessionColumns
    /// What to do with a bad row of an event log.
    public var policy: BadRowPolicy
    /// How events become sessions (its `execution` is replaced by ``execution``).
    public var sessionizer: Sessionizer
    /// Threads for reading, sessionizing and formatting; the result does not depend on them.
    public var execution: ExecutionOptions
    /// Keep only events in this range (events only; applied once every input is read,
    /// since a range may count back from the latest event).
    public var timeRange: TimeRange
    /// Called now and then while reading events (bytes read in the current input, its size, events so far).
    public var progress: ((_ file: String, _ bytes: Int, _ size: Int, _ events: Int) -> Void)?

    public init(
        schema: EventSchema = EventSchema(), policy: BadRowPolicy = .fail, sessionizer: Sessionizer = Sessionizer(),
        sessionColumns: SessionColumns = SessionColumns(), timeRange: TimeRange = TimeRange(),
        execution: ExecutionOptions = .automatic
    ) {
        self.execution = execution
        self.schema = schema
        self.policy = policy
        self.sessionizer = sessionizer
        self.sessionColumns = sessionColumns
        self.timeRange = timeRange
    }

    /// What a load produced.
    public struct Loaded {
        /// The sessions, with their descriptive columns.
        public var table: SessionTable
        /// Whether the inputs held events (sessionized here) or sessions.
        public var kind: InputKind
        /// Row accounting when the inputs were events.
        public var report: ReadReport?
        /// Wall seconds spent reading (and parsing) the inputs, and sessionizing them (events only).
        public var readSeconds: Double = 0
        public var sessionizeSeconds: Double = 0
    }

    /// Reads `paths` (`-`: standard input) and returns their sessions.
    /// - Throws: `InputError`, with file and line, for an input that cannot be read, a mix
    ///   of kinds, or a bad row under ``BadRowPolicy/fail``.
    public func load(_ paths: [String]) throws -> Loaded {
        guard !paths.isEmpty else { throw InputError(file: "-", line: 0, cause: "no input files") }
        if paths.filter({ $0 == "-" }).count > 1 {
            throw InputError(file: "-", line: 0, cause: "standard input is named twice")
        }
        return try load(sources: try paths.map { try ByteSource(path: $0) })
    }

    /// Reads one input already in memory (a workspace query's rows as JSON Lines), named `name` in messages.
    package func load(bytes: [UInt8], name: String) throws -> Loaded {
        try load(sources: [try ByteSource(bytes: bytes, name: name)])
    }

    /// Reads inputs already opened, or already in memory.
    package func load(sources: [ByteSource]) throws -> Loaded {
        guard !sources.isEmpty else { throw InputError(file: "-", line: 0, cause: "no input files") }
        // Look at every input's head; nothing is read twice.
        var inputs: [(source: ByteSource, head: InputHead)] = []
        for source in sources {
            inputs.append((source, try InputHead.inspect(source, schema: schema, sessions: sessionColumns)))
        }
        let kinds = inputs.compactMap { $0.head.kind }
        let kind = kinds.first ?? .events
        if let other = inputs.firstIndex(where: { $0.head.kind != nil && $0.head.kind != kind }),
            let first = inputs.firstIndex(where: { $0.head.kind == kind })
        {
            throw InputError(
                file: inputs[other].source.name, line: 1,
                cause:
                    "holds \(kind == .events ? "sessions" : "events") but \(inputs[first].source.name) holds \(kind == .events ? "events" : "sessions"): give one kind at a time"
            )
        }
        let clock = ContinuousClock()
        switch kind {
        case .sessions:
            if timeRange.since != nil || timeRange.until != nil {
                throw InputError(
                    file: inputs[0].source.name, line: 1,
                    cause: "--since and --until select events, and this input holds sessions")
            }
            var table: SessionTable!
            let readTime = try clock.measure {
                var reader = SessionReader.Accumulator(columns: sessionColumns)
                for input in inputs { try reader.read(input.source, head: input.head, threads: execution.threads) }
                table = reader.finish()
            }
            return Loaded(table: table, kind: .sessions, report: nil, readSeconds: readTime.seconds)
        case .events:
            let reader = EventReader(schema: schema, policy: policy)
            var events = EventStore()
            var report = ReadReport()
            let readTime = try clock.measure {
                for input in inputs {
                    if let progress { reader.progress = { progress(input.source.name, $0, $1, $2) } }
                    try reader.read(input.source, head: input.head, threads: execution.threads)
                }
                (events, report) = timeRange.apply(to: reader.events, report: reader.report)
            }
            var table: SessionTable!
            let sessionizeTime = clock.measure {
                var sessionizer = self.sessionizer
                sessionizer.execution = execution
                let result = sessionizer.sessionize(events, keyRank: reader.keyRanks(threads: execution.threads))
                table = SessionTable(sessionized: result, keyColumns: schema.keyColumns, keys: reader.keys)
            }
            return Loaded(
                table: table, kind: .events, report: report,
                readSeconds: readTime.seconds, sessionizeSeconds: sessionizeTime.seconds)
        }
    }
}
