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
                                }
                            }
                        }
                    }
                }
            }
        }
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
                    parameterIDs = ContiguousArray(unsafeUninitializedCapacity: occurrences) {
                        parameterBuffer, parameterCount in
                        valueIDs = ContiguousArray(unsafeUninitializedCapacity: occurrences) {
                            valueBuffer, valueCount in
                            let parameterOut = DisjointWrites(parameterBuffer)
                            let valueOut = DisjointWrites(valueBuffer)
                            Parallel.run(chunks: parts) { part in
                                for e in inputRanges[part] {
                                    let first = Int(from.parameterOffsets[e]),
                                        count = Int(from.parameterOffsets[e + 1]) - first
                                    guard count > 0 else { continue }
                                    let to = Int(offsets[Int(destination[e])])
                                    (parameterOut.base + to).initialize(
                                        from: from.parameterIDs.baseAddress! + first, count: count)
                                    (valueOut.base + to).initialize(
                                        from: from.valueIDs.baseAddress! + first, count: count)
                                }
                            }
                            (parameterCount, valueCount) = (occurrences, occurrences)
                        }
                    }
                }
            }
        }
        self.times = times
        self.commandIDs = commandIDs
        self.parameterOffsets = counts
        self.parameterIDs = parameterIDs
        self.valueIDs = valueIDs
        self.order = order
    }
}
