import SeqHunt

/// One scored session on a timeline.
public struct TimelinePoint: Sendable, Equatable {
    /// When the session began.
    public var time: Timestamp
    /// `log` of the plotted score (the rarest-window likelihood); NaN when the session has none.
    public var logLikelihood: Double
    /// Who acted, for labels and tooltips (for example "alex@contoso.com / 1.2.3.4").
    public var key: String
    /// The commands of the rarest window.
    public var window: [String]
    /// The colour group (for example the UserId), or `nil` for one colour.
    public var group: String?
    /// The whole session's commands (shown in the HTML page's tooltip).
    public var session: [String]
    /// The session's `session_id` (its 1-based place in the input), shown in labels and tooltips.
    public var sessionID: Int?
    /// Its place in the ranking (1 = rarest) when it is marked: the top N and the rest of a
    /// tie at the cut (up to a cap). Marked points are ringed, numbered and labelled.
    public var rank: Int?
    /// One line saying why its rarest window is rare.
    public var reason: String

    /// A point; only the time, score, key and window are required.
    public init(
        time: Timestamp, logLikelihood: Double, key: String, window: [String], group: String? = nil,
        session: [String] = [], sessionID: Int? = nil, rank: Int? = nil, reason: String = ""
    ) {
        self.time = time
        self.logLikelihood = logLikelihood
        self.key = key
        self.window = window
        self.group = group
        self.session = session
        self.sessionID = sessionID
        self.rank = rank
        self.reason = reason
    }

    /// ``time`` in microseconds since the Unix epoch (rounded toward zero): the unit the drawings lay out in.
    var microseconds: Int64 { time.ticks / 10 }
}
