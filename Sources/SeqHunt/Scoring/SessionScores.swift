/// Scores of every session of a store, as columns in session order.
///
/// Likelihoods are kept as logs; a product that underflows a `Double` still ranks
/// correctly by its log. A missing score (no window fits the session) is NaN in
/// the log columns and `-1` in the window-start column.
public struct SessionScores: Sendable {
    /// The rarest window of one length, for every session.
    public struct RarestWindowColumn: Sendable {
        /// The window length `k`.
        public let length: Int
        /// `log` of the rarest window's likelihood (divided by `k` with geo mean), NaN when none.
        public let logLikelihood: [Double]
        /// The start of the rarest window in the session's commands, `-1` when none.
        public let start: [Int32]
    }

    public let options: ScoringOptions
    /// `log` of each session's likelihood.
    public let logLikelihood: [Double]
    /// `log` of each session's geometric-mean likelihood: `logLikelihood / commands`.
    public let geometricMeanLogLikelihood: [Double]
    /// One column per requested window length, in the order requested.
    public let rarestWindows: [RarestWindowColumn]

    /// The number of scored sessions.
    public var count: Int { logLikelihood.count }

    /// The rarest-window column for length `k`, if it was requested.
    public func rarestWindows(length k: Int) -> RarestWindowColumn? {
        rarestWindows.first { $0.length == k }
    }
}

extension SessionScores {
    /// The scores of no session (an input that had none): every column of `options`, empty.
    package static func empty(_ options: ScoringOptions) -> SessionScores {
        SessionScores(
            options: options, logLikelihood: [], geometricMeanLogLikelihood: [],
            rarestWindows: options.windowLengths.map { RarestWindowColumn(length: $0, logLikelihood: [], start: []) })
    }
}
