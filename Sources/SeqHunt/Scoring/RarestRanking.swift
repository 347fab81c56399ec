/// The order in which sessions are shown: rarest score first, equal scores by a
/// tie order (key, then begin time, then input order), sessions without a score last.
///
/// The order is the same on every run and for every thread count: scores are
/// bit-identical for any thread count, and equal ones never fall back to the order in
/// which workers finished.
public struct RarestRanking: Sendable {
    /// Session indices, rarest first.
    public let order: [Int]
    /// The score each session was ranked by (a log likelihood; NaN for none).
    public let scores: [Double]

    /// Ranks sessions by `scores`, ascending.
    ///
    /// Runs of equal scores that reach into the first `depth` places are put in
    /// `tieOrder`; deeper runs (never shown) stay in input order, so that a million
    /// sessions that share a common score do not cost a million key comparisons.
    /// - Parameters:
    ///   - scores: each session's log likelihood (NaN for none).
    ///   - depth: how many places must be exact (the most any output shows).
    ///   - tieOrder: a strict order on session indices (by key, then begin time).
    /// - Complexity: O(n log n) for n sessions, plus O(t log t) tie comparisons for the
    ///   t sessions of the runs that reach into the first `depth`.
    public init(scores: [Double], depth: Int, tieOrder: (Int, Int) -> Bool) {
        var order = Array(scores.indices)
        order.sort { a, b in
            let x = scores[a], y = scores[b]
            if x.isNaN != y.isNaN { return !x.isNaN }
            if x != y && !x.isNaN { return x < y }
            return a < b
        }
        var start = 0
        while start < min(depth, order.count) {
            let score = scores[order[start]]
            var end = start + 1
            while end < order.count && Self.same(scores[order[end]], score) { end += 1 }
            if end - start > 1 { order[start..<end].sort(by: tieOrder) }
            start = end
        }
        self.order = order
        self.scores = scores
    }

    private static func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }

    /// How many sessions ranked after the first `count` share the score of the last of
    /// them (within docs/SPEC.md §5's tie tolerance of 1e-12 in log space): the ones a cut at
    /// `count` would hide although they are exactly as rare.
    public func tiesAfter(first count: Int) -> Int {
        guard count > 0, count < order.count else { return 0 }
        let score = scores[order[count - 1]]
        guard !score.isNaN else { return 0 }
        var n = 0
        while count + n < order.count, abs(scores[order[count + n]] - score) <= rarestWindowTieTolerance { n += 1 }
        return n
    }
}
