import SeqHunt

/// Reads event logs — CSV as Log Analytics exports it, JSON Lines, or JSON documents of
/// records — straight into an `EventStore`, streaming over bytes: fields are interned
/// from the read buffer as bytes, and no `String` is made for a field.
public final class EventReader {
    public let schema: EventSchema
    public let policy: BadRowPolicy
    /// Called now and then with the bytes read so far in the current input, its size, and the events so far.
    public var progress: ((_ bytes: Int, _ size: Int, _ events: Int) -> Void)?
    private var encoder: RowEncoder
    /// The bytes read and parsed at a time, whatever the thread count: memory does not grow
    /// with it. (Tests make it small, so that a small input spans many blocks.)
    var blockSize = 48 << 20

    public init(schema: EventSchema = EventSchema(), policy: BadRowPolicy = .fail) {
        self.schema = schema
        self.policy = policy
        encoder = RowEncoder(schema: schema, policy: policy, file: "")
    }

    /// The events read so far.
    public var events: EventStore { encoder.events }
    /// The row accounting so far.
    public var report: ReadReport { encoder.report }
    /// The number of distinct keys.
    public var keyCount: Int { encoder.keyInterner.count }
    /// The keys: each key's column values behind their lengths (``KeyBytes``).
    var keys: ByteInterner { encoder.keyInterner }

    /// The values of the key columns of key `id`, in ``EventSchema/keyColumns`` order.
    public func keyValues(of id: Int32) -> [String] {
        encoder.keyInterner.withBytes(of: id) { bytes in
            KeyBytes.values(bytes).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Each key's rank when keys are sorted by their values as text, column by column
    /// (bytewise: the order of `sort by UserId asc, ClientIP asc`), sorted on `threads`
    /// workers (nil: every core); the ranks do not depend on them.
    public func keyRanks(threads: Int? = nil) -> [Int32] {
        let ids = encoder.keyInterner.sortedIDs(threads: threads, by: KeyBytes.precedes)
        var ranks = [Int32](repeating: 0, count: ids.count)
        for (rank, id) in ids.enumerated() { ranks[Int(id)] = Int32(rank) }
        return ranks
    }

    /// Reads one input file (`-`: standard input).
    public func read(path: String, execution: ExecutionOptions = .automatic) throws {
        try read(ByteSource(path: path), execution: execution)
    }

    /// Reads one input, whatever its form (see `InputFormat`).
    ///
    /// The input is read in blocks cut at record boundaries; the pieces of a block are
    /// parsed on every core, each into its own encoder, and merged in input order, so the
    /// result (and the first error reported) is the same as a sequential read.
    @_spi(Benchmarking) public func read(_ source: ByteSource, execution: ExecutionOptions = .automatic) throws {
        let head = try InputHead.inspect(source, schema: schema, sessions: SessionColumns())
        if head.kind == .sessions {
            throw InputError(file: source.name, line: 1, cause: "holds sessions (it has a \"\(head.commandsColumn ?? "cmds")\" column), not events")
        }
        try read(source, head: head, threads: execution.threads)
    }

    func read(_ source: ByteSource, head: InputHead, threads: Int?) throws {
        guard let blocks = RecordBlocks(source: source, format: head.format) else { return }
        let csv = blocks.quoteAware
        let file = source.name
        let workers = Parallel.workers(threads)
        let rowsBefore = encoder.report.rowsRead
        // What is learnt per input: which columns its records have, and its date order.
        encoder.file = file
        encoder.seen = encoder.seen.map { _ in false }
        encoder.dateOrder = DateOrderEvidence()
        var columns: [Int]? = nil
        var headerCount = 0
        var absorber = OrderedAbsorber<RowEncoder, RowEncoder>(
            empty: { [schema, policy] in RowEncoder(schema: schema, policy: policy, file: file) },
            absorb: { encoder, piece in try encoder.absorb(piece) })
        do {
            while var pieces = try blocks.next(blockSize: blockSize, pieces: 2 * workers) {
                let block = blocks.bytes
                if csv && columns == nil {
                    // The header is the first record of the input.
                    let records = blocks.records(of: pieces[0])
                    guard try records.next() else { return }
                    let header = (0..<records.fieldCount).map { records.withField($0) { Array($0) } }
                    columns = try encoder.csvColumns(header: header, line: records.recordLine)
                    headerCount = header.count
                    let rest = records.nextRecordStart
                    pieces[0] = RecordBlocks.Piece(range: rest..<pieces[0].range.upperBound, firstLine: blocks.csvIndex.line(of: rest))
                }
                let schema = self.schema, policy = self.policy, columnsOfCSV = columns, fieldCount = headerCount
                let parts = pieces
                let shared = SharedBytes(block)
                let index = blocks.csvIndex
                let parsed = Parallel.map(parts.count, workers: workers) { i in
                    var piece = RowEncoder(schema: schema, policy: policy, file: file)
                    if let columnsOfCSV {
                        try piece.readCSVRecords(index.records(of: parts[i], file: file), columns: columnsOfCSV, headerCount: fieldCount)
                    } else {
                        try piece.readJSONLines(UnsafeRawBufferPointer(rebasing: shared.bytes[parts[i].range]), firstLine: parts[i].firstLine)
                    }
                    return piece
                }
                let bytes = pieces.reduce(0) { $0 + $1.range.count }
                try absorber.absorb(parsed, into: &encoder) { $0.report.bytesRead += bytes }
                progress?(source.rawBytesRead, source.size, encoder.events.count)
            }
            try absorber.join(into: &encoder)
            progress?(source.rawBytesRead, source.size, encoder.events.count)
        } catch {
            // An error in a block still being absorbed comes first in the input.
            try absorber.join(into: &encoder)
            throw error
        }
        if !csv && encoder.report.rowsRead > rowsBefore {
            // A column that no record has is a misspelt flag, not a log without it.
            for (r, role) in encoder.roles.enumerated() where !encoder.seen[r] && encoder.isRequired(role) {
                let listed = InputHead.listed(head.columns)
                throw InputError(file: file, line: 1, cause: "no record has the column \"\(encoder.columnName(role))\" (the first record has \(listed))")
            }
        }
        try settleDateOrder(file: file)
    }

    /// Decides day-first or month-first for the slash dates of one input, and re-reads the
    /// dates that either order reads when the input settles on day-first.
    private func settleDateOrder(file: String) throws {
        let evidence = encoder.dateOrder
        if let dayFirst = evidence.dayFirstLine, let monthFirst = evidence.monthFirstLine {
            throw InputError(file: file, line: max(dayFirst, monthFirst),
                             cause: "dates in column \"\(schema.timeColumn)\" are day-first on line \(dayFirst) but month-first on line \(monthFirst): "
                                 + "give --time-format")
        }
        guard !evidence.ambiguousEvents.isEmpty else { return }
        if evidence.dayFirstLine != nil {
            for event in evidence.ambiguousEvents {
                let ticks = encoder.events.times[Int(event)]
                encoder.events.setTime(ofEvent: Int(event), TimeParser.swappingDayAndMonth(ticks) ?? ticks)
            }
        } else if evidence.monthFirstLine == nil {
            throw InputError(file: file, line: evidence.ambiguousLine ?? 1,
                             cause: "no date in column \"\(schema.timeColumn)\" tells whether it is day-first or month-first: "
                                 + "give --time-format, for example --time-format \"%d/%m/%Y, %H:%M:%S.%f\" or \"%m/%d/%Y, %I:%M:%S.%f %p\"")
        }
    }
}
