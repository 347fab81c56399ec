/// What to compute when scoring sessions (docs/SPEC.md §5).
public struct ScoringOptions: Sendable, Equatable {
    /// Lengths `k >= 1` of the sliding windows whose rarest instance is reported.
    public var windowLengths: [Int]
    /// Whether START and END take part (the first window may use START; END is appended).
    public var usesStartEndTokens: Bool
    /// Whether each window likelihood is raised to `1/k` before comparing ("geo mean").
    public var windowGeometricMean: Bool

    public init(
        windowLengths: [Int] = [3], usesStartEndTokens: Bool = true,
        windowGeometricMean: Bool = false
    ) {
        self.windowLengths = windowLengths
        self.usesStartEndTokens = usesStartEndTokens
        self.windowGeometricMean = windowGeometricMean
    }
}
