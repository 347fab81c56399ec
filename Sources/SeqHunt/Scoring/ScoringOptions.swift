/// What to compute when scoring sessions (docs/SPEC.md §5).
public struct ScoringOptions: Sendable, Equatable {
    /// Lengths `k >= 1` of the sliding windows whose rarest instance is reported.
    public var windowLengths: [Int]
    /// Whether START and END take part (the first window may use START; END is appended).
    public var usesStartEndTokens: Bool
    /// Whether each window likelihood is raised to `1/k` before comparing ("geo mean").
    public var windowGeometricMean: Bool

    public init(windowLengths: [Int] = [3], usesStartEndTokens: Bool = true,
                windowGeometricMean: Bool = false) {
        self.windowLengths = windowLengths
        self.usesStartEndTokens = usesStartEndTokens
        self.windowGeometricMean = windowGeometricMean
    }
}

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

/// The rarest window of one session, as a value.
public struct RarestWindow: Sendable, Equatable {
    /// Window length `k`.
    public let length: Int
    /// First command of the window in the session.
    public let start: Int
    /// Commands in the window: `k`, or `k - 1` when the window closes on END.
    public let commandRange: Range<Int>
    /// `log` of the window's likelihood (divided by `k` with geo mean).
    public let logLikelihood: Double
}

extension SessionScores.RarestWindowColumn {
    /// The rarest window of `session`, or `nil` when it has none; `commands` is
    /// the session's number of commands.
    public func window(ofSession session: Int, commands: Int) -> RarestWindow? {
        let s = Int(start[session])
        guard s >= 0 else { return nil }
        return RarestWindow(length: length, start: s, commandRange: s..<min(s + length, commands),
                            logLikelihood: logLikelihood[session])
    }
}

/// Why a scoring request cannot be carried out.
public enum ScoringError: Error, CustomStringConvertible, Equatable {
    /// A window length below 1.
    case invalidWindowLength(Int)
    /// The task that awaited the scores was cancelled before they were complete.
    case cancelled
    public var description: String {
        switch self {
        case .invalidWindowLength(let k): return "window length \(k) is not at least 1"
        case .cancelled: return "scoring was cancelled"
        }
    }
}

extension SessionScores {
    /// The scores of no session (an input that had none): every column of `options`, empty.
    package static func empty(_ options: ScoringOptions) -> SessionScores {
        SessionScores(options: options, logLikelihood: [], geometricMeanLogLikelihood: [],
                      rarestWindows: options.windowLengths.map { RarestWindowColumn(length: $0, logLikelihood: [], start: []) })
    }
}

/// Everything about one session's scores (``SessionScores/session(_:commandCount:)``).
public struct SessionScore: Sendable, Equatable {
    /// The session (index in the store).
    public let session: Int
    /// `log` of the session's likelihood.
    public let logLikelihood: Double
    /// `log` of its geometric-mean likelihood.
    public let geometricMeanLogLikelihood: Double
    /// Its rarest window of each requested length, in the order requested; `nil` for a
    /// length the session is shorter than.
    public let rarestWindows: [RarestWindow?]

    /// The rarest window of length `k`, if `k` was scored and the session has one.
    public func rarestWindow(length k: Int) -> RarestWindow? {
        rarestWindows.first { $0?.length == k } ?? nil
    }
}

extension SessionScores {
    /// Session `session`'s scores as one value, without reading the columns one by one.
    /// - Parameters:
    ///   - session: the session's index in the store.
    ///   - commandCount: the session's number of commands
    ///     (`store.events(ofSession: session).count`), which bounds its windows.
    public func session(_ session: Int, commandCount: Int) -> SessionScore {
        SessionScore(session: session, logLikelihood: logLikelihood[session],
                     geometricMeanLogLikelihood: geometricMeanLogLikelihood[session],
                     rarestWindows: rarestWindows.map { $0.window(ofSession: session, commands: commandCount) })
    }

    /// Session `session`'s scores as one value, its command count read from `store`.
    /// - Parameters:
    ///   - session: the session's index in the store.
    ///   - store: the store that was scored.
    public func session(_ session: Int, in store: SessionStore) -> SessionScore {
        self.session(session, commandCount: store.events(ofSession: session).count)
    }
}
