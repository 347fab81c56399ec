/// What to do with a bad row.
public enum BadRowPolicy: String, Sendable, CaseIterable {
    /// Stop at the first bad row with one clear error.
    case fail
    /// Skip bad rows, count them per cause, and report the counts and the first one.
    case skip
}
