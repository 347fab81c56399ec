import Benchmark
import Foundation
import SeqHunt
import SeqHuntDemo
@_spi(Internals) import SeqHuntFormats
@_spi(Internals) import SeqHuntIO

/// The events of generated sessions as an unsessionized `EventStore`, keyed by (user, IP).
func demoEvents(_ output: DemoGenerator.Output) -> (events: EventStore, keyRank: [Int32]) {
    var events = EventStore()
    var keyIDs: [String: Int32] = [:]
    let store = output.store
    events.reserveCapacity(events: store.eventCount, parameters: store.parameterOccurrenceCount)
    var commandIDs: [Int32] = [], parameterIDs: [Int32] = [], pairIDs: [Int32] = []
    for name in store.commands.allNames.dropFirst(store.commands.reservedCount) {
        commandIDs.append(events.internCommand(name))
    }
    for name in store.parameters.allNames.dropFirst(store.parameters.reservedCount) {
        parameterIDs.append(events.internParameter(name))
    }
    for pair in 0..<store.values.count {
        pairIDs.append(
            events.internValue(
                parameter: parameterIDs[Int(store.values.parameterOfPair[pair]) - store.parameters.reservedCount],
                value: store.values.valueOfPair[pair]))
    }
    for (session, info) in output.sessions.enumerated() {
        let key =
            keyIDs[info.user + "|" + info.clientIP]
            ?? {
                let id = Int32(keyIDs.count)
                keyIDs[info.user + "|" + info.clientIP] = id
                return id
            }()
        for (i, event) in store.events(ofSession: session).enumerated() {
            let time = Timestamp(secondsSince1970: Int64(info.begin + DemoGenerator.eventSpacing * i))
            try! events.beginEvent(
                commandID: commandIDs[Int(store.commandIDs[event]) - store.commands.reservedCount], time: time, key: key
            )
            for occurrence in store.parameters(ofEvent: event) {
                let v = store.valueIDs[occurrence]
                try! events.addParameter(
                    id: parameterIDs[Int(store.parameterIDs[occurrence]) - store.parameters.reservedCount],
                    valueID: v >= 0 ? pairIDs[Int(v)] : SessionStore.noValue)
            }
        }
    }
    let sortedKeys = keyIDs.sorted { $0.key < $1.key }
    var ranks = [Int32](repeating: 0, count: keyIDs.count)
    for (rank, entry) in sortedKeys.enumerated() { ranks[Int(entry.value)] = Int32(rank) }
    return (events, ranks)
}

/// Reading and sessionizing: `OfficeActivity` CSV in MB/s and sessionizing in events/s.
let ingestBenchmarks: @Sendable () -> Void = {
    let sessions = Int(ProcessInfo.processInfo.environment["SEQHUNT_BENCH_SESSIONS"] ?? "") ?? 1_000_000
    let output = DemoGenerator(seed: 42).generate(sessions: sessions)
    let (events, keyRank) = demoEvents(output)
    let eventCount = Double(events.count)
    let eventRate = BenchmarkMetric.custom("Mevents/s", polarity: .prefersLarger, useScalingFactor: false)
    let byteRate = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)

    for threads in [1, 2] {
        Benchmark(
            "sessionize threads=\(threads)",
            configuration: .init(
                metrics: [.wallClock, .mallocCountTotal, eventRate], timeUnits: .milliseconds,
                warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 10)
        ) { benchmark in
            let start = ContinuousClock.now
            benchmark.startMeasurement()
            blackHole(Sessionizer(execution: ExecutionOptions(threads: threads)).sessionize(events, keyRank: keyRank))
            benchmark.stopMeasurement()
            benchmark.measurement(eventRate, Int(eventCount / (ContinuousClock.now - start).seconds / 1e6))
        }
    }

    // A fifth of the sessions as a CSV file (about 300 MB) for the reader.
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("seqhunt-bench-\(getpid())").path
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let csv = directory + "/OfficeActivity.csv"
    let small = DemoGenerator(seed: 7).generate(sessions: max(1, sessions / 5))
    _ = try? OfficeActivityWriter.write(small, to: csv)
    let bytes = Double((try? FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0)
    for threads in [1, 2] {
        Benchmark(
            "read OfficeActivity CSV threads=\(threads)",
            configuration: .init(
                metrics: [.wallClock, byteRate, .peakMemoryResident], timeUnits: .milliseconds,
                warmupIterations: 1, maxDuration: .seconds(30), maxIterations: 8)
        ) { benchmark in
            let reader = EventReader()
            let start = ContinuousClock.now
            benchmark.startMeasurement()
            try reader.read(path: csv, execution: ExecutionOptions(threads: threads))
            benchmark.stopMeasurement()
            benchmark.measurement(byteRate, Int(bytes / (ContinuousClock.now - start).seconds / 1e6))
        }
    }

    // What the vector kernels buy: the same read with the structural index limited to portable C.
    Benchmark(
        "read OfficeActivity CSV threads=1 kernel=scalar",
        configuration: .init(
            metrics: [.wallClock, byteRate], timeUnits: .milliseconds,
            warmupIterations: 1, maxDuration: .seconds(30), maxIterations: 8)
    ) { benchmark in
        ScanKernel.limit(to: .scalar)
        defer { ScanKernel.limit(to: nil) }
        let reader = EventReader()
        let start = ContinuousClock.now
        benchmark.startMeasurement()
        try reader.read(path: csv, execution: ExecutionOptions(threads: 1))
        benchmark.stopMeasurement()
        benchmark.measurement(byteRate, Int(bytes / (ContinuousClock.now - start).seconds / 1e6))
    }

    // The same sessions as a sessions file (what `seqhunt sessionize` writes), read back; and the
    // writers, formatting into /dev/null (the disk is not what is measured).
    var schema = EventSchema()
    schema.recordTypes = ["ExchangeAdmin"]
    let loaded = try? SessionLoader(schema: schema).load([csv])
    let sessionsFile = directory + "/sessions.jsonl"
    if let table = loaded?.table {
        try? SessionWriter.write(table, to: sessionsFile)
        let sessionBytes = Double((try? FileManager.default.attributesOfItem(atPath: sessionsFile)[.size] as? Int) ?? 0)
        for threads in [1, 2] {
            Benchmark(
                "read sessions JSONL threads=\(threads)",
                configuration: .init(
                    metrics: [.wallClock, byteRate], timeUnits: .milliseconds,
                    warmupIterations: 1, maxDuration: .seconds(30), maxIterations: 8)
            ) { benchmark in
                let start = ContinuousClock.now
                benchmark.startMeasurement()
                blackHole(try SessionLoader(execution: ExecutionOptions(threads: threads)).load([sessionsFile]))
                benchmark.stopMeasurement()
                benchmark.measurement(byteRate, Int(sessionBytes / (ContinuousClock.now - start).seconds / 1e6))
            }
        }
        let model = try? Model(training: table.store, type: .values)
        let scores = try? model?.score(table.store)
        let scoresFile = directory + "/scores.csv"
        if let scores { try? ScoreWriter.write(table: table, scores: scores, model: model, to: scoresFile) }
        let scoreBytes = Double((try? FileManager.default.attributesOfItem(atPath: scoresFile)[.size] as? Int) ?? 0)
        Benchmark(
            "write sessions JSONL",
            configuration: .init(
                metrics: [.wallClock, byteRate], timeUnits: .milliseconds,
                warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 8)
        ) { benchmark in
            let start = ContinuousClock.now
            benchmark.startMeasurement()
            try SessionWriter.write(table, to: "/dev/null", format: .jsonl)
            benchmark.stopMeasurement()
            benchmark.measurement(byteRate, Int(sessionBytes / (ContinuousClock.now - start).seconds / 1e6))
        }
        if let scores {
            Benchmark(
                "write scores CSV",
                configuration: .init(
                    metrics: [.wallClock, byteRate], timeUnits: .milliseconds,
                    warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 8)
            ) { benchmark in
                let start = ContinuousClock.now
                benchmark.startMeasurement()
                try ScoreWriter.write(table: table, scores: scores, model: model, to: "/dev/null", format: .csv)
                benchmark.stopMeasurement()
                benchmark.measurement(byteRate, Int(scoreBytes / (ContinuousClock.now - start).seconds / 1e6))
            }
        }
    }
}
