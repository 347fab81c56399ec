import SeqHunt

/// Reads event logs — CSV as Log Analytics exports it, JSON Lines, or JSON documents of
/// records — straight into an `EventStore`, streaming over bytes: fields are interned
/// from the read buffer as bytes, and no `String` is made for a field.
public final class EventReader {
    public let schema: EventSchema
    public let policy: BadRowPolicy
    /// Called now and then with the bytes read so far in the current input, its size, and the events so far.
    public var progress: ((_ bytes: Int, _ size: Int, _ events: Int) -> Void)?
    private var decoder: RowDecoder
    /// The bytes read and parsed at a time, whatever the thread count: memory does not grow
    /// with it. (Tests make it small, so that a small input spans many blocks.)
    var blockSize = 48 << 20

    public init(schema: EventSchema = EventSchema(), policy: BadRowPolicy = .fail) {
        self.schema = schema
        self.policy = policy
        decoder = RowDecoder(schema: schema, policy: policy, file: "")
    }

    /// The events read so far.
    public var events: EventStore { decoder.events }
    /// The row accounting so far.
    public var report: ReadReport { decoder.report }
    /// The number of distinct keys.
    public var keyCount: Int { decoder.keyInterner.count }
    /// The keys: each key's column values behind their lengths (``KeyBytes``).
    var keys: ByteInterner { decoder.keyInterner }

    /// The values of the key columns of key `id`, in ``EventSchema/keyColumns`` order.
    public func keyValues(of id: Int32) -> [String] {
        decoder.keyInterner.withBytes(of: id) { bytes in
            KeyBytes.values(bytes).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Each key's rank when keys are sorted by their values as text, column by column
    /// (bytewise: the order of `sort by UserId asc, ClientIP asc`), sorted on `threads`
    /// workers (nil: every core); the ranks do not depend on them.
    public func keyRanks(threads: Int? = nil) -> [Int32] {
        let ids = decoder.keyInterner.sortedIDs(threads: threads, by: KeyBytes.precedes)
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
    /// parsed on every core, each into its own decoder, and merged in input order, so the
    /// result (and the first error reported) is the same as a sequential read.
    @_spi(Internals) public func read(_ source: ByteSource, execution: ExecutionOptions = .automatic) throws {
        let head = try InputHead.inspect(source, schema: schema, sessions: SessionColumns())
        if head.kind == .sessions {
            throw InputError(
                file: source.name, line: 1,
                cause: "holds sessions (it has a \"\(head.commandsColumn ?? "cmds")\" column), not events")
        }
        try read(source, head: head, threads: execution.threads)
    }

    func read(_ source: ByteSource, head: InputHead, threads: Int?) throws {
        guard let blocks = RecordBlocks(source: source, format: head.format) else { return }
        let csv = blocks.quoteAware
        let file = source.name
        let workers = Parallel.workers(threads)
        let rowsBefore = decoder.report.rowsRead
        // What is learnt per input: which columns its records have, and its date order.
        decoder.file = file
        decoder.seen = decoder.seen.map { _ in false }
        decoder.dateOrder = ColumnDateOrder()
        var columns: [Int]? = nil
        var headerCount = 0
        var absorber = OrderedAbsorber<RowDecoder, RowDecoder>(
            empty: { [schema, policy] in RowDecoder(schema: schema, policy: policy, file: file) },
            absorb: { decoder, piece in try decoder.absorb(piece) })
        do {
            while var pieces = try blocks.next(blockSize: blockSize, pieces: 2 * workers) {
                let block = blocks.bytes
                if csv && columns == nil {
                    // The header is the first record of the input.
                    let records = blocks.records(of: pieces[0])
                    guard try records.next() else { return }
                    let header = (0..<records.fieldCount).map { records.withField($0) { Array($0) } }
                    columns = try decoder.csvColumns(header: header, line: records.recordLine)
                    headerCount = header.count
                    let rest = records.nextRecordStart
                    pieces[0] = RecordBlocks.Piece(
                        range: rest..<pieces[0].range.upperBound, firstLine: blocks.csvIndex.line(of: rest))
                }
                let schema = self.schema, policy = self.policy, columnsOfCSV = columns, fieldCount = headerCount
                let parts = pieces
                let shared = SharedBytes(block)
                let index = blocks.csvIndex
                let parsed = Parallel.map(parts.count, workers: workers) { i in
                    var piece = RowDecoder(schema: schema, policy: policy, file: file)
                    if let columnsOfCSV {
                        try piece.readCSVRecords(
                            index.records(of: parts[i], file: file), columns: columnsOfCSV, headerCount: fieldCount)
                    } else {
                        try piece.readJSONLines(
                            UnsafeRawBufferPointer(rebasing: shared.bytes[parts[i].range]),
                            firstLine: parts[i].firstLine)
                    }
                    return piece
                }
                let bytes = pieces.reduce(0) { $0 + $1.range.count }
                try absorber.absorb(parsed, into: &decoder) { $0.report.bytesRead += bytes }
                progress?(source.rawBytesRead, source.size, decoder.events.count)
            }
            try absorber.join(into: &decoder)
            progress?(source.rawBytesRead, source.size, decoder.events.count)
        } catch {
            // An error in a block still being absorbed comes first in the input.
            try absorber.join(into: &decoder)
            throw error
        }
        if !csv && decoder.report.rowsRead > rowsBefore {
            // A column that no record has is a misspelt flag, not a log without it.
            for (r, role) in decoder.roles.enumerated() where !decoder.seen[r] && decoder.isRequired(role) {
                let listed = InputHead.listed(head.columns)
                throw InputError(
                    file: file, line: 1,
                    cause: "no record has the column \"\(decoder.columnName(role))\" (the first record has \(listed))")
            }
        }
        try settleDateOrder(file: file)
    }

    /// Decides day-first or month-first for the slash dates of one input, and re-reads the
    /// dates that either order reads when the input settles on day-first.
    private func settleDateOrder(file: String) throws {
        let evidence = decoder.dateOrder
        if let dayFirst = evidence.dayFirstLine, let monthFirst = evidence.monthFirstLine {
            throw InputError(
                file: file, line: max(dayFirst, monthFirst),
                cause:
                    "dates in column \"\(schema.timeColumn)\" are day-first on line \(dayFirst) but month-first on line \(monthFirst): "
                    + "give --time-format")
        }
        guard !evidence.ambiguousEvents.isEmpty else { return }
        if evidence.dayFirstLine != nil {
            for event in evidence.ambiguousEvents {
                let ticks = decoder.events.ticks[Int(event)]
                decoder.events.setTime(ofEvent: Int(event), TimeParser.swappingDayAndMonth(ticks) ?? ticks)
            }
        } else if evidence.monthFirstLine == nil {
            throw InputError(
                file: file, line: evidence.ambiguousLine ?? 1,
                cause: "no date in column \"\(schema.timeColumn)\" tells whether it is day-first or month-first: "
                    + "give --time-format, for example --time-format \"%d/%m/%Y, %H:%M:%S.%f\" or \"%m/%d/%Y, %I:%M:%S.%f %p\""
            )
        }
    }
}
