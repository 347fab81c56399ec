/// One scored session on a timeline.
public struct TimelinePoint: Sendable, Equatable {
    /// When the session began, in microseconds since the Unix epoch.
    public var time: Int64
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

    public init(time: Int64, logLikelihood: Double, key: String, window: [String], group: String? = nil,
                session: [String] = [], sessionID: Int? = nil, rank: Int? = nil, reason: String = "") {
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
}

/// Sessions as rare as the last marked one that are not marked (the cap was reached).
public struct UnmarkedTies: Sendable, Equatable {
    /// How many.
    public var count: Int
    /// Their score, as a natural log.
    public var logLikelihood: Double

    public init(count: Int, logLikelihood: Double) {
        self.count = count
        self.logLikelihood = logLikelihood
    }
}

/// How a timeline is drawn.
public struct TimelineOptions: Sendable {
    /// Size in points; the PNG has `width · scale` × `height · scale` pixels.
    public var width = 1400
    public var height = 700
    /// Pixels per point (2 for a 144-dpi image).
    public var scale = 1.0
    /// A log y axis (default), or a linear one as msticpy draws it.
    public var logarithmic = true
    /// How many of the rarest sessions were asked for (the points carry their ranks).
    public var top = 10
    /// Sessions that tie with the last marked one but are not marked, said in a note.
    public var unmarkedTies: UnmarkedTies?
    /// Keep only scores at or below this likelihood (msticpy's `score_upper_bound`).
    public var upperBound: Double?
    public var title = "Rarest-window likelihood of each session"
    public var yLabel = "rarest-window likelihood"
    /// The title of the colour legend (for example "UserId"), shown when points have groups.
    public var legendTitle: String?
    /// Sessions that could not be placed on the time axis (no start time, or one that
    /// does not read as a time): counted in the footnote, never dropped silently.
    public var undated = 0

    public init() {}
}
