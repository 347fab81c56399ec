import Foundation
import SeqHuntTestSupport
import Testing

@testable import SeqHunt

/// Properties that hold for any sessions, checked on seeded random data sets of
/// different shapes (vocabulary size, session length, parameters, values).
@Suite("Properties of random sessions")
struct PropertyTests {
    /// Seeded data sets: (training, other data to score).
    static let cases: [(seed: UInt64, commands: Int, maxLength: Int)] = [
        (1, 3, 3), (2, 6, 7), (3, 12, 12), (4, 2, 25), (5, 30, 5), (6, 8, 40)
    ]

    /// A seeded permutation of `0..<n`.
    func permutation(_ n: Int, seed: UInt64) -> [Int] {
        var state = seed
        var order = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            order.swapAt(i, Int((state >> 33) % UInt64(i + 1)))
        }
        return order
    }

    @Test(
        "every log likelihood is finite and ≤ 0; windows exist exactly when the session is long enough",
        arguments: SessionType.allCases)
    func likelihoodsAreProbabilities(type: SessionType) throws {
        for c in Self.cases {
            let training = randomSessions(count: 80, seed: c.seed, commands: c.commands, maxLength: c.maxLength)
            let scored = randomSessions(count: 40, seed: c.seed + 100, commands: c.commands + 3, maxLength: c.maxLength)
            let model = try Model(training: store(of: training), type: type)
            for tokens in [true, false] {
                let scores = try model.score(
                    store(of: scored),
                    options: ScoringOptions(
                        windowLengths: [1, 2, 5],
                        usesStartEndTokens: tokens))
                for s in scored.indices {
                    #expect(
                        scores.logLikelihood[s].isFinite && scores.logLikelihood[s] <= 0, "seed \(c.seed) session \(s)")
                    #expect(scores.geometricMeanLogLikelihood[s] <= 0)
                    for column in scores.rarestWindows {
                        // With tokens, END extends every session by one state.
                        let states = scored[s].count + (tokens ? 1 : 0)
                        if states >= column.length {
                            #expect(column.logLikelihood[s].isFinite && column.logLikelihood[s] <= 0)
                            #expect(column.start[s] >= 0)
                        } else {
                            #expect(column.logLikelihood[s].isNaN && column.start[s] == -1)
                        }
                    }
                }
            }
        }
    }

    @Test("results are the same, bit for bit, for any thread count and chunking", arguments: SessionType.allCases)
    func threadAndChunkInvariance(type: SessionType) throws {
        for c in Self.cases.prefix(3) {
            let data = try store(
                of: randomSessions(count: 300, seed: c.seed, commands: c.commands, maxLength: c.maxLength))
            let reference = try Model(training: data, type: type, execution: ExecutionOptions(threads: 1))
            let expected = try reference.score(
                data, options: ScoringOptions(windowLengths: [2, 3]), execution: ExecutionOptions(threads: 1))
            for threads in [2, 3, 5, 16] {
                let model = try Model(training: data, type: type, execution: ExecutionOptions(threads: threads))
                #expect(model.counts == reference.counts)
                let scores = try model.score(
                    data, options: ScoringOptions(windowLengths: [2, 3]), execution: ExecutionOptions(threads: threads))
                #expect(scores.logLikelihood.map(\.bitPattern) == expected.logLikelihood.map(\.bitPattern))
                for (x, y) in zip(scores.rarestWindows, expected.rarestWindows) {
                    #expect(
                        x.logLikelihood.map(\.bitPattern) == y.logLikelihood.map(\.bitPattern) && x.start == y.start)
                }
            }
        }
    }

    @Test("training does not depend on the order of the sessions", arguments: SessionType.allCases)
    func sessionOrderInvariance(type: SessionType) throws {
        for c in Self.cases {
            let sessions = randomSessions(count: 100, seed: c.seed, commands: c.commands, maxLength: c.maxLength)
            let shuffled = permutation(sessions.count, seed: c.seed).map { sessions[$0] }
            let probe = randomSessions(count: 30, seed: c.seed + 7, commands: c.commands + 2, maxLength: c.maxLength)
            try expectSameModel(
                try Model(training: store(of: sessions), type: type),
                try Model(training: store(of: shuffled), type: type), probing: probe + sessions)
        }
    }

    @Test("merge(train(A), train(B)) == train(A + B) for random splits", arguments: SessionType.allCases)
    func mergeIsTrainingOnTheUnion(type: SessionType) throws {
        for c in Self.cases {
            let sessions = randomSessions(count: 120, seed: c.seed, commands: c.commands, maxLength: c.maxLength)
            let cut = Int(c.seed * 17 % 119) + 1
            let a = Array(sessions[..<cut]), b = Array(sessions[cut...])
            let merged = try Model.merged([
                try Model(training: store(of: a), type: type),
                try Model(training: store(of: b), type: type)
            ])
            try expectSameModel(try Model(training: store(of: sessions), type: type), merged, probing: sessions)
        }
    }

    @Test("scores equal the slow, literal reference scorer", arguments: SessionType.allCases)
    func againstReferenceScorer(type: SessionType) throws {
        for c in Self.cases {
            let training = randomSessions(count: 60, seed: c.seed, commands: c.commands, maxLength: c.maxLength)
            let scored = randomSessions(count: 25, seed: c.seed + 50, commands: c.commands + 2, maxLength: c.maxLength)
            let modellable: Set<String>? = type == .values ? ["P0", "P2"] : nil
            let reference = ReferenceModel(sessions: training, type: type, modellable: modellable)
            let model = try Model(training: store(of: training), type: type, modellableParameters: modellable)
            let scores = try model.score(store(of: scored), options: ScoringOptions(windowLengths: [2, 3]))
            for (s, session) in scored.enumerated() {
                let expected = reference.sessionLikelihood(session, tokens: true)
                if expected > 1e-300 {
                    #expect(relativelyClose(exp(scores.logLikelihood[s]), expected), "seed \(c.seed) session \(s)")
                }
                for column in scores.rarestWindows {
                    guard let (likelihood, starts) = reference.rarestWindow(session, k: column.length, tokens: true),
                        likelihood > 1e-300
                    else { continue }
                    #expect(relativelyClose(exp(column.logLikelihood[s]), likelihood))
                    #expect(starts.contains(Int(column.start[s])))
                }
            }
        }
    }
}
