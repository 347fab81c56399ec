import SeqHunt

/// Loads sessions from input files of either kind: sessions files are read as
/// they are; event logs are read and sessionized. All inputs of one call must be
/// of the same kind.
public struct SessionLoader {
    public var schema: EventSchema
    public var policy: BadRowPolicy
    public var sessionizer: Sessionizer
    /// Called now and then while reading events (bytes read in the current file, its size, events so far).
    public var progress: ((_ file: String, _ bytes: Int, _ size: Int, _ events: Int) -> Void)?

    public init(schema: EventSchema = EventSchema(), policy: BadRowPolicy = .fail, sessionizer: Sessionizer = Sessionizer()) {
        self.schema = schema
        self.policy = policy
        self.sessionizer = sessionizer
    }

    /// What a load produced.
    public struct Loaded {
        public var table: SessionTable
        public var kind: InputKind
        /// Row accounting when the inputs were events.
        public var report: ReadReport?
        /// Wall seconds spent reading (and parsing) the inputs, and sessionizing them (events only).
        public var readSeconds: Double = 0
        public var sessionizeSeconds: Double = 0
    }

    public func load(_ paths: [String]) throws -> Loaded {
        let kinds = try paths.map { try InputKind.detect(path: $0, eventColumn: schema.eventColumn) }
        guard let kind = kinds.first else { throw InputError(file: "-", line: 0, cause: "no input files") }
        if let other = kinds.firstIndex(where: { $0 != kind }) {
            throw InputError(file: paths[other], line: 1,
                             cause: "holds \(kinds[other] == .events ? "events" : "sessions") but \(paths[0]) holds \(kind == .events ? "events" : "sessions"): give one kind at a time")
        }
        switch kind {
        case .sessions:
            var table: SessionTable!
            let readTime = try ContinuousClock().measure { table = try SessionReader.read(paths: paths) }
            return Loaded(table: table, kind: .sessions, report: nil, readSeconds: readTime.seconds)
        case .events:
            let clock = ContinuousClock()
            let reader = EventReader(schema: schema, policy: policy)
            let readTime = try clock.measure {
                for path in paths {
                    if let progress { reader.progress = { progress(path, $0, $1, $2) } }
                    try reader.read(path: path, threads: sessionizer.threads)
                }
            }
            guard reader.events.count > 0 else {
                throw InputError(file: paths.last!, line: 0, cause: "no events left to sessionize (\(reader.report.rowsRead) rows read, \(reader.report.rowsFiltered) filtered out, \(reader.report.rowsSkipped) skipped)")
            }
            var table: SessionTable!
            let sessionizeTime = clock.measure {
                let result = sessionizer.sessionize(reader.events, keyRank: reader.keyRanks())
                table = SessionTable(sessionized: result, keyColumns: schema.keyColumns, keyValues: reader.keyValues(of:),
                                     threads: sessionizer.threads)
            }
            return Loaded(table: table, kind: .events, report: reader.report,
                          readSeconds: readTime.seconds, sessionizeSeconds: sessionizeTime.seconds)
        }
    }
}

extension Duration {
    /// The duration in seconds.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
