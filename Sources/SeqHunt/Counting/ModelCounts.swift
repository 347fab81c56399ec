/// The raw (unsmoothed) counts of docs/SPEC.md §2, with the vocabularies they index.
///
/// Raw counts, not probabilities, are what a model keeps: they are exact, they
/// add up when models trained on shards are merged, and every probability is
/// derived from them by closed forms (see ``Model``).
///
/// - `transitions[a][b]` is `seq2`: how often command `b` followed `a`
///   (START opens, END closes every session).
/// - `commandParameters[c][p]` is `cmdParam` (types `params` and `values`).
/// - `valueCounts[pair]` is `paramValue[p][v]` for each (parameter, value) pair
///   id of ``values`` (type `values`; empty values are never counted).
///
/// `seq1` and `param` are not stored: `seq1` is the row sums of `transitions`
/// (every occurrence of a command leaves it exactly once) with `seq1[END]` equal to
/// the session count, and `param` is the column sums of `commandParameters`.
public struct ModelCounts: Sendable, Equatable {
    public let type: SessionType
    public internal(set) var commands: Vocabulary
    public internal(set) var parameters: Vocabulary
    public internal(set) var values: ValueVocabulary
    /// The number of training sessions.
    public internal(set) var sessionCount: Int
    /// The number of training events.
    public internal(set) var eventCount: Int
    /// `seq2`, `commands.count` × `commands.count`.
    public internal(set) var transitions: CountMatrix
    /// `cmdParam`, `commands.count` × `parameters.count` (0 × 0 for `cmds`).
    public internal(set) var commandParameters: CountMatrix
    /// `paramValue`, indexed by pair id (empty unless `values`).
    public internal(set) var valueCounts: [Double]

    /// `seq1` (unsmoothed), indexed by command id.
    public func unigramCounts() -> [Double] {
        var seq1 = transitions.rowSums()
        if seq1.count > Int(CommandToken.end) { seq1[Int(CommandToken.end)] = Double(sessionCount) }
        return seq1
    }

    /// `param` (unsmoothed), indexed by parameter id.
    public func parameterCounts() -> [Double] {
        type.usesParameters ? commandParameters.columnSums() : []
    }
}

extension ModelCounts {
    /// Counts every session of `store` (docs/SPEC.md §2) in parallel and reduces the partial
    /// counts; the result is the same for any thread count.
    ///
    /// Each worker counts a contiguous run of sessions into its own dense matrices
    /// (or, for vocabularies too large to hold densely, into sorted key runs), and
    /// the partial matrices are summed with BLAS `daxpy`.
    /// - Complexity: O(events + parameter occurrences) work, plus
    ///   O(threads · dense cells) for the partial matrices.
    public init(training store: SessionStore, type: SessionType, execution: ExecutionOptions = .automatic) {
        self.init(training: store, type: type, execution: execution, sparse: false)
    }

    /// Counts as above; `sparse` forces the sparse form (to test it on small data).
    init(training store: SessionStore, type: SessionType, execution: ExecutionOptions = .automatic, sparse: Bool) {
        let nCommands = store.commands.count
        let nParameters = type.usesParameters ? store.parameters.count : 0
        let nPairs = type.usesValues ? store.values.count : 0
        let denseTransitions = !sparse && CountMatrix.fitsDense(rows: nCommands, columns: nCommands)
        let denseParameters = !sparse && CountMatrix.fitsDense(rows: nCommands, columns: nParameters)
        let ranges = Parallel.sessionRanges(of: store, parts: execution.workers)
        let parts = ranges.count

        var partials = [CountingWorker](repeating: CountingWorker(), count: parts)
        partials.withUnsafeMutableBufferPointer { workers in
            let out = DisjointWrites(workers)
            store.withColumns { columns in
                Parallel.run(chunks: parts) { chunk in
                    var worker = CountingWorker(
                        commands: nCommands, parameters: nParameters, pairs: nPairs,
                        denseTransitions: denseTransitions,
                        denseParameters: denseParameters)
                    worker.count(columns, sessions: ranges[chunk], type: type)
                    out[chunk] = worker
                }
            }
        }
        let transitions = CountMatrix(rows: nCommands, columns: nCommands, reducing: partials.map(\.transitions))
        let commandParameters = CountMatrix(rows: nCommands, columns: nParameters, reducing: partials.map(\.parameters))
        var valueCounts = reducePartialCounts(partials.map(\.valueCells))
        if valueCounts.isEmpty { valueCounts = [Double](repeating: 0, count: nPairs) }

        self.type = type
        self.commands = store.commands
        self.parameters = type.usesParameters ? store.parameters : .parameters()
        self.values = type.usesValues ? store.values : ValueVocabulary()
        self.sessionCount = store.sessionCount
        self.eventCount = store.eventCount
        self.transitions = transitions
        self.commandParameters = commandParameters
        self.valueCounts = valueCounts
    }
}

/// The columns of a store as raw buffers, valid inside a `withUnsafeBufferPointer` scope.
struct StoreColumns: @unchecked Sendable {
    let sessionOffsets: UnsafeBufferPointer<Int>
    let commandIDs: UnsafeBufferPointer<Int32>
    let parameterOffsets: UnsafeBufferPointer<UInt32>
    let parameterIDs: UnsafeBufferPointer<Int32>
    let valueIDs: UnsafeBufferPointer<Int32>
}

extension SessionStore {
    /// Runs `body` with the store's columns as raw buffers.
    func withColumns<R>(_ body: (StoreColumns) throws -> R) rethrows -> R {
        try commandIDs.withUnsafeBufferPointer { cmds in
            try parameterOffsets.withUnsafeBufferPointer { poffs in
                try parameterIDs.withUnsafeBufferPointer { pids in
                    try valueIDs.withUnsafeBufferPointer { vids in
                        try sessionOffsets.withUnsafeBufferPointer { soffs in
                            try body(
                                StoreColumns(
                                    sessionOffsets: soffs, commandIDs: cmds, parameterOffsets: poffs,
                                    parameterIDs: pids, valueIDs: vids))
                        }
                    }
                }
            }
        }
    }
}

/// One worker's partial counts over a run of sessions.
struct CountingWorker: Sendable {
    var transitionCells: [Double] = []
    var parameterCells: [Double] = []
    var valueCells: [Double] = []
    /// The partial `seq2` and `cmdParam` counts, once ``count(_:sessions:type:)`` ran.
    var transitions = PartialCounts.dense([])
    var parameters = PartialCounts.dense([])
    var commandCount = 0, parameterCount = 0
    var denseTransitions = true, denseParameters = true

    init() {}

    init(commands: Int, parameters: Int, pairs: Int, denseTransitions: Bool, denseParameters: Bool) {
        self.commandCount = commands
        self.parameterCount = parameters
        self.denseTransitions = denseTransitions
        self.denseParameters = denseParameters
        if denseTransitions { transitionCells = [Double](repeating: 0, count: commands * commands) }
        if denseParameters { parameterCells = [Double](repeating: 0, count: commands * parameters) }
        valueCells = [Double](repeating: 0, count: pairs)
    }

    mutating func count(_ columns: StoreColumns, sessions: Range<Int>, type: SessionType) {
        let n = commandCount, nP = parameterCount
        let soffs = columns.sessionOffsets, cmds = columns.commandIDs
        let poffs = columns.parameterOffsets, pids = columns.parameterIDs, vids = columns.valueIDs
        let firstEvent = soffs[sessions.lowerBound], lastEvent = soffs[sessions.upperBound]
        var transitionKeys: [UInt64] = []
        var parameterKeys: [UInt64] = []
        if !denseTransitions { transitionKeys.reserveCapacity(lastEvent - firstEvent + sessions.count) }
        if !denseParameters && type.usesParameters {
            parameterKeys.reserveCapacity(Int(poffs[lastEvent] - poffs[firstEvent]))
        }
        let dense = denseTransitions
        transitionCells.withUnsafeMutableBufferPointer { seq2 in
            parameterCells.withUnsafeMutableBufferPointer { cmdParam in
                valueCells.withUnsafeMutableBufferPointer { pairCounts in
                    for session in sessions {
                        var previous = Int(CommandToken.start)
                        for event in soffs[session]..<soffs[session + 1] {
                            let command = Int(cmds[event])
                            if dense {
                                seq2[previous &* n &+ command] += 1
                            } else {
                                transitionKeys.append(UInt64(previous) << 32 | UInt64(command))
                            }
                            previous = command
                            guard type.usesParameters else { continue }
                            for occurrence in Int(poffs[event])..<Int(poffs[event + 1]) {
                                let parameter = Int(pids[occurrence])
                                if denseParameters {
                                    cmdParam[command &* nP &+ parameter] += 1
                                } else {
                                    parameterKeys.append(UInt64(command) << 32 | UInt64(parameter))
                                }
                                if type.usesValues {
                                    let value = vids[occurrence]
                                    if value >= 0 { pairCounts[Int(value)] += 1 }
                                }
                            }
                        }
                        let end = Int(CommandToken.end)
                        if dense {
                            seq2[previous &* n &+ end] += 1
                        } else {
                            transitionKeys.append(UInt64(previous) << 32 | UInt64(end))
                        }
                    }
                }
            }
        }
        if denseTransitions {
            transitions = .dense(transitionCells)
        } else {
            let runs = countSortedRuns(&transitionKeys)
            transitions = .runs(keys: runs.keys, counts: runs.counts)
        }
        if denseParameters {
            parameters = .dense(parameterCells)
        } else {
            let runs = countSortedRuns(&parameterKeys)
            parameters = .runs(keys: runs.keys, counts: runs.counts)
        }
        transitionCells = []
        parameterCells = []
    }
}
