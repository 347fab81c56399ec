extension Sessionizer {
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
            events.ticks.withUnsafeBufferPointer { times in
                for e in 0..<n {
                    let r = Int(keyRank[Int(keys[e])])
                    bucketStarts[r + 1] += 1
                    if times[e] < lastTime[r] { unsorted[r] = true }
                    lastTime[r] = times[e]
                }
            }
        }
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
            let threads = max(1, min(needSorting.count, execution.workers))
            let queue = ChunkQueue(count: needSorting.count)
            let sortedMembers = ParallelSlots<[Int32]>(count: needSorting.count)
            let shared = members
            events.ticks.withUnsafeBufferPointer { times in
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
