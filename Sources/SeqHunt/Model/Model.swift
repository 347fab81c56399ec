import Foundation

/// A trained first-order Markov model over commands, with optional parameter and
/// value models, in log space (docs/SPEC.md §3 and 4).
///
/// A model keeps the raw ``counts`` and derives everything else from them by the
/// closed forms of Laplace smoothing, so it never materialises msticpy's
/// all-pairs smoothing loops:
///
/// - `n` is the number of states: every command seen in training, START, END and UNK.
/// - `seq1s[x] = seq1[x] + 2(n-1)` (START and END: `+ (n-1)`); `prior[x] = seq1s[x] / Σ seq1s`.
/// - `trans[a][b] = (seq2[a][b] + 1) / (Σ_b seq2[a][b] + n - 1)`, so the unseen cells of a
///   row share one value and need not be stored.
/// - `q[c][p] = (cmdParam[c][p] + 1) / seq1s[c]` for each `p` seen with `c`, and
///   `q[c][UNK] = 1 / seq1s[c]` for every state.
/// - `r[p][v] = (paramValue[p][v] + 1) / (Σ_v paramValue[p][v] + distinct(p) + 1)`,
///   `r[p][UNK] = 1 / (same denominator)`.
///
/// Unknown commands, parameters and values take the UNK row or column (docs/SPEC.md §4).
/// Probabilities are computed by the same divisions msticpy performs, so each
/// learned probability is bit-identical to msticpy's; scores are sums of their logs.
public struct Model: Sendable {
    /// The raw counts the model was derived from.
    public let counts: ModelCounts
    /// The session type the model was trained for.
    public var type: SessionType { counts.type }
    /// Parameters whose values are modelled (type `values`), by name.
    public let modellableParameters: Set<String>
    /// Whether ``modellableParameters`` was given by the user rather than the heuristic.
    public let modellableParametersFixed: Bool
    /// The number of states `n` (seen commands, START, END, UNK).
    public let stateCount: Int

    /// Per command id: whether the state is in the model (reserved or seen in training).
    let isKnownCommand: [Bool]
    /// Per parameter id: whether it was seen in training.
    let isKnownParameter: [Bool]
    /// Per parameter id: whether its values are modelled.
    let isModellable: [Bool]
    /// `seq1s`, per command id (0 for unknown entries).
    let smoothedUnigram: [Double]
    let logPrior: FixedBuffer<Double>
    let transitionTable: LogTransitionTable
    let parameterTable: LogParameterTable
    /// `1 / t` for every integer `t` an event's geometric mean can divide by
    /// (`refCount[c]` plus the number of modellable parameters, capped at 2^16): the
    /// kernel multiplies instead of dividing, and division was its costliest instruction.
    let inverseTerms: FixedBuffer<Double>
    /// `log r[p][v]` per pair id.
    let logValue: [Double]
    /// `log r[p][UNK]` per parameter id (0 for the UNK row, where `r = 1`).
    let logUnknownValue: [Double]

    /// Trains a model on `store` (docs/SPEC.md §2-4).
    /// - Parameters:
    ///   - store: training sessions.
    ///   - type: which session type to model.
    ///   - modellableParameters: for `values`, the parameters whose values to model;
    ///     `nil` applies the heuristic of docs/SPEC.md §4 to the raw counts.
    ///   - execution: threads for counting; the model does not depend on them.
    /// - Complexity: O(events + parameter occurrences + vocabulary).
    public init(
        training store: SessionStore, type: SessionType,
        modellableParameters: Set<String>? = nil, execution: ExecutionOptions = .automatic
    ) throws(ModelError) {
        guard store.sessionCount > 0 else { throw ModelError.noSessions }
        try self.init(
            counts: ModelCounts(training: store, type: type, execution: execution),
            modellableParameters: modellableParameters, execution: execution)
    }

    /// Derives a model from raw counts (for example merged or loaded ones).
    /// - Parameters:
    ///   - counts: the raw counts (docs/SPEC.md §2).
    ///   - fixed: for `values`, the parameters whose values to model; `nil` applies the
    ///     heuristic of docs/SPEC.md §4 to the counts.
    ///   - execution: threads for the log tables; the model does not depend on them.
    public init(
        counts: ModelCounts, modellableParameters fixed: Set<String>? = nil,
        execution: ExecutionOptions = .automatic
    ) throws(ModelError) {
        let threads = execution.threads
        guard counts.sessionCount > 0 else { throw ModelError.noSessions }
        counts.checkInvariants()
        self.counts = counts
        let nCommands = counts.commands.count
        let seq1 = counts.unigramCounts()

        // The states: reserved tokens plus every command seen in training.
        var known = [Bool](repeating: false, count: nCommands)
        for id in 0..<nCommands where id < counts.commands.reservedCount || seq1[id] > 0 { known[id] = true }
        let n = known.reduce(0) { $0 + ($1 ? 1 : 0) }
        self.stateCount = n
        self.isKnownCommand = known

        // seq1s by the closed form of docs/SPEC.md §3.
        let nm1 = Double(n - 1)
        var seq1s = [Double](repeating: 0, count: nCommands)
        for id in 0..<nCommands where known[id] {
            let tokenEdge = id == Int(CommandToken.start) || id == Int(CommandToken.end)
            seq1s[id] = seq1[id] + (tokenEdge ? nm1 : 2 * nm1)
        }
        self.smoothedUnigram = seq1s
        var total = 0.0
        for id in 0..<nCommands where known[id] { total += seq1s[id] }
        self.logPrior = FixedBuffer(
            seq1s.indices.map { id in
                Foundation.log((known[id] ? seq1s[id] : seq1s[Int(CommandToken.unknown)]) / total)
            })
        self.transitionTable = LogTransitionTable(
            counts: counts.transitions, isKnown: known, stateCount: n, threads: threads)

        // Parameters.
        let parameterTotals = counts.parameterCounts()
        let nParameters = counts.parameters.count
        self.isKnownParameter = (0..<nParameters).map { $0 < parameterTotals.count && parameterTotals[$0] > 0 }

        // Values: per-parameter totals and distinct counts from the pair counts.
        var valueTotal = [Double](repeating: 0, count: nParameters)
        var distinct = [Int](repeating: 0, count: nParameters)
        for pair in counts.valueCounts.indices where counts.valueCounts[pair] > 0 {
            let p = Int(counts.values.parameterOfPair[pair])
            valueTotal[p] += counts.valueCounts[pair]
            distinct[p] += 1
        }

        // Modellable parameters: the user's set, or the heuristic on raw counts.
        var modellable = [Bool](repeating: false, count: nParameters)
        if counts.type.usesValues {
            if let fixed {
                for name in fixed { if let id = counts.parameters.id(of: name) { modellable[Int(id)] = true } }
            } else {
                for p in 0..<nParameters where distinct[p] > 0 {
                    let occurrences = parameterTotals[p]
                    let d = Double(distinct[p])
                    modellable[p] = distinct[p] <= 20 && occurrences >= 20 && 100 * d / occurrences <= 10
                }
            }
        }
        self.isModellable = modellable
        self.modellableParametersFixed = fixed != nil
        if let fixed {
            self.modellableParameters = counts.type.usesValues ? fixed : []
        } else {
            self.modellableParameters = Set(
                (0..<nParameters).filter { modellable[$0] }.map { counts.parameters[Int32($0)] })
        }

        let maxTerms = min(1 << 16, Int(counts.parameters.count) + modellable.count + 2)
        self.inverseTerms = FixedBuffer((0..<maxTerms).map { $0 == 0 ? 0 : 1 / Double($0) })
        self.parameterTable =
            counts.type.usesParameters
            ? LogParameterTable(
                counts: counts.commandParameters, smoothedUnigram: seq1s, isKnown: known,
                parameterNames: counts.parameters, threads: threads)
            : LogParameterTable.empty

        // r[p][v] = (count + 1) / (total + distinct + 1); r[p][UNK] = 1 / (same).
        var logValue = [Double](repeating: 0, count: counts.valueCounts.count)
        var logUnknownValue = [Double](repeating: 0, count: nParameters)
        if counts.type.usesValues {
            var denominator = [Double](repeating: 1, count: nParameters)
            for p in 0..<nParameters { denominator[p] = valueTotal[p] + Double(distinct[p]) + 1 }
            for p in 0..<nParameters { logUnknownValue[p] = Foundation.log(1 / denominator[p]) }
            for pair in logValue.indices where counts.valueCounts[pair] > 0 {
                let p = Int(counts.values.parameterOfPair[pair])
                logValue[pair] = Foundation.log((counts.valueCounts[pair] + 1) / denominator[p])
            }
        }
        self.logValue = logValue
        self.logUnknownValue = logUnknownValue
    }
}

/// Why a model cannot be trained.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    /// There is nothing to train on (or no model to merge).
    case noSessions
    /// Models of different session types cannot be merged: (first, other).
    case typeMismatch(SessionType, SessionType)
    /// Models being merged fixed different sets of modellable parameters.
    case modellableMismatch
    /// Counts that no training could have produced (a damaged or forged model).
    case invalidCounts(String)

    public var description: String {
        switch self {
        case .noSessions: return "no sessions to train on"
        case .typeMismatch(let first, let other):
            return "cannot merge a \(other.rawValue) model into a \(first.rawValue) model: the session types differ"
        case .modellableMismatch:
            return "the models fix different sets of modellable parameters"
        case .invalidCounts(let cause): return "invalid model counts: \(cause)"
        }
    }
}
