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
        SessionScore(
            session: session, logLikelihood: logLikelihood[session],
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
