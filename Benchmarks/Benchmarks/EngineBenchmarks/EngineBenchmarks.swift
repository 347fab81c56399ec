import Benchmark
import Foundation
import SeqHunt
import SeqHuntDemo

/// Training and scoring throughput on 1,000,000 generated Exchange sessions
/// (about 5 million events and 13 million parameter occurrences) already encoded
/// in memory, per session type, with 1 and 2 threads.
///
/// `Mevents/s` is events per second in millions for one run of the stage; the
/// tables' p50 is the median over the runs.
let benchmarks: @Sendable () -> Void = {
    engineBenchmarks()
    ingestBenchmarks()
    modelFileBenchmarks()
}

let engineBenchmarks: @Sendable () -> Void = {
    let sessions = Int(ProcessInfo.processInfo.environment["SEQHUNT_BENCH_SESSIONS"] ?? "") ?? 1_000_000
    let store = DemoGenerator(seed: 42).generate(sessions: sessions).store
    let events = Double(store.eventCount)
    let eventRate = BenchmarkMetric.custom("Mevents/s", polarity: .prefersLarger, useScalingFactor: false)

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident, eventRate],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(10),
        maxIterations: 15)

    /// Runs `body` once, measured, and records its event rate.
    func measured(_ benchmark: Benchmark, _ body: () throws -> Void) rethrows {
        let clock = ContinuousClock()
        let start = clock.now
        benchmark.startMeasurement()
        try body()
        benchmark.stopMeasurement()
        let elapsed = clock.now - start
        benchmark.measurement(eventRate, Int(events / elapsed.seconds / 1e6))
    }

    for type in SessionType.allCases {
        for threads in [1, 2] {
            Benchmark("train \(type.rawValue) threads=\(threads)") { benchmark in
                try measured(benchmark) {
                    blackHole(try Model(training: store, type: type, execution: ExecutionOptions(threads: threads)))
                }
            }
            let model = try! Model(training: store, type: type)
            Benchmark("score \(type.rawValue) window=3 threads=\(threads)") { benchmark in
                try measured(benchmark) {
                    blackHole(
                        try model.score(
                            store, options: ScoringOptions(windowLengths: [3]),
                            execution: ExecutionOptions(threads: threads)))
                }
            }
        }
    }

    Benchmark(
        "store bytes per event (values, 1M sessions)",
        configuration: .init(metrics: [.custom("bytes/event"), .custom("bytes/parameter")], maxIterations: 1)
    ) { benchmark in
        // Sessions and events: session offsets (Int), command ids and parameter offsets (4 bytes each).
        let eventBytes = store.sessionOffsets.count * 8 + store.commandIDs.count * 4 + store.parameterOffsets.count * 4
        let parameterBytes = store.parameterIDs.count * 4 + store.valueIDs.count * 4
        benchmark.measurement(.custom("bytes/event"), Int((Double(eventBytes) / events).rounded(.up)))
        benchmark.measurement(.custom("bytes/parameter"), parameterBytes / max(1, store.parameterOccurrenceCount))
    }
}
