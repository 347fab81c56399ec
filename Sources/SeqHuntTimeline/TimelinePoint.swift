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

    public init(time: Int64, logLikelihood: Double, key: String, window: [String], group: String? = nil,
                session: [String] = []) {
        self.time = time
        self.logLikelihood = logLikelihood
        self.key = key
        self.window = window
        self.group = group
        self.session = session
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
    /// How many of the rarest sessions to mark and label.
    public var top = 10
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
