/// One term of a rarest window's log likelihood: a start, prior or transition
/// probability, or one part of an event's parameter factor.
///
/// A term holds ids, not names, so that explaining a million sessions costs no `String`
/// per term; ``WindowExplainer`` turns them into names. Commands and values are the
/// scored store's ids; a parameter is the model's id when the model scored it
/// (`parameter`, `value`) and the store's when it did not (`unscored_parameter`).
public struct ExplanationTerm: Sendable, Equatable {
    /// What the term is.
    public enum Kind: String, Sendable {
        /// `log trans[START][c0]`: the window opens the session and tokens are on.
        case start
        /// `log prior[c]`: the window's first state, when it does not open the session
        /// (or tokens are off).
        case prior
        /// `log trans[a][b]` between two commands of the window.
        case transition
        /// `log trans[c][END]`: the window closes the session.
        case end
        /// `log q[c][p]` (present) or `log(1 - q[c][p])` (absent) for a parameter in `ref(c)`.
        case parameter
        /// `log r[p][v]` for a present modellable parameter's value (type `values`).
        case value
        /// A parameter of the event that is not in `ref(c)`: msticpy's model ignores it,
        /// so it adds nothing (log probability and contribution 0).
        case unscoredParameter = "unscored_parameter"
    }

    public var kind: Kind
    /// The index in the session of the event the term belongs to; the session's
    /// command count for the END state.
    public var event: Int
    /// The state the term is about (store command id; ``CommandToken/end`` for END).
    public var command: Int32
    /// The state before it, for `start` (``CommandToken/start``), `transition` and `end`; -1 otherwise.
    public var previous: Int32
    /// The parameter of a `parameter` or `value` term (model id; ``ParameterToken/unknown``
    /// for the smoothing column "any unseen parameter") or of an `unscored_parameter`
    /// term (store id); -1 for other kinds.
    public var parameter: Int32
    /// The value pair (store id) of a `value` term, ``SessionStore/noValue`` when the
    /// parameter had no value; ``SessionStore/noValue`` for other kinds.
    public var value: Int32
    /// For `parameter` terms: whether the event has the parameter.
    public var present: Bool
    /// The term's own log probability (before any geometric mean).
    public var logProbability: Double
    /// What the term adds to the window's log likelihood once the parameter factor's
    /// and the window's geometric means are applied. The contributions of an
    /// explanation add up to the window's log likelihood.
    public var contribution: Double
    /// Whether the training count behind the term is zero: its probability is the
    /// Laplace smoothing's (the UNK fall-back for a command, parameter or value never seen).
    public var unseen: Bool { count == 0 }
    /// The training count the probability came from: `seq2[a][b]` for transitions,
    /// `seq1[c]` for priors, `cmdParam[c][p]` for parameters, `paramValue[p][v]` for values.
    public var count: Double
    /// What that count is out of: the row total of `a` for transitions, all
    /// states for priors, `seq1[c]` for parameters, the parameter's values for values.
    public var total: Double
}

/// Why a session's rarest window is as rare as it is: the window and the terms
/// of its log likelihood, in order (the first state, then per step the transition
/// and the event's parameter factor).
public struct WindowExplanation: Sendable {
    /// The session (index in the store).
    public let session: Int
    /// The window explained.
    public let window: RarestWindow
    /// The terms, whose contributions add up to ``RarestWindow/logLikelihood``.
    public let terms: [ExplanationTerm]

    /// The sum of the terms' contributions: the window's log likelihood, to rounding.
    public var logLikelihood: Double { terms.reduce(0) { $0 + $1.contribution } }
}
