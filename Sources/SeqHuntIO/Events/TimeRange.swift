import SeqHunt

/// A range of event times: `since` (inclusive) to `until` (exclusive), each a time or a
/// duration back from the latest event that the other filters kept (like KQL's `ago(60d)`).
public struct TimeRange: Sendable, Equatable {
    /// One end of the range.
    public enum Bound: Sendable, Equatable {
        /// An instant.
        case time(Timestamp)
        /// A duration counted back from the latest event (in whole ticks of 100 ns, rounded down).
        case beforeLatest(Duration)
    }

    /// The first time kept (`nil`: no lower bound).
    public var since: Bound?
    /// The first time no longer kept (`nil`: no upper bound).
    public var until: Bound?

    /// The range from `since` up to, not including, `until`.
    public init(since: Bound? = nil, until: Bound? = nil) {
        self.since = since
        self.until = until
    }

    /// The events inside the range, and the report with the others counted as filtered.
    func apply(to events: EventStore, report: ReadReport) -> (EventStore, ReadReport) {
        guard since != nil || until != nil, events.count > 0 else { return (events, report) }
        let latest = events.times.max()!
        func resolve(_ bound: Bound?, _ otherwise: Timestamp) -> Int64 {
            switch bound {
            case .time(let t): return t.ticks
            case .beforeLatest(let duration): return (latest - duration).ticks
            case nil: return otherwise.ticks
            }
        }
        let low = resolve(since, .min), high = resolve(until, .max)
        let times = events.ticks
        let kept = events.filter { times[$0] >= low && (until == nil || times[$0] < high) }
        var report = report
        let dropped = events.count - kept.count
        report.eventsKept -= dropped
        report.rowsFiltered += dropped
        return (kept, report)
    }
}
