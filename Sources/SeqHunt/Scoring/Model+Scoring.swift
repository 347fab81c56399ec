extension Model {
    /// Scores every session of `store` (docs/SPEC.md §5), in parallel over chunks of
    /// sessions. The result is the same, bit for bit, for any thread count.
    ///
    /// The store may come from other data than the training data: commands,
    /// parameters and values the model never saw take the UNK fall-backs.
    /// - Throws: ``ScoringError/invalidWindowLength(_:)`` for a window length below 1.
    /// - Parameters:
    ///   - store: the sessions to score.
    ///   - options: the window lengths and how windows are scored.
    ///   - execution: threads and chunking; the scores do not depend on them.
    /// - Complexity: O(events · (1 + Σk) + parameter occurrences + vocabulary).
    public func score(
        _ store: SessionStore, options: ScoringOptions = ScoringOptions(),
        execution: ExecutionOptions = .automatic
    ) throws(ScoringError) -> SessionScores {
        try score(store, options: options, execution: execution, cancellation: nil)
    }

    /// ``score(_:options:execution:)-1qte4``, stopping between chunks of sessions once `cancellation` is set.
    func score(
        _ store: SessionStore, options: ScoringOptions, execution: ExecutionOptions,
        cancellation: CancellationFlag?
    ) throws(ScoringError) -> SessionScores {
        for k in options.windowLengths where k < 1 { throw ScoringError.invalidWindowLength(k) }
        let sessions = store.sessionCount
        let windows = options.windowLengths.count
        let ranges = Parallel.sessionRanges(of: store, parts: execution.chunks)
        let threads = min(ranges.count, execution.workers)
        var starts: [[Int32]] = []
        let logs = makeColumns(count: sessions, columns: 2 + windows) { (logWriters: [DisjointWrites<Double>]) in
            starts = makeColumns(count: sessions, columns: windows) { (startWriters: [DisjointWrites<Int32>]) in
                let output = KernelOutput(
                    logLikelihood: logWriters[0], geometricMean: logWriters[1],
                    windowLogs: Array(logWriters.dropFirst(2)), windowStarts: startWriters)
                withKernel(
                    for: store,
                    ParallelScoring(
                        options: options, ranges: ranges, threads: threads, output: output,
                        cancellation: cancellation))
            }
        }
        if cancellation?.isCancelled == true { throw .cancelled }
        return SessionScores(
            options: options, logLikelihood: logs[0], geometricMeanLogLikelihood: logs[1],
            rarestWindows: (0..<windows).map {
                SessionScores.RarestWindowColumn(
                    length: options.windowLengths[$0],
                    logLikelihood: logs[2 + $0], start: starts[$0])
            })
    }

    /// Hands `visitor` the kernel inputs for this model's storage forms, re-indexed
    /// for `store`'s vocabularies. Each storage combination is a distinct concrete
    /// type, so the visitor's generic code is specialised for each: no dynamic
    /// dispatch in the per-event loop.
    func withKernel<V: KernelVisitor>(for store: SessionStore, _ visitor: V) -> V.Result {
        let tables = ScoringTables(model: self, vocabulariesOf: store)
        return store.withColumns { columns in
            func make<T: TransitionLookup, P: ParameterLookup>(_ t: T, _ p: P) -> ScoreKernel<T, P> {
                ScoreKernel(
                    columns: columns, type: type, transitions: t, parameters: p,
                    logPrior: logPrior.buffer, base: parameterTable.base.buffer,
                    refCount: parameterTable.refCount.buffer, inverseTerms: inverseTerms.buffer,
                    commandMap: tables.commandMap.buffer,
                    parameterMap: tables.parameterMap.buffer, modellable: tables.modellable.buffer,
                    pairLogValue: tables.pairLogValue.buffer, noValueLog: tables.noValueLog.buffer)
            }
            let parameters = parameterTable
            return withExtendedLifetime((self, tables)) {
                switch (transitionTable.storage, parameters.storage) {
                case (.dense(let t), .dense(let p)):
                    return visitor.visit(
                        make(
                            DenseTransitions(table: t.buffer, width: transitionTable.width),
                            DenseParameters(table: p.buffer, width: parameters.width)))
                case (.dense(let t), .sparse(let rs, let cs, let ds)):
                    return visitor.visit(
                        make(
                            DenseTransitions(table: t.buffer, width: transitionTable.width),
                            SparseParameters(rowStarts: rs.buffer, columns: cs.buffer, deltas: ds.buffer)))
                case (.sparse(let rs, let cs, let ls, let us), .dense(let p)):
                    return visitor.visit(
                        make(
                            SparseTransitions(
                                rowStarts: rs.buffer, columns: cs.buffer, logs: ls.buffer, unseen: us.buffer),
                            DenseParameters(table: p.buffer, width: parameters.width)))
                case (.sparse(let rs, let cs, let ls, let us), .sparse(let prs, let pcs, let pds)):
                    return visitor.visit(
                        make(
                            SparseTransitions(
                                rowStarts: rs.buffer, columns: cs.buffer, logs: ls.buffer, unseen: us.buffer),
                            SparseParameters(rowStarts: prs.buffer, columns: pcs.buffer, deltas: pds.buffer)))
                }
            }
        }
    }
}

/// Generic work over kernel inputs of any storage form (see ``Model/withKernel(for:_:)``).
protocol KernelVisitor {
    associatedtype Result
    func visit<T: TransitionLookup, P: ParameterLookup>(_ inputs: ScoreKernel<T, P>) -> Result
}

/// Scores chunks of sessions in parallel into shared output columns.
struct ParallelScoring: KernelVisitor {
    let options: ScoringOptions
    let ranges: [Range<Int>]
    let threads: Int
    let output: KernelOutput
    let cancellation: CancellationFlag?

    func visit<T: TransitionLookup, P: ParameterLookup>(_ inputs: ScoreKernel<T, P>) {
        let output = self.output
        // Chunks are claimed in order by `threads` workers; each writes only its sessions.
        let queue = ChunkQueue(count: ranges.count)
        let ranges = self.ranges, options = self.options
        Parallel.run(chunks: threads) { _ in
            while cancellation?.isCancelled != true, let chunk = queue.next() {
                inputs.score(sessions: ranges[chunk], options: options, output: output)
            }
        }
    }
}
