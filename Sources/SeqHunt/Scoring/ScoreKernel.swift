/// The per-event scoring loop, over everything it reads as raw buffers (valid inside one
/// scoring call): the model's tables and the store's columns.
struct ScoreKernel<T: TransitionLookup, P: ParameterLookup>: @unchecked Sendable {
    let columns: StoreColumns
    let type: SessionType
    let transitions: T
    let parameters: P
    let logPrior: UnsafeBufferPointer<Double>
    let base: UnsafeBufferPointer<Double>
    let refCount: UnsafeBufferPointer<Double>
    /// `1 / t` by integer `t` (see ``Model/inverseTerms``).
    let inverseTerms: UnsafeBufferPointer<Double>
    let commandMap: UnsafeBufferPointer<Int32>
    let parameterMap: UnsafeBufferPointer<Int32>
    let modellable: UnsafeBufferPointer<UInt8>
    let pairLogValue: UnsafeBufferPointer<Double>
    let noValueLog: UnsafeBufferPointer<Double>

    /// The log parameter factor of `event` whose model command is `c` (docs/SPEC.md §5),
    /// with the geometric mean applied when `geometricMean`; 0 without parameters.
    @inline(__always)
    func parameterFactor(event: Int, command c: Int, geometricMean: Bool = true) -> Double {
        guard type.usesParameters else { return 0 }
        let first = Int(columns.parameterOffsets[event]), end = Int(columns.parameterOffsets[event &+ 1])
        if first == end { return 0 }
        var sum = base[c]
        var terms = refCount[c]
        let values = type.usesValues
        for occurrence in first..<end {
            let storeParameter = Int(columns.parameterIDs[occurrence])
            let p = Int(parameterMap[storeParameter])
            if p < 0 { continue }
            let d = parameters.delta(command: c, parameter: p)
            if d.isNaN { continue }
            sum += d
            if values && modellable[storeParameter] != 0 {
                let v = columns.valueIDs[occurrence]
                sum += v >= 0 ? pairLogValue[Int(v)] : noValueLog[storeParameter]
                terms += 1
            }
        }
        guard geometricMean else { return sum }
        // `terms` is a whole number: multiply by its reciprocal from the table.
        let t = Int(terms)
        return t < inverseTerms.count ? sum * inverseTerms[t] : sum / terms
    }
}

/// Where the kernel writes: one column per score, indexed by session.
struct KernelOutput: Sendable {
    let logLikelihood: DisjointWrites<Double>
    let geometricMean: DisjointWrites<Double>
    let windowLogs: [DisjointWrites<Double>]
    let windowStarts: [DisjointWrites<Int32>]
}

/// The tie tolerance of docs/SPEC.md §5, in log space: a later window must be rarer by more
/// than this to replace an earlier one.
let rarestWindowTieTolerance = 1e-12

extension ScoreKernel {
    @inline(__always) func modelCommand(_ storeCommand: Int32) -> Int { Int(commandMap[Int(storeCommand)]) }

    /// The one scoring kernel: per-event log terms, then session, geometric-mean and
    /// rarest-window scores for every requested window length in one pass.
    ///
    /// For each session of `n` commands it fills two scratch rows:
    /// `step[i] = log trans[c(i-1)][ci] + f(i)` (with `c(-1) = START` and `step[n]` the
    /// transition to END) and `open[i] = log prior[ci] + f(i)` (`open[n] = log prior[END]`),
    /// where `f` is the log parameter factor. A window starting at `j` is
    /// `(j == 0 && tokens ? step[0] : open[j]) + step[j+1] + ... + step[j+k-1]`.
    /// Scratch rows grow to the longest session and are reused: no per-event allocation.
    func score(sessions range: Range<Int>, options: ScoringOptions, output: KernelOutput) {
        let offsets = columns.sessionOffsets
        let commands = columns.commandIDs
        let tokens = options.usesStartEndTokens
        let geometricWindows = options.windowGeometricMean
        let endToken = Int(CommandToken.end)
        let priorEnd = logPrior[endToken]
        let logLikelihood = output.logLikelihood, geometricMean = output.geometricMean
        // Scratch rows, grown to the longest session of the chunk.
        var capacity = 0
        for session in range { capacity = Swift.max(capacity, offsets[session + 1] - offsets[session] + 1) }
        let step = UnsafeMutableBufferPointer<Double>.allocate(capacity: capacity)
        let open = UnsafeMutableBufferPointer<Double>.allocate(capacity: capacity)
        defer {
            step.deallocate()
            open.deallocate()
        }
        options.windowLengths.withUnsafeBufferPointer { windowLengths in
            output.windowLogs.withUnsafeBufferPointer { windowLogs in
                output.windowStarts.withUnsafeBufferPointer { windowStarts in
                    for session in range {
                        let first = offsets[session], n = offsets[session &+ 1] &- first
                        var previous = Int(CommandToken.start)
                        var total = 0.0
                        for j in 0..<n {
                            let event = first &+ j
                            let c = Int(commandMap[Int(commands[event])])
                            let f = parameterFactor(event: event, command: c, geometricMean: true)
                            let s = transitions.log(from: previous, to: c) + f
                            step[j] = s
                            open[j] = logPrior[c] + f
                            total += j == 0 ? (tokens ? s : open[0]) : s
                            previous = c
                        }
                        step[n] = transitions.log(from: previous, to: endToken)
                        open[n] = priorEnd
                        if tokens { total += step[n] }
                        logLikelihood[session] = total
                        geometricMean[session] = total / Double(n)

                        let length = tokens ? n &+ 1 : n
                        for w in 0..<windowLengths.count {
                            let k = windowLengths[w]
                            guard length >= k else {
                                windowLogs[w][session] = .nan
                                windowStarts[w][session] = -1
                                continue
                            }
                            var best = Double.infinity
                            var bestStart = 0
                            for j in 0...(length &- k) {
                                var s = (j == 0 && tokens) ? step[0] : open[j]
                                var i = j &+ 1
                                let stop = j &+ k
                                while i < stop {
                                    s += step[i]
                                    i &+= 1
                                }
                                if s < best - rarestWindowTieTolerance || best == .infinity {
                                    best = s
                                    bestStart = j
                                }
                            }
                            windowLogs[w][session] = geometricWindows ? best / Double(k) : best
                            windowStarts[w][session] = Int32(truncatingIfNeeded: bestStart)
                        }
                    }
                }
            }
        }
    }
}
