/// How much of the machine the engine may use, for every call that works in parallel.
///
/// Results never depend on these settings, only speed and memory do: the same input gives
/// the same bytes out with one thread or sixteen (docs/SPEC.md §2 and §5). The synchronous calls
/// block their caller while the work runs on ``threads`` threads
/// (`DispatchQueue.concurrentPerform`); the `async` overloads run it off Swift's cooperative pool.
public struct ExecutionOptions: Sendable, Equatable {
    /// Worker threads; `nil` uses every active core. At least 1 is used, and at most four per
    /// core: more only cost memory.
    public var threads: Int?
    /// How many chunks of sessions each worker's share of scoring is cut into (default 4).
    /// More chunks balance sessions of uneven length better and let a cancelled `async`
    /// scoring call stop sooner; fewer cost less bookkeeping. Values below 1 count as 1.
    public var chunksPerThread: Int

    /// Options for `threads` workers (`nil`: every core).
    public init(threads: Int? = nil, chunksPerThread: Int = 4) {
        self.threads = threads
        self.chunksPerThread = chunksPerThread
    }

    /// Every core, four chunks per worker.
    public static var automatic: ExecutionOptions { ExecutionOptions() }

    /// The number of workers these options give on this machine.
    package var workers: Int { Parallel.workers(threads) }

    /// The number of chunks to cut scoring work into.
    package var chunks: Int { max(1, chunksPerThread) * workers }
}
