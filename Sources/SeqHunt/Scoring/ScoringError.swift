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
