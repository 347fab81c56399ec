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
        return RarestWindow(
            length: length, start: s, commandRange: s..<min(s + length, commands),
            logLikelihood: logLikelihood[session])
    }
}
