import SeqHuntSupport

/// Groups events into sessions the way Kusto's `row_window_session` does (docs/SPEC.md §8).
///
/// Events are sorted by key, then time; equal times keep their input order. Walking
/// the sorted events, a new session starts when the key changes, when the time since
/// the session's first event reaches ``maximumSession``, or when the time since the
/// previous event reaches ``maximumGap``. "Reaches" is `>=` in ``Boundary/kql`` (Kusto's
/// documented rule) and `>` in ``Boundary/msticpy`` (msticpy's `sessionize_data`).
public struct Sessionizer: Sendable {
    /// How a limit is compared.
    public enum Boundary: String, Sendable, CaseIterable {
        /// A new session starts when a limit is reached (`>=`), as Kusto documents.
        case kql
        /// A new session starts when a limit is exceeded (`>`), as msticpy does.
        case msticpy
    }

    /// The longest a session may last (default 20 minutes). Event times are whole ticks of
    /// 100 ns (Kusto's unit), and the limit is compared in whole ticks, rounded down.
    public var maximumSession: Duration
    /// The longest gap between two events of a session (default 2 minutes), compared in whole
    /// ticks of 100 ns, rounded down.
    public var maximumGap: Duration
    /// Whether a limit starts a new session when reached or only when exceeded.
    public var boundary: Boundary
    /// Threads for sorting; the sessions do not depend on them.
    public var execution: ExecutionOptions

    /// A sessionizer with Kusto's `row_window_session` limits.
    public init(
        maximumSession: Duration = .seconds(20 * 60), maximumGap: Duration = .seconds(2 * 60),
        boundary: Boundary = .kql, execution: ExecutionOptions = .automatic
    ) {
        self.maximumSession = maximumSession
        self.maximumGap = maximumGap
        self.boundary = boundary
        self.execution = execution
    }

    /// The sessions built from some events.
    public struct Result: Sendable {
        /// The sessions, ordered by key rank, then begin time.
        public var store: SessionStore
        /// Per session: its key id.
        public var keys: [Int32]
        /// Per session: the time of its first event.
        public var begins: Timestamps { Timestamps(beginTicks) }
        /// Per session: the time of its last event.
        public var ends: Timestamps { Timestamps(endTicks) }
        /// Per session: the ticks of its first and last event, for the writers.
        package var beginTicks: ContiguousArray<Int64>
        package var endTicks: ContiguousArray<Int64>
        /// Per session: the number of distinct commands.
        public var distinctCommands: [Int32]
        /// Per session: the input position (event index) of each of its events, for tracing back.
        public var eventOrder: [Int32]
    }

    /// Sessionizes `events`. `keyRank[k]` orders key `k` among keys (for example by
    /// the keys' text); sessions come out by key rank, then time.
    /// - Complexity: O(n) to group by key (a stable counting sort on key rank) plus,
    ///   per key, O(m) when its events are already in time order and O(m log m)
    ///   otherwise; keys are processed in parallel.
    public func sessionize(_ events: EventStore, keyRank: [Int32]) -> Result {
        let n = events.count
        let placement = placement(events, keyRank: keyRank)
        let columns = events.columns
        // Move every event to its place in one sequential pass over the input: reads are
        // sequential and writes go to one stream per key, which caches handle well (a
        // gather by sorted order would read from all over the input instead).
        let moved = ScatteredEvents(
            columns: columns, times: events.ticks, destination: placement.destination,
            threads: execution.threads)
        // Session boundaries, walking each key's events in time order; keys are
        // independent, so groups of keys are walked in parallel and joined in key order.
        let strict = boundary == .msticpy
        let maximumSession = self.maximumSession.ticks, maximumGap = self.maximumGap.ticks
        let groups = Self.groups(of: placement.keyRanges, parts: execution.chunks)
        let found = ParallelSlots<FoundSessions>(count: groups.count)
        let commandCount = columns.commands.count
        moved.times.withUnsafeBufferPointer { times in
            moved.commandIDs.withUnsafeBufferPointer { commands in
                let times = SharedReads(times), commands = SharedReads(commands)
                let queue = ChunkQueue(count: groups.count)
                let keyRanges = placement.keyRanges
                Parallel.run(chunks: min(groups.count, execution.workers)) { _ in
                    var seen = [Int32](repeating: -1, count: commandCount)
                    var stamp: Int32 = 0
                    while let g = queue.next() {
                        var sessions = FoundSessions()
                        for (key, range) in keyRanges[groups[g]] {
                            var start: Int64 = 0, previous: Int64 = 0, distinctCount: Int32 = 0
                            for position in range {
                                let t = times[position]
                                let newSession: Bool
                                if position == range.lowerBound {
                                    newSession = true
                                } else {
                                    let sinceStart = t &- start, gap = t &- previous
                                    newSession =
                                        strict
                                        ? (sinceStart > maximumSession || gap > maximumGap)
                                        : (sinceStart >= maximumSession || gap >= maximumGap)
                                }
                                if newSession {
                                    if position != range.lowerBound {
                                        sessions.close(end: previous, distinct: distinctCount)
                                    }
                                    sessions.open(at: position, key: key, begin: t)
                                    distinctCount = 0
                                    stamp &+= 1
                                    start = t
                                }
                                previous = t
                                let command = Int(commands[position])
                                if seen[command] != stamp {
                                    seen[command] = stamp
                                    distinctCount += 1
                                }
                            }
                            sessions.close(end: previous, distinct: distinctCount)
                        }
                        found.set(g, sessions)
                    }
                }
            }
        }
        var keys: [Int32] = [], begins: ContiguousArray<Int64> = [], ends: ContiguousArray<Int64> = []
        var distinct: [Int32] = []
        var sessionOffsets = ContiguousArray<Int>()
        for g in 0..<groups.count {
            let part = found.take(g)
            keys += part.keys
            begins += part.begins
            ends += part.ends
            distinct += part.distinct
            sessionOffsets += part.starts
        }
        sessionOffsets.append(n)
        var store = SessionStore()
        store.commands = columns.commands
        store.parameters = columns.parameters
        store.values = columns.values
        store.sessionOffsets = sessionOffsets
        store.commandIDs = moved.commandIDs
        store.parameterOffsets = moved.parameterOffsets
        store.parameterIDs = moved.parameterIDs
        store.valueIDs = moved.valueIDs
        return Result(
            store: store, keys: keys, beginTicks: begins, endTicks: ends,
            distinctCommands: distinct, eventOrder: moved.order)
    }
}
