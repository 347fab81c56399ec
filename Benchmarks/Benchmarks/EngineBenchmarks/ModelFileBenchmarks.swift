import Benchmark
import Foundation
import SeqHunt
import SeqHuntIO

/// Sessions over a large vocabulary: 10,000 commands, 1,000 parameters with 100
/// values each (100,000 pairs), about `events` events, drawn by a fixed LCG.
func largeVocabularySessions(sessions: Int, eventsPerSession: Int, seed: UInt64) -> [[Event]] {
    var state = seed
    func next(_ n: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(n))
    }
    return (0..<sessions).map { _ in
        (0..<eventsPerSession).map { _ in
            Event(
                command: "Cmd-\(next(10_000))",
                parameters: (0..<2).map { _ in
                    Event.Parameter(name: "P\(next(1_000))", value: "v\(next(100))")
                })
        }
    }
}

/// Saving, loading and merging models: the baseline workflow's costs.
///
/// The large model has 10,000 commands and 100,000 (parameter, value) pairs, trained
/// on 60,000 sessions of 10 events; the shards split the same sessions 10 and 100 ways,
/// so that merging 10 versus 100 shards shows whether the cost is linear in their size.
/// The large model and its shards, built on first use (globals are lazy), so that the
/// other benchmarks' processes never pay for them.
let largeModelSessions = largeVocabularySessions(sessions: 60_000, eventsPerSession: 10, seed: 5)
let largeModel = try! Model(training: SessionStore(largeModelSessions), type: .values)
let largeModelShards: [Int: [Model]] = Dictionary(
    uniqueKeysWithValues: [10, 100].map { shardCount in
        let per = largeModelSessions.count / shardCount
        return (
            shardCount,
            (0..<shardCount).map { i in
                try! Model(training: SessionStore(largeModelSessions[(i * per)..<((i + 1) * per)]), type: .values)
            }
        )
    })

let modelFileBenchmarks: @Sendable () -> Void = {
    let config = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
        timeUnits: .milliseconds, warmupIterations: 1,
        maxDuration: .seconds(10), maxIterations: 20)

    Benchmark("model save (10k commands, 100k pairs)", configuration: config) { _ in
        blackHole(ModelFile.encode(largeModel))
    }
    Benchmark("model load from file (10k commands, 100k pairs)", configuration: config) { benchmark in
        let path = NSTemporaryDirectory() + "seqhunt-bench-model-\(getpid()).seqhunt"
        try largeModel.save(to: path)
        defer { unlink(path) }
        benchmark.startMeasurement()
        blackHole(try Model(contentsOf: path))
        benchmark.stopMeasurement()
    }
    for shardCount in [10, 100] {
        var mergeConfig = config
        mergeConfig.metrics.append(.custom("cells in all (k)", useScalingFactor: false))
        Benchmark("merge \(shardCount) shard models", configuration: mergeConfig) { benchmark in
            let shards = largeModelShards[shardCount]!
            let cells = shards.reduce(0) {
                $0 + $1.counts.transitions.nonZeroCount + $1.counts.commandParameters.nonZeroCount
                    + $1.counts.valueCounts.count
            }
            benchmark.startMeasurement()
            blackHole(try Model.merged(shards))
            benchmark.stopMeasurement()
            benchmark.measurement(.custom("cells in all (k)", useScalingFactor: false), cells / 1000)
        }
    }
}
