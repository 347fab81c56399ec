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

    /// The longest a session may last, in ticks of 100 ns (default 20 minutes).
    public var maximumSession: Int64
    /// The longest gap between two events of a session, in ticks of 100 ns (default 2 minutes).
    public var maximumGap: Int64
    public var boundary: Boundary
    /// Workers for sorting; `nil` uses every core. Results do not depend on it.
    public var threads: Int?

    /// A sessionizer with limits in ticks of 100 ns (Kusto's unit, as ``EventStore`` times are).
    public init(maximumSession: Int64 = 20 * 600_000_000, maximumGap: Int64 = 2 * 600_000_000,
                boundary: Boundary = .kql, threads: Int? = nil) {
        self.maximumSession = maximumSession
        self.maximumGap = maximumGap
        self.boundary = boundary
        self.threads = threads
    }

    /// A sessionizer with limits as durations (`.seconds(1200)`, `.seconds(120)`), rounded
    /// down to whole ticks of 100 ns.
    public init(maximumSession: Duration, maximumGap: Duration, boundary: Boundary = .kql, threads: Int? = nil) {
        self.init(maximumSession: Self.ticks(maximumSession), maximumGap: Self.ticks(maximumGap), boundary: boundary, threads: threads)
    }

    /// Whole ticks of 100 ns in `duration` (saturating at `Int64.max`).
    static func ticks(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 10_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (total, overflow2) = whole.addingReportingOverflow(attoseconds / 100_000_000_000)
        return overflow2 ? (seconds < 0 ? .min : .max) : total
    }

    /// The sessions built from some events.
    public struct Result: Sendable {
        /// The sessions, ordered by key rank, then begin time.
        public var store: SessionStore
        /// Per session: its key id.
        public var keys: [Int32]
        /// Per session: the time of its first and last event (ticks of 100 ns since the epoch).
        public var begins: [Int64]
        public var ends: [Int64]
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
        let moved = ScatteredEvents(columns: columns, times: events.times, destination: placement.destination,
                                    threads: threads)
        // Session boundaries, walking each key's events in time order; keys are
        // independent, so groups of keys are walked in parallel and joined in key order.
        let strict = boundary == .msticpy
        let maximumSession = self.maximumSession, maximumGap = self.maximumGap
        let groups = Self.groups(of: placement.keyRanges, parts: 4 * Parallel.workers(threads))
        let found = ParallelSlots<FoundSessions>(count: groups.count)
        let commandCount = columns.commands.count
        moved.times.withUnsafeBufferPointer { times in
        moved.commandIDs.withUnsafeBufferPointer { commands in
            let times = SharedReads(times), commands = SharedReads(commands)
            let queue = ChunkQueue(count: groups.count)
            let keyRanges = placement.keyRanges
            Parallel.run(chunks: min(groups.count, Parallel.workers(threads))) { _ in
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
                                newSession = strict ? (sinceStart > maximumSession || gap > maximumGap)
                                                    : (sinceStart >= maximumSession || gap >= maximumGap)
                            }
                            if newSession {
                                if position != range.lowerBound { sessions.close(end: previous, distinct: distinctCount) }
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
        }}
        var keys: [Int32] = [], begins: [Int64] = [], ends: [Int64] = [], distinct: [Int32] = []
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
        return Result(store: store, keys: keys, begins: begins, ends: ends,
                      distinctCommands: distinct, eventOrder: moved.order)
    }

    /// Contiguous groups of keys with about the same number of events each.
    static func groups(of keyRanges: [(key: Int32, range: Range<Int>)], parts: Int) -> [Range<Int>] {
        let total = keyRanges.reduce(0) { $0 + $1.range.count }
        let share = max(1, total / max(1, parts))
        var groups: [Range<Int>] = []
        var first = 0, events = 0
        for (i, entry) in keyRanges.enumerated() {
            events += entry.range.count
            if events >= share || i == keyRanges.count - 1 {
                groups.append(first..<(i + 1))
                first = i + 1
                events = 0
            }
        }
        return groups
    }

    /// Where each event goes: its position when events are ordered by (key rank, time,
    /// input position), and the position range of each key.
    struct Placement {
        var destination: [Int32]
        var keyRanges: [(key: Int32, range: Range<Int>)]
    }

    /// Computes the placement with a stable counting sort by key rank; a key whose
    /// events are not already in time order in the input is then sorted by time
    /// (input position breaks ties), in parallel over such keys.
    func placement(_ events: EventStore, keyRank: [Int32]) -> Placement {
        let n = events.count
        precondition(n < Int(Int32.max), "too many events for 32-bit event indices")
        let ranks = keyRank.isEmpty ? 0 : Int(keyRank.max()!) + 1
        var keyOfRank = [Int32](repeating: -1, count: ranks)
        for (key, rank) in keyRank.enumerated() { keyOfRank[Int(rank)] = Int32(key) }
        var bucketStarts = [Int](repeating: 0, count: ranks + 1)
        var lastTime = [Int64](repeating: .min, count: ranks)
        var unsorted = [Bool](repeating: false, count: ranks)
        events.keys.withUnsafeBufferPointer { keys in
        events.times.withUnsafeBufferPointer { times in
            for e in 0..<n {
                let r = Int(keyRank[Int(keys[e])])
                bucketStarts[r + 1] += 1
                if times[e] < lastTime[r] { unsorted[r] = true }
                lastTime[r] = times[e]
            }
        }}
        for r in 0..<ranks { bucketStarts[r + 1] += bucketStarts[r] }
        var destination = [Int32](repeating: 0, count: n)
        var next = bucketStarts
        events.keys.withUnsafeBufferPointer { keys in
            for e in 0..<n {
                let r = Int(keyRank[Int(keys[e])])
                destination[e] = Int32(truncatingIfNeeded: next[r])
                next[r] += 1
            }
        }
        let needSorting = (0..<ranks).filter { unsorted[$0] }
        if !needSorting.isEmpty {
            // The events of each unsorted key, in input order, then sorted by (time, input position).
            var members = [[Int32]](repeating: [], count: ranks)
            for r in needSorting { members[r].reserveCapacity(bucketStarts[r + 1] - bucketStarts[r]) }
            events.keys.withUnsafeBufferPointer { keys in
                for e in 0..<n where unsorted[Int(keyRank[Int(keys[e])])] {
                    members[Int(keyRank[Int(keys[e])])].append(Int32(e))
                }
            }
            let threads = max(1, min(needSorting.count, Parallel.workers(self.threads)))
            let queue = ChunkQueue(count: needSorting.count)
            let sortedMembers = ParallelSlots<[Int32]>(count: needSorting.count)
            let shared = members
            events.times.withUnsafeBufferPointer { times in
                let times = SharedReads(times)
                Parallel.run(chunks: threads) { _ in
                    while let i = queue.next() {
                        var list = shared[needSorting[i]]
                        list.sort { a, b in
                            let ta = times[Int(a)], tb = times[Int(b)]
                            return ta != tb ? ta < tb : a < b
                        }
                        sortedMembers.set(i, list)
                    }
                }
            }
            for (i, r) in needSorting.enumerated() {
                for (offset, e) in sortedMembers.take(i).enumerated() {
                    destination[Int(e)] = Int32(truncatingIfNeeded: bucketStarts[r] + offset)
                }
            }
        }
        let keyRanges = (0..<ranks).compactMap { r -> (key: Int32, range: Range<Int>)? in
            bucketStarts[r] < bucketStarts[r + 1] ? (keyOfRank[r], bucketStarts[r]..<bucketStarts[r + 1]) : nil
        }
        return Placement(destination: destination, keyRanges: keyRanges)
    }
}

/// Sessions found in a group of keys, in order.
struct FoundSessions {
    var starts: [Int] = []
    var keys: [Int32] = []
    var begins: [Int64] = []
    var ends: [Int64] = []
    var distinct: [Int32] = []

    mutating func open(at position: Int, key: Int32, begin: Int64) {
        starts.append(position)
        keys.append(key)
        begins.append(begin)
    }

    mutating func close(end: Int64, distinct count: Int32) {
        ends.append(end)
        distinct.append(count)
    }
}

/// The columns of some events moved to new positions (`destination[e]` for event `e`).
struct ScatteredEvents {
    var times: ContiguousArray<Int64>
    var commandIDs: ContiguousArray<Int32>
    var parameterOffsets: ContiguousArray<UInt32>
    var parameterIDs: ContiguousArray<Int32>
    var valueIDs: ContiguousArray<Int32>
    /// `order[position]` = the input index of the event now at `position`.
    var order: [Int32]

    init(columns source: SessionStore, times sourceTimes: ContiguousArray<Int64>, destination: [Int32], threads: Int?) {
        let n = destination.count
        let parts = max(1, min(Parallel.workers(threads), n / 65_536 + 1))
        let inputRanges = (0..<parts).map { (n * $0 / parts)..<(n * ($0 + 1) / parts) }
        // The output columns are allocated uninitialised and first touched by the workers
        // that fill them: no zero-filling pass on one thread, and the page faults of a
        // few hundred megabytes of fresh memory are taken in parallel. `destination` is a
        // permutation, so every element is written exactly once.
        var times = ContiguousArray<Int64>(), commandIDs = ContiguousArray<Int32>()
        var counts = ContiguousArray<UInt32>(), order = [Int32]()
        source.withColumns { from in
        sourceTimes.withUnsafeBufferPointer { sourceTimes in
        destination.withUnsafeBufferPointer { destination in
            let sourceTimes = SharedReads(sourceTimes), destination = SharedReads(destination)
            times = ContiguousArray(unsafeUninitializedCapacity: n) { timesOut, timesCount in
            commandIDs = ContiguousArray(unsafeUninitializedCapacity: n) { commandsOut, commandsCount in
            counts = ContiguousArray(unsafeUninitializedCapacity: n + 1) { countsOut, countsCount in
            order = [Int32](unsafeUninitializedCapacity: n) { orderOut, orderCount in
                let times = DisjointWrites(timesOut)
                let commandIDs = DisjointWrites(commandsOut)
                let counts = DisjointWrites(countsOut)
                let order = DisjointWrites(orderOut)
                counts[0] = 0
                Parallel.run(chunks: parts) { part in
                    for e in inputRanges[part] {
                        let p = Int(destination[e])
                        times[p] = sourceTimes[e]
                        commandIDs[p] = from.commandIDs[e]
                        counts[p + 1] = from.parameterOffsets[e + 1] &- from.parameterOffsets[e]
                        order[p] = Int32(truncatingIfNeeded: e)
                    }
                }
                (timesCount, commandsCount, countsCount, orderCount) = (n, n, n + 1, n)
            }}}}
        }}}
        // Parameter offsets in the new order.
        counts.withUnsafeMutableBufferPointer { counts in
            for p in 0..<n { counts[p + 1] &+= counts[p] }
        }
        let occurrences = Int(counts[n])
        var parameterIDs = ContiguousArray<Int32>(), valueIDs = ContiguousArray<Int32>()
        source.withColumns { from in
        destination.withUnsafeBufferPointer { destination in
        counts.withUnsafeBufferPointer { offsets in
            let destination = SharedReads(destination), offsets = SharedReads(offsets)
            parameterIDs = ContiguousArray(unsafeUninitializedCapacity: occurrences) { parameterBuffer, parameterCount in
            valueIDs = ContiguousArray(unsafeUninitializedCapacity: occurrences) { valueBuffer, valueCount in
                let parameterOut = DisjointWrites(parameterBuffer)
                let valueOut = DisjointWrites(valueBuffer)
                Parallel.run(chunks: parts) { part in
                    for e in inputRanges[part] {
                        let first = Int(from.parameterOffsets[e]), count = Int(from.parameterOffsets[e + 1]) - first
                        guard count > 0 else { continue }
                        let to = Int(offsets[Int(destination[e])])
                        (parameterOut.base + to).initialize(from: from.parameterIDs.baseAddress! + first, count: count)
                        (valueOut.base + to).initialize(from: from.valueIDs.baseAddress! + first, count: count)
                    }
                }
                (parameterCount, valueCount) = (occurrences, occurrences)
            }}
        }}}
        self.times = times
        self.commandIDs = commandIDs
        self.parameterOffsets = counts
        self.parameterIDs = parameterIDs
        self.valueIDs = valueIDs
        self.order = order
    }
}
