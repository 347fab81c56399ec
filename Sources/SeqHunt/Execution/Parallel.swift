import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// The one place that splits work across cores.
///
/// Work is cut into contiguous chunks of sessions balanced by event count. Each
/// chunk writes only to its own slice of the output (or to its own partial
/// counts), so results never depend on the number of threads or on scheduling.
/// The readers and writers of other modules use ``run(chunks:_:)`` too.
package enum Parallel {
    /// The number of workers to use when the caller does not say: the active cores.
    package static var defaultThreadCount: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// The most workers a caller may ask for: four per core. More only cost memory.
    package static var maximumThreadCount: Int { 4 * defaultThreadCount }

    /// The workers for a caller's `threads` (nil: every core), at least 1 and at most
    /// ``maximumThreadCount``.
    package static func workers(_ threads: Int?) -> Int {
        min(max(1, threads ?? defaultThreadCount), maximumThreadCount)
    }

    /// Runs `body(chunk)` for `0..<chunks`, concurrently when `chunks > 1`.
    package static func run(chunks: Int, _ body: @Sendable (Int) -> Void) {
        if chunks <= 1 {
            for chunk in 0..<chunks { body(chunk) }
        } else {
            DispatchQueue.concurrentPerform(iterations: chunks, execute: body)
        }
    }

    /// `body(i)` for each index of `0..<count`, on `workers` threads, and each result (or
    /// error) in index order. With one worker, one call does every index in order on the
    /// calling thread. The readers parse the pieces of a block with it and take them in
    /// input order, so results and the first error never depend on the thread count.
    package static func map<T>(_ count: Int, workers: Int, _ body: @Sendable (Int) throws -> T) -> [Result<
        T, any Error
    >] {
        let slots = ParallelSlots<Result<T, any Error>>(count: count)
        run(chunks: workers == 1 ? 1 : count) { chunk in
            for i in (workers == 1 ? 0..<count : chunk..<(chunk + 1)) {
                slots.set(i, Result { try body(i) })
            }
        }
        return (0..<count).map { slots.take($0) }
    }

    /// Runs `body` over contiguous ranges of `0..<rows`, one per worker (`threads`, or
    /// every core) when there are enough `cells` (the total work) to be worth it. Each
    /// range must write only its rows.
    static func forEachRowRange(rows: Int, cells: Int, threads: Int?, _ body: @Sendable (Range<Int>) -> Void) {
        let parts = cells < 1 << 16 ? 1 : min(workers(threads), max(rows, 1))
        Parallel.run(chunks: parts) { part in
            body((rows * part / parts)..<(rows * (part + 1) / parts))
        }
    }

    /// Splits `store`'s sessions into at most `parts` contiguous ranges with about
    /// the same number of events each. Empty ranges are omitted.
    /// - Complexity: O(parts · log(sessions)).
    static func sessionRanges(of store: SessionStore, parts: Int) -> [Range<Int>] {
        let sessions = store.sessionCount
        guard sessions > 0 else { return [] }
        let parts = max(1, min(parts, sessions))
        let events = store.eventCount
        var ranges: [Range<Int>] = []
        var lower = 0
        store.sessionOffsets.withUnsafeBufferPointer { offsets in
            for part in 1...parts {
                let upper: Int
                if part == parts {
                    upper = sessions
                } else {
                    // First session whose start reaches this part's share of events.
                    let target = events / parts * part
                    var lo = lower, hi = sessions
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if offsets[mid] < target { lo = mid + 1 } else { hi = mid }
                    }
                    upper = lo
                }
                if upper > lower { ranges.append(lower..<upper) }
                lower = max(lower, upper)
            }
        }
        return ranges
    }
}
