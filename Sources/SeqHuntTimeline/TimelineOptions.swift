/// How a timeline is drawn.
public struct TimelineOptions: Sendable {
    /// Width in points; the PNG is `width · scale` pixels wide.
    public var width = 1400
    /// Height in points; the PNG is `height · scale` pixels high.
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
    /// The heading above the plot.
    public var title = "Rarest-window likelihood of each session"
    /// The label of the y axis.
    public var yLabel = "rarest-window likelihood"
    /// The title of the colour legend (for example "UserId"), shown when points have groups.
    public var legendTitle: String?
    /// Sessions that could not be placed on the time axis (no start time, or one that
    /// does not read as a time): counted in the footnote, never dropped silently.
    public var undated = 0

    /// The defaults: 1400 × 700 points at scale 1, a log axis, the top 10 marked.
    public init() {}

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
}
