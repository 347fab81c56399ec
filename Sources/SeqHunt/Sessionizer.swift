/// Groups events into sessions the way Kusto's `row_window_session` does (SPEC 6).
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

    /// The longest a session may last, in microseconds (default 20 minutes).
    public var maximumSession: Int64
    /// The longest gap between two events of a session, in microseconds (default 2 minutes).
    public var maximumGap: Int64
    public var boundary: Boundary
    /// Workers for sorting; `nil` uses every core. Results do not depend on it.
    public var threads: Int?

    public init(maximumSession: Int64 = 20 * 60_000_000, maximumGap: Int64 = 2 * 60_000_000,
                boundary: Boundary = .kql, threads: Int? = nil) {
        self.maximumSession = maximumSession
        self.maximumGap = maximumGap
        self.boundary = boundary
        self.threads = threads
    }

    /// The sessions built from some events.
    public struct Result: Sendable {
        /// The sessions, ordered by key rank, then begin time.
        public var store: SessionStore
        /// Per session: its key id.
        public var keys: [Int32]
        /// Per session: the time of its first and last event (microseconds since the epoch).
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
        let order = sortedOrder(events, keyRank: keyRank)
        let columns = events.columns
        var keys: [Int32] = [], begins: [Int64] = [], ends: [Int64] = [], distinct: [Int32] = []
        var sessionOffsets = ContiguousArray<Int>([0])
        var seenInSession = [Int32](repeating: -1, count: columns.commands.count)
        let strict = boundary == .msticpy
        // Pass 1 (sequential, reads only times, keys and commands): session boundaries.
        events.times.withUnsafeBufferPointer { times in
        events.keys.withUnsafeBufferPointer { eventKeys in
        columns.commandIDs.withUnsafeBufferPointer { commands in
            var sessionIndex: Int32 = -1, distinctCount: Int32 = 0
            var start: Int64 = 0, previous: Int64 = 0, currentKey: Int32 = -1
            for position in 0..<n {
                let e = Int(order[position])
                let t = times[e], key = eventKeys[e]
                let newSession: Bool
                if sessionIndex < 0 || key != currentKey {
                    newSession = true
                } else {
                    let sinceStart = t &- start, gap = t &- previous
                    newSession = strict ? (sinceStart > maximumSession || gap > maximumGap)
                                        : (sinceStart >= maximumSession || gap >= maximumGap)
                }
                if newSession {
                    if sessionIndex >= 0 {
                        sessionOffsets.append(position)
                        ends.append(previous)
                        distinct.append(distinctCount)
                    }
                    sessionIndex += 1
                    distinctCount = 0
                    start = t
                    currentKey = key
                    keys.append(key)
                    begins.append(t)
                }
                previous = t
                let command = Int(commands[e])
                if seenInSession[command] != sessionIndex {
                    seenInSession[command] = sessionIndex
                    distinctCount += 1
                }
            }
            if sessionIndex >= 0 {
                sessionOffsets.append(n)
                ends.append(previous)
                distinct.append(distinctCount)
            }
        }}}
        // Pass 2: gather the events' columns in session order (parameters copied as runs).
        let store = SessionStore(gathering: columns, order: order, sessionOffsets: sessionOffsets, threads: threads)
        return Result(store: store, keys: keys, begins: begins, ends: ends,
                      distinctCommands: distinct, eventOrder: order)
    }

    /// Event indices ordered by (key rank, time, input position).
    func sortedOrder(_ events: EventStore, keyRank: [Int32]) -> [Int32] {
        let n = events.count
        precondition(n < Int(Int32.max), "too many events for 32-bit event indices")
        let ranks = keyRank.isEmpty ? 0 : Int(keyRank.max()!) + 1
        // Stable counting sort by key rank.
        var bucketStarts = [Int](repeating: 0, count: ranks + 1)
        for key in events.keys { bucketStarts[Int(keyRank[Int(key)]) + 1] += 1 }
        for r in 0..<ranks { bucketStarts[r + 1] += bucketStarts[r] }
        var order = [Int32](repeating: 0, count: n)
        var next = bucketStarts
        for e in 0..<n {
            let r = Int(keyRank[Int(events.keys[e])])
            order[next[r]] = Int32(e)
            next[r] += 1
        }
        // Within each key, order by time; input order breaks ties (stable).
        let buckets = (0..<ranks).map { bucketStarts[$0]..<bucketStarts[$0 + 1] }.filter { $0.count > 1 }
        let threads = max(1, min(buckets.count, self.threads ?? Parallel.defaultThreadCount))
        events.times.withUnsafeBufferPointer { times in
            let shared = SharedReads(times)
            order.withUnsafeMutableBufferPointer { order in
                let out = DisjointWrites(order.baseAddress!)
                let queue = ChunkQueue(count: buckets.count)
                Parallel.run(chunks: threads) { _ in
                    while let b = queue.next() {
                        let range = buckets[b]
                        var sorted = true
                        for i in range.dropFirst() where shared[Int(out[i - 1])] > shared[Int(out[i])] {
                            sorted = false
                            break
                        }
                        if sorted { continue }
                        var slice = (range).map { out[$0] }
                        slice.sort { a, b in
                            let ta = shared[Int(a)], tb = shared[Int(b)]
                            return ta != tb ? ta < tb : a < b
                        }
                        for (i, e) in zip(range, slice) { out[i] = e }
                    }
                }
            }
        }
        return order
    }
}

extension SessionStore {
    /// The events of `source` (one open run) reordered by `order` and cut into
    /// sessions at `sessionOffsets`. Parameter runs are copied, in parallel.
    /// - Complexity: O(events + parameter occurrences).
    init(gathering source: SessionStore, order: [Int32], sessionOffsets: ContiguousArray<Int>, threads: Int?) {
        self.init()
        commands = source.commands
        parameters = source.parameters
        values = source.values
        self.sessionOffsets = sessionOffsets
        let n = order.count
        // Output parameter offsets: a prefix sum of the reordered events' parameter counts.
        var offsets = ContiguousArray<UInt32>(repeating: 0, count: n + 1)
        source.parameterOffsets.withUnsafeBufferPointer { from in
            var total: UInt32 = 0
            for position in 0..<n {
                let e = Int(order[position])
                total &+= from[e + 1] &- from[e]
                offsets[position + 1] = total
            }
        }
        let occurrences = Int(offsets[n])
        var commandIDs = ContiguousArray<Int32>(repeating: 0, count: n)
        var parameterIDs = ContiguousArray<Int32>(repeating: 0, count: occurrences)
        var valueIDs = ContiguousArray<Int32>(repeating: 0, count: occurrences)
        let parts = max(1, min(threads ?? Parallel.defaultThreadCount, n / 65_536 + 1)) * 4
        source.withColumns { from in
            order.withUnsafeBufferPointer { order in
            offsets.withUnsafeBufferPointer { offsets in
            commandIDs.withUnsafeMutableBufferPointer { commandOut in
            parameterIDs.withUnsafeMutableBufferPointer { parameterOut in
            valueIDs.withUnsafeMutableBufferPointer { valueOut in
                let order = SharedReads(order), offsets = SharedReads(offsets)
                let commandOut = DisjointWrites(commandOut.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!)
                let parameterOut = DisjointWrites(parameterOut.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!)
                let valueOut = DisjointWrites(valueOut.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!)
                Parallel.run(chunks: parts) { part in
                    for position in (n * part / parts)..<(n * (part + 1) / parts) {
                        let e = Int(order[position])
                        commandOut[position] = from.commandIDs[e]
                        let first = Int(from.parameterOffsets[e]), count = Int(from.parameterOffsets[e + 1]) - first
                        guard count > 0 else { continue }
                        let to = Int(offsets[position])
                        (parameterOut.base + to).update(from: from.parameterIDs.baseAddress! + first, count: count)
                        (valueOut.base + to).update(from: from.valueIDs.baseAddress! + first, count: count)
                    }
                }
            }}}}}
        }
        self.commandIDs = commandIDs
        self.parameterOffsets = offsets
        self.parameterIDs = parameterIDs
        self.valueIDs = valueIDs
    }
}
