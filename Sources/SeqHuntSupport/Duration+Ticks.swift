extension Duration {
    /// A duration of `ticks` ticks of 100 ns (Kusto's and .NET's unit, and the unit of
    /// the engine's `Timestamp`). Exact for every `Int64`.
    package init(ticks: Int64) {
        self = .seconds(ticks / 10_000_000) + .nanoseconds((ticks % 10_000_000) * 100)
    }

    /// The whole ticks of 100 ns in this duration, rounded toward zero, and saturating at
    /// `Int64.min` and `Int64.max`.
    package var ticks: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 10_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (total, overflow2) = whole.addingReportingOverflow(attoseconds / 100_000_000_000)
        return overflow2 ? (seconds < 0 ? .min : .max) : total
    }
}
