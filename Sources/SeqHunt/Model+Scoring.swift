extension Model {
    /// Scores every session of `store` (SPEC 5), in parallel over chunks of
    /// sessions. The result is the same, bit for bit, for any thread count.
    ///
    /// The store may come from other data than the training data: commands,
    /// parameters and values the model never saw take the UNK fall-backs.
    /// - Throws: ``ScoringError/invalidWindowLength(_:)`` for a window length below 1.
    /// - Complexity: O(events · (1 + Σk) + parameter occurrences + vocabulary).
    public func score(_ store: SessionStore, options: ScoringOptions = ScoringOptions()) throws -> SessionScores {
        for k in options.windowLengths where k < 1 { throw ScoringError.invalidWindowLength(k) }
        let sessions = store.sessionCount
        let windows = options.windowLengths.count
        let logs = OutputColumns<Double>(rows: sessions, columns: 2 + windows, initialValue: .nan)
        let starts = OutputColumns<Int32>(rows: sessions, columns: windows, initialValue: -1)
        let ranges = Parallel.sessionRanges(of: store, parts: 4 * (options.threads ?? Parallel.defaultThreadCount))
        let threads = min(ranges.count, options.threads ?? Parallel.defaultThreadCount)

        withKernel(for: store) { kernel in
            let windowLogs = (0..<windows).map { logs.writer(2 + $0) }
            let windowStarts = (0..<windows).map { starts.writer($0) }
            // Chunks are claimed in order by `threads` workers; each writes only its sessions.
            let queue = ChunkQueue(count: ranges.count)
            Parallel.run(chunks: threads) { _ in
                while let chunk = queue.next() {
                    kernel.score(sessions: ranges[chunk], options: options, logLikelihood: logs.writer(0),
                                 geometricMean: logs.writer(1), windowLogs: windowLogs, windowStarts: windowStarts)
                }
            }
        }
        return SessionScores(
            options: options, logLikelihood: logs.array(0), geometricMeanLogLikelihood: logs.array(1),
            rarestWindows: (0..<windows).map {
                SessionScores.RarestWindowColumn(length: options.windowLengths[$0],
                                                 logLikelihood: logs.array(2 + $0), start: starts.array($0))
            })
    }

    /// Calls `body` with kernel inputs specialised for this model's storage forms
    /// and re-indexed for `store`'s vocabularies.
    func withKernel(for store: SessionStore, _ body: (any KernelInputsProtocol) -> Void) {
        let tables = ScoringTables(model: self, vocabulariesOf: store)
        store.withColumns { columns in
            func make<T: TransitionLookup, P: ParameterLookup>(_ t: T, _ p: P) -> KernelInputs<T, P> {
                KernelInputs(columns: columns, type: type, transitions: t, parameters: p,
                             logPrior: logPrior.buffer, base: parameterTable.base.buffer,
                             refCount: parameterTable.refCount.buffer, commandMap: tables.commandMap.buffer,
                             parameterMap: tables.parameterMap.buffer, modellable: tables.modellable.buffer,
                             pairLogValue: tables.pairLogValue.buffer, noValueLog: tables.noValueLog.buffer)
            }
            let parameters = parameterTable
            withExtendedLifetime((self, tables)) {
                switch (transitionTable.storage, parameters.storage) {
                case (.dense(let t), .dense(let p)):
                    body(make(DenseTransitions(table: t.buffer, width: transitionTable.width),
                              DenseParameters(table: p.buffer, width: parameters.width)))
                case (.dense(let t), .sparse(let rs, let cs, let ds)):
                    body(make(DenseTransitions(table: t.buffer, width: transitionTable.width),
                              SparseParameters(rowStarts: rs.buffer, columns: cs.buffer, deltas: ds.buffer)))
                case (.sparse(let rs, let cs, let ls, let us), .dense(let p)):
                    body(make(SparseTransitions(rowStarts: rs.buffer, columns: cs.buffer, logs: ls.buffer, unseen: us.buffer),
                              DenseParameters(table: p.buffer, width: parameters.width)))
                case (.sparse(let rs, let cs, let ls, let us), .sparse(let prs, let pcs, let pds)):
                    body(make(SparseTransitions(rowStarts: rs.buffer, columns: cs.buffer, logs: ls.buffer, unseen: us.buffer),
                              SparseParameters(rowStarts: prs.buffer, columns: pcs.buffer, deltas: pds.buffer)))
                }
            }
        }
    }
}
