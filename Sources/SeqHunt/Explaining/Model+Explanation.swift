import Foundation

extension Model {
    /// Explains the rarest window of length `k` of session `session` of `store`: the
    /// window the scoring kernel chose, and the terms of its log likelihood.
    ///
    /// The terms' contributions add up to the window's log likelihood as ``score(_:options:execution:)-1qte4``
    /// reports it (to rounding, far below 1e-9).
    /// - Returns: `nil` when the session is shorter than the window (it has no score).
    /// - Throws: ``ScoringError/invalidWindowLength(_:)`` for `k` below 1.
    /// - Complexity: O(session length · k) to find the window, plus O(|ref(c)| · parameters)
    ///   per event of the window.
    public func explain(
        session: Int, in store: SessionStore, window k: Int,
        options: ScoringOptions = ScoringOptions()
    ) throws(ScoringError) -> WindowExplanation? {
        guard k >= 1 else { throw ScoringError.invalidWindowLength(k) }
        precondition(session >= 0 && session < store.sessionCount, "session \(session) is not in the store")
        var options = options
        options.windowLengths = [k]
        let window = withKernel(for: store, SingleSessionScoring(session: session, options: options))
        guard let window else { return nil }
        var terms: [ExplanationTerm] = []
        explainer(for: store, options: options).explain(session: session, window: window, into: &terms)
        return WindowExplanation(session: session, window: window, terms: terms)
    }

    /// An explainer of `store`'s rarest windows against this model, for explaining
    /// many sessions (the scores writer explains every one) without re-indexing the
    /// vocabularies each time.
    /// - Complexity: O(vocabulary) to build.
    public func explainer(for store: SessionStore, options: ScoringOptions) -> WindowExplainer {
        WindowExplainer(model: self, store: store, options: options)
    }
}

/// Explains rarest windows of one store against one model (``Model/explainer(for:options:)``).
///
/// Each term is recomputed from the raw counts by the same formulas the model's
/// tables hold (docs/SPEC.md §4 and 5), so an explanation reads the counts behind every
/// probability; the scoring kernel's sums are not touched.
public struct WindowExplainer: Sendable {
    /// The explainer's tables, behind one reference: writers and timelines hold an explainer
    /// for millions of sessions, and a struct of a model, a store and tables costs dozens of
    /// retains and releases at each copy (a fifth of the scores writer's time on 200,000 sessions).
    final class Storage: Sendable {
        let model: Model
        let store: SessionStore
        let options: ScoringOptions
        let tables: ScoringTables
        /// `seq1` (raw) by model command id, and its total over the model's states.
        let unigram: [Double]
        let unigramTotal: Double
        /// `Σ_b seq2[a][b]` (raw) by model command id.
        let transitionTotals: [Double]
        /// `Σ_v paramValue[p][v]` (raw) by model parameter id.
        let valueTotals: [Double]

        init(model: Model, store: SessionStore, options: ScoringOptions) {
            self.model = model
            self.store = store
            self.options = options
            tables = ScoringTables(model: model, vocabulariesOf: store)
            let counts = model.counts
            let unigram = counts.unigramCounts()
            self.unigram = unigram
            unigramTotal = unigram.indices.reduce(0) { $0 + (model.isKnownCommand[$1] ? unigram[$1] : 0) }
            transitionTotals = counts.transitions.rowSums()
            var valueTotals = [Double](repeating: 0, count: counts.parameters.count)
            let parameterOfPair = counts.values.parameterOfPair
            for pair in counts.valueCounts.indices {
                valueTotals[Int(parameterOfPair[pair])] += counts.valueCounts[pair]
            }
            self.valueTotals = valueTotals
        }
    }

    let storage: Storage
    var model: Model { storage.model }
    var store: SessionStore { storage.store }
    var options: ScoringOptions { storage.options }
    var tables: ScoringTables { storage.tables }
    var unigram: [Double] { storage.unigram }
    var unigramTotal: Double { storage.unigramTotal }
    var transitionTotals: [Double] { storage.transitionTotals }
    var valueTotals: [Double] { storage.valueTotals }

    init(model: Model, store: SessionStore, options: ScoringOptions) {
        storage = Storage(model: model, store: store, options: options)
    }

    /// Appends the terms of `window` of `session` to `terms` (which it does not clear),
    /// so that one array serves a whole run of sessions.
    public func explain(session: Int, window: RarestWindow, into terms: inout [ExplanationTerm]) {
        let events = store.events(ofSession: session)
        let n = events.count
        let scale = options.windowGeometricMean ? 1 / Double(window.length) : 1
        let counts = model.counts
        for i in window.start..<(window.start + window.length) {
            let storeCommand = i < n ? store.commandIDs[events.lowerBound + i] : CommandToken.end
            let c = i < n ? Int(tables.commandMap[Int(storeCommand)]) : Int(CommandToken.end)
            if i == window.start && !(i == 0 && options.usesStartEndTokens) {
                terms.append(
                    ExplanationTerm(
                        kind: .prior, event: i, command: storeCommand, previous: -1, parameter: -1,
                        value: SessionStore.noValue, present: false, logProbability: model.logPrior[c],
                        contribution: model.logPrior[c] * scale, count: unigram[c], total: unigramTotal))
            } else {
                let storePrevious = i == 0 ? CommandToken.start : store.commandIDs[events.lowerBound + i - 1]
                let a = i == 0 ? Int(CommandToken.start) : Int(tables.commandMap[Int(storePrevious)])
                let log = model.transitionTable.logProbability(from: a, to: c)
                terms.append(
                    ExplanationTerm(
                        kind: i == 0 ? .start : i == n ? .end : .transition, event: i, command: storeCommand,
                        previous: storePrevious, parameter: -1, value: SessionStore.noValue, present: false,
                        logProbability: log, contribution: log * scale,
                        count: counts.transitions[a, c], total: transitionTotals[a]))
            }
            if i < n {
                appendParameterFactor(
                    event: events.lowerBound + i, index: i, command: storeCommand, modelCommand: c,
                    scale: scale, into: &terms)
            }
        }
    }

    /// The window and terms of `session`'s rarest window as `scores` holds it, or `nil` when it has none.
    public func explain(session: Int, scores: SessionScores.RarestWindowColumn) -> WindowExplanation? {
        guard let window = scores.window(ofSession: session, commands: store.events(ofSession: session).count) else {
            return nil
        }
        var terms: [ExplanationTerm] = []
        explain(session: session, window: window, into: &terms)
        return WindowExplanation(session: session, window: window, terms: terms)
    }

    /// The parameter factor's terms of one event (docs/SPEC.md §5): each parameter of `ref(c)`
    /// present or absent, the smoothing column "any unseen parameter" (always absent),
    /// each present modellable parameter's value, and the event's parameters outside
    /// `ref(c)` as unscored. Contributions divide by `|ref(c)| + m` (the factor's geometric mean).
    private func appendParameterFactor(
        event: Int, index: Int, command: Int32, modelCommand c: Int, scale: Double,
        into terms: inout [ExplanationTerm]
    ) {
        let occurrences = store.parameters(ofEvent: event)
        guard model.type.usesParameters, !occurrences.isEmpty else { return }
        let counts = model.counts
        let smoothed = model.smoothedUnigram[c]
        let first = terms.count
        var factorTerms = 1  // the smoothing column
        var modelledValues = 0
        func term(
            _ kind: ExplanationTerm.Kind, parameter: Int32, value: Int32 = SessionStore.noValue, present: Bool,
            log: Double, count: Double, total: Double
        ) -> ExplanationTerm {
            ExplanationTerm(
                kind: kind, event: index, command: command, previous: -1, parameter: parameter, value: value,
                present: present, logProbability: log, contribution: 0, count: count, total: total)
        }
        // The event's own parameters, in its order.
        for occurrence in occurrences {
            let storeParameter = store.parameterIDs[occurrence]
            let p = Int(tables.parameterMap[Int(storeParameter)])
            let raw = p >= 0 ? counts.commandParameters[c, p] : 0
            guard raw > 0 else {
                terms.append(
                    term(
                        .unscoredParameter, parameter: storeParameter, present: true, log: 0, count: 0,
                        total: unigram[c]))
                continue
            }
            terms.append(
                term(
                    .parameter, parameter: Int32(p), present: true, log: Foundation.log((raw + 1) / smoothed),
                    count: raw, total: unigram[c]))
            guard model.type.usesValues && tables.modellable[Int(storeParameter)] != 0 else { continue }
            let v = store.valueIDs[occurrence]
            var count = 0.0
            if v >= 0,
                let pair = store.values.withValueBytes(
                    ofPair: v, { counts.values.id(parameter: Int32(p), valueBytes: $0) })
            {
                count = counts.valueCounts[Int(pair)]
            }
            terms.append(
                term(
                    .value, parameter: Int32(p), value: v, present: true,
                    log: v >= 0 ? tables.pairLogValue[Int(v)] : tables.noValueLog[Int(storeParameter)],
                    count: count, total: valueTotals[p]))
            modelledValues += 1
        }
        // The parameters of ref(c) the event does not have, in model id order.
        counts.commandParameters.forEachNonZero(inRow: c) { p, raw in
            factorTerms += 1
            if occurrences.contains(where: { tables.parameterMap[Int(store.parameterIDs[$0])] == Int32(p) }) { return }
            terms.append(
                term(
                    .parameter, parameter: Int32(p), present: false,
                    log: Foundation.log(1 - (raw + 1) / smoothed), count: raw, total: unigram[c]))
        }
        terms.append(
            term(
                .parameter, parameter: ParameterToken.unknown, present: false, log: Foundation.log(1 - 1 / smoothed),
                count: 0, total: unigram[c]))
        let share = scale / Double(factorTerms + modelledValues)
        for t in first..<terms.count { terms[t].contribution = terms[t].logProbability * share }
    }
}

/// Scores one session of a store with the kernel and returns its rarest window
/// (for ``Model/explain(session:in:window:options:)``).
struct SingleSessionScoring: KernelVisitor {
    let session: Int
    let options: ScoringOptions

    func visit<T: TransitionLookup, P: ParameterLookup>(_ inputs: ScoreKernel<T, P>) -> RarestWindow? {
        // The kernel writes by session index: columns that reach this session.
        let size = session + 1
        var total = [Double](repeating: 0, count: size), geometric = total, logs = total
        var start = [Int32](repeating: -1, count: size)
        total.withUnsafeMutableBufferPointer { l in
            geometric.withUnsafeMutableBufferPointer { g in
                logs.withUnsafeMutableBufferPointer { w in
                    start.withUnsafeMutableBufferPointer { s in
                        inputs.score(
                            sessions: session..<session + 1, options: options,
                            output: KernelOutput(
                                logLikelihood: DisjointWrites(l), geometricMean: DisjointWrites(g),
                                windowLogs: [DisjointWrites(w)], windowStarts: [DisjointWrites(s)]))
                    }
                }
            }
        }
        let column = SessionScores.RarestWindowColumn(
            length: options.windowLengths[0], logLikelihood: logs, start: start)
        return column.window(
            ofSession: session,
            commands: inputs.columns.sessionOffsets[session + 1] - inputs.columns.sessionOffsets[session])
    }
}
