import Foundation
import SeqHuntDemo
import SeqHuntTestSupport
import Testing

@testable import SeqHunt

/// Random small sessions with repeated commands, parameters and values.
func randomSessions(count: Int, seed: UInt64, commands: Int = 6, maxLength: Int = 7) -> [[ReferenceModel.Cmd]] {
    var state = seed
    func next(_ n: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(n))
    }
    return (0..<count).map { _ in
        (0..<(1 + next(maxLength))).map { _ in
            let name = "Cmd-\(next(commands))"
            var params: [String: String] = [:]
            for _ in 0..<next(4) {
                let p = "P\(next(5))"
                params[p] = next(5) == 0 ? "" : "v\(next(3))"
            }
            return (name, params)
        }
    }
}

func store(of sessions: [[ReferenceModel.Cmd]]) throws -> SessionStore {
    try SessionStore(
        sessions.map {
            $0.map { cmd in
                Event(
                    command: cmd.name,
                    parameters: cmd.params.sorted { $0.key < $1.key }.map {
                        Event.Parameter(name: $0.key, value: $0.value)
                    })
            }
        })
}

@Suite("Model and scoring")
struct ModelTests {
    @Test("closed-form smoothing and the kernel equal msticpy's literal algorithm", arguments: SessionType.allCases)
    func againstReference(type: SessionType) throws {
        let training = randomSessions(count: 120, seed: 7)
        let modellable: Set<String>? = type == .values ? ["P1", "P3"] : nil
        let reference = ReferenceModel(sessions: training, type: type, modellable: modellable)
        let model = try Model(training: store(of: training), type: type, modellableParameters: modellable)
        // Score other data: unseen commands, parameters and values take the UNK paths.
        var scored = randomSessions(count: 60, seed: 99, commands: 9)
        scored.append([("Never-Seen", ["P9": "x", "P1": "unseen-value"]), ("Cmd-1", [:]), ("Cmd-2", ["P1": ""])])
        let scoredStore = try store(of: scored)
        for tokens in [true, false] {
            let scores = try model.score(
                scoredStore, options: ScoringOptions(windowLengths: [1, 2, 3], usesStartEndTokens: tokens))
            for (s, session) in scored.enumerated() {
                let expected = reference.sessionLikelihood(session, tokens: tokens)
                #expect(relativelyClose(exp(scores.logLikelihood[s]), expected), "session \(s) tokens=\(tokens)")
                for column in scores.rarestWindows {
                    if let (lik, starts) = reference.rarestWindow(session, k: column.length, tokens: tokens) {
                        #expect(relativelyClose(exp(column.logLikelihood[s]), lik), "session \(s) k=\(column.length)")
                        #expect(starts.contains(Int(column.start[s])))
                    } else {
                        #expect(column.start[s] == -1 && column.logLikelihood[s].isNaN)
                    }
                }
            }
        }
    }

    @Test("unknown commands, parameters and values score by hand-computed UNK probabilities")
    func unknownFallbacks() throws {
        let model = try Model(
            training: try SessionStore([
                [Event(command: "A", parameters: [.init(name: "p", value: "x")])],
                [Event(command: "B")]
            ]), type: .values, modellableParameters: ["p"])
        // States: START, END, UNK, A, B → n = 5; raw seq1: START 2, END 2, A 1, B 1.
        // seq1s: START 2+4, END 2+4, A 1+8, B 1+8, UNK 0+8 → total 38.
        #expect(model.stateCount == 5)
        #expect(model.priorProbability(of: .command("Zed")) == 8.0 / 38)
        // trans[UNK][*] = 1 / (0 + n - 1); trans[A][UNK] = 1 / (1 + 4).
        #expect(relativelyClose(model.transitionProbability(from: .command("Zed"), to: .command("A")), 1.0 / 4))
        #expect(relativelyClose(model.transitionProbability(from: .command("A"), to: .command("Zed")), 1.0 / 5))
        // q[UNK][UNK] = 1/8: an unknown command with parameters has factor 1 - 1/8, exponent 1.
        let unknown = try SessionStore([[Event(command: "Zed", parameters: [.init(name: "p", value: "x")])]])
        let scores = try model.score(unknown, options: ScoringOptions(windowLengths: [1], usesStartEndTokens: false))
        #expect(relativelyClose(exp(scores.logLikelihood[0]), 8.0 / 38 * (1 - 1.0 / 8)))
        // r[p][x] = (1+1)/(1+1+1); r[p][unseen] = r[p][""] = 1/3.
        #expect(relativelyClose(model.valueProbability("x", given: "p"), 2.0 / 3))
        #expect(relativelyClose(model.valueProbability("other", given: "p"), 1.0 / 3))
        #expect(relativelyClose(model.valueProbability("", given: "p"), 1.0 / 3))
        // q[A][p] = (1+1)/9; an event of A with an unseen value: (q · r[p][UNK] · (1 - q[A][UNK]))^(1/3).
        let a = try SessionStore([[Event(command: "A", parameters: [.init(name: "p", value: "new")])]])
        let s = try model.score(a, options: ScoringOptions(windowLengths: [1], usesStartEndTokens: false))
        let factor = pow(2.0 / 9 * (1.0 / 3) * (1 - 1.0 / 9), 1.0 / 3)
        #expect(relativelyClose(exp(s.logLikelihood[0]), 9.0 / 38 * factor))
    }

    @Test("an event without parameters has factor 1; parameters outside ref are ignored")
    func emptyParameterSets() throws {
        let training = try SessionStore([[Event(command: "A", parameters: [.init(name: "p")]), Event(command: "A")]])
        let model = try Model(training: training, type: .parameters)
        let bare = try model.score(
            try SessionStore([[Event(command: "A")]]),
            options: ScoringOptions(windowLengths: [], usesStartEndTokens: false))
        #expect(relativelyClose(exp(bare.logLikelihood[0]), model.priorProbability(of: .command("A"))))
        let q = model.parameterProbability("p", given: .command("A")),
            qu = model.parameterProbability("##none##", given: .command("A"))
        let other = try model.score(
            try SessionStore([[Event(command: "A", parameters: [.init(name: "zzz")])]]),
            options: ScoringOptions(windowLengths: [], usesStartEndTokens: false))
        #expect(
            relativelyClose(
                exp(other.logLikelihood[0]), model.priorProbability(of: .command("A")) * pow((1 - q) * (1 - qu), 0.5)))
    }

    @Test("sessions shorter than the window have a null score and an empty window; k = 1 works")
    func shortSessions() throws {
        let store = try SessionStore(commandSessions: [["A"], ["A", "B"], ["B", "A", "B"]])
        let model = try Model(training: store, type: .commands)
        let scores = try model.score(store, options: ScoringOptions(windowLengths: [1, 3], usesStartEndTokens: false))
        let k3 = scores.rarestWindows(length: 3)!
        #expect(k3.start[0] == -1 && k3.logLikelihood[0].isNaN && k3.window(ofSession: 0, commands: 1) == nil)
        #expect(k3.start[2] == 0)
        let k1 = scores.rarestWindows(length: 1)!
        #expect(k1.start.allSatisfy { $0 >= 0 })
        // With tokens, a 2-command session has a window of 3 that ends on END and reports 2 commands.
        let withTokens = try model.score(store, options: ScoringOptions(windowLengths: [3]))
        let window = withTokens.rarestWindows[0].window(ofSession: 1, commands: 2)!
        #expect(window.commandRange == 0..<2)
        #expect(throws: ScoringError.invalidWindowLength(0)) {
            try model.score(store, options: ScoringOptions(windowLengths: [0]))
        }
    }

    @Test("a 100,000-command session scores in linear time and ranks by its log where the product underflows")
    func longSession() throws {
        var state: UInt64 = 1
        let long = (0..<100_000).map { _ -> String in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return "C\((state >> 33) % 40)"
        }
        let store = try SessionStore(commandSessions: [long, Array(long.prefix(50_000)), ["C1", "C2"]])
        let model = try Model(training: store, type: .commands)
        let scores = try model.score(store, options: ScoringOptions(windowLengths: [3]))
        #expect(exp(scores.logLikelihood[0]) == 0 && exp(scores.logLikelihood[1]) == 0)  // both underflow a Double…
        // …but rank by log
        #expect(scores.logLikelihood[0].isFinite && scores.logLikelihood[0] < scores.logLikelihood[1])
        #expect(scores.logLikelihood[1] < scores.logLikelihood[2])
        #expect(scores.geometricMeanLogLikelihood[0] > -10)
    }

    @Test("identical output for 1 and 8 threads, bit for bit", arguments: SessionType.allCases)
    func threadCountInvariance(type: SessionType) throws {
        let generated = DemoGenerator(seed: 3).generate(sessions: 3_000).store
        let one = try Model(training: generated, type: type, execution: ExecutionOptions(threads: 1))
        let eight = try Model(training: generated, type: type, execution: ExecutionOptions(threads: 8))
        #expect(one.counts == eight.counts)
        let a = try one.score(
            generated, options: ScoringOptions(windowLengths: [2, 3]), execution: ExecutionOptions(threads: 1))
        let b = try eight.score(
            generated, options: ScoringOptions(windowLengths: [2, 3]), execution: ExecutionOptions(threads: 8))
        #expect(a.logLikelihood.map(\.bitPattern) == b.logLikelihood.map(\.bitPattern))
        for (x, y) in zip(a.rarestWindows, b.rarestWindows) {
            #expect(x.logLikelihood.map(\.bitPattern) == y.logLikelihood.map(\.bitPattern))
            #expect(x.start == y.start)
        }
    }

    @Test("100,000 distinct commands train and score through the sparse form, matching the dense form")
    func largeVocabulary() throws {
        // Command lines as events: 100,000 distinct commands, each seen a few times.
        var sessions: [[String]] = []
        for s in 0..<60_000 { sessions.append((0..<5).map { "cmdline \(($0 * 7919 + s * 104_729) % 100_000)" }) }
        let store = try SessionStore(commandSessions: sessions)
        #expect(store.commands.count - 3 == 100_000)
        let model = try Model(training: store, type: .commands)
        #expect(!model.counts.transitions.isDense)
        let scores = try model.score(store, options: ScoringOptions(windowLengths: [2]))
        #expect(scores.logLikelihood.allSatisfy { $0.isFinite && $0 < 0 })
        // The same sessions' first 200 scored by a model that is dense: same data, so same numbers.
        let small = try SessionStore(commandSessions: sessions.prefix(200))
        let denseModel = try Model(training: small, type: .commands)
        #expect(denseModel.counts.transitions.isDense)
        let sparseCounts = try Model(counts: ModelCounts(training: small, type: .commands, sparse: true))
        #expect(!sparseCounts.counts.transitions.isDense)
        let x = try denseModel.score(small, options: ScoringOptions(windowLengths: [2]))
        let y = try sparseCounts.score(small, options: ScoringOptions(windowLengths: [2]))
        for s in 0..<small.sessionCount {
            #expect(relativelyClose(x.logLikelihood[s], y.logLikelihood[s], 1e-14))
            #expect(x.rarestWindows[0].start[s] == y.rarestWindows[0].start[s])
        }
    }

    @Test("duplicate parameter names keep the last value; empty sessions are refused")
    func storeRules() throws {
        let store = try SessionStore([
            [
                Event(
                    command: "A",
                    parameters: [.init(name: "p", value: "1"), .init(name: "q"), .init(name: "p", value: "2")])
            ]
        ])
        #expect(store.parameterOccurrenceCount == 2)
        #expect(store.values.valueOfPair[Int(store.valueIDs[0])] == "2")
        #expect(throws: SessionStoreError.emptySession(index: 1)) { try SessionStore([[Event(command: "A")], []]) }
    }
}
