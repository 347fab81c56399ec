import Foundation
import SeqHuntTestSupport
import Testing

@testable import SeqHunt
@testable import SeqHuntFormats
@testable import SeqHuntIO

/// Expects two models to give the same probabilities, bit for bit, for every state,
/// parameter and value named in `sessions` (plus unseen ones), and the same scores.
func expectSameModel(
    _ a: Model, _ b: Model, probing sessions: [[ReferenceModel.Cmd]],
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(a.type == b.type && a.stateCount == b.stateCount, sourceLocation: sourceLocation)
    #expect(a.modellableParameters == b.modellableParameters, sourceLocation: sourceLocation)
    let names = Set(sessions.flatMap { $0.map(\.name) }).sorted() + ["Never-Seen"]
    let states: [CommandState] = [.start, .end] + names.map { .command($0) }
    let parameters = Set(sessions.flatMap { $0.flatMap(\.params.keys) }).sorted() + ["P-unseen"]
    let values = Set(sessions.flatMap { $0.flatMap(\.params.values) }).sorted() + ["v-unseen"]
    for x in states {
        #expect(a.priorProbability(of: x) == b.priorProbability(of: x), "prior \(x)", sourceLocation: sourceLocation)
        for y in states {
            #expect(
                a.transitionProbability(from: x, to: y) == b.transitionProbability(from: x, to: y),
                "trans \(x) → \(y)", sourceLocation: sourceLocation)
        }
        for p in parameters {
            #expect(
                a.parameterProbability(p, given: x) == b.parameterProbability(p, given: x), "q \(x) \(p)",
                sourceLocation: sourceLocation)
        }
    }
    for p in parameters {
        for v in values {
            #expect(
                a.valueProbability(v, given: p) == b.valueProbability(v, given: p), "r \(p) \(v)",
                sourceLocation: sourceLocation)
        }
    }
    let probe = try store(of: sessions)
    let options = ScoringOptions(windowLengths: [1, 2, 3])
    let sa = try a.score(probe, options: options), sb = try b.score(probe, options: options)
    #expect(sa.logLikelihood == sb.logLikelihood, sourceLocation: sourceLocation)
    for (wa, wb) in zip(sa.rarestWindows, sb.rarestWindows) {
        #expect(
            wa.logLikelihood.elementsEqual(wb.logLikelihood) { $0 == $1 || ($0.isNaN && $1.isNaN) },
            sourceLocation: sourceLocation)
        #expect(wa.start == wb.start, sourceLocation: sourceLocation)
    }
}

/// The sessions of `store` as the reference model's commands.
func referenceSessions(of store: SessionStore) -> [[ReferenceModel.Cmd]] {
    (0..<store.sessionCount).map { s in
        store.events(ofSession: s).map { e in
            var params: [String: String] = [:]
            for o in store.parameters(ofEvent: e) {
                let v = store.valueIDs[o]
                params[store.parameters[store.parameterIDs[o]]] =
                    v == SessionStore.noValue ? "" : store.values.valueOfPair[Int(v)]
            }
            return (store.commands[store.commandIDs[e]], params)
        }
    }
}

@Suite("Baselines: merged, continued, saved and loaded models")
struct BaselineTests {
    static let shardA = randomSessions(count: 90, seed: 11)
    static let shardB = randomSessions(count: 70, seed: 12, commands: 9)
    static let probe =
        randomSessions(count: 40, seed: 13, commands: 11)
        + [[("Never-Seen", ["P9": "x", "P1": "unseen-value"]), ("Cmd-1", [:]), ("Cmd-2", ["P1": ""])]]

    @Test("merge(train(A), train(B)) == train(A + B), bit for bit, in either order", arguments: SessionType.allCases)
    func mergeEqualsUnion(type: SessionType) throws {
        let union = try Model(training: store(of: Self.shardA + Self.shardB), type: type)
        let a = try Model(training: store(of: Self.shardA), type: type)
        let b = try Model(training: store(of: Self.shardB), type: type)
        if type == .values { #expect(!union.modellableParameters.isEmpty) }
        let probing = Self.shardA + Self.shardB + Self.probe
        try expectSameModel(union, try Model.merged([a, b]), probing: probing)
        // The file form is canonical: the same counts give the same bytes.
        #expect(ModelFile.encode(union) == ModelFile.encode(try Model.merged([b, a])))
        try expectSameModel(union, try Model.merged([b, a]), probing: probing)
        try expectSameModel(union, try Model(training: store(of: Self.shardB), continuing: a), probing: probing)
        // Three parts, one of them a single session.
        let c = try Model(training: store(of: [Self.shardB[0]]), type: type)
        let rest = try Model(training: store(of: Array(Self.shardB.dropFirst())), type: type)
        try expectSameModel(union, try Model.merged([a, c, rest]), probing: probing)
    }

    @Test("a fixed modellable set survives merging; differing fixed sets are refused")
    func mergeModellable() throws {
        let a = try Model(training: store(of: Self.shardA), type: .values, modellableParameters: ["P1"])
        let b = try Model(training: store(of: Self.shardB), type: .values, modellableParameters: ["P1"])
        let heuristic = try Model(training: store(of: Self.shardB), type: .values)
        #expect(try Model.merged([a, b]).modellableParameters == ["P1"])
        #expect(try Model.merged([a, b]).modellableParametersFixed)
        #expect(try Model.merged([a, heuristic]).modellableParameters == ["P1"])
        #expect(try Model.merged([a, b], modellableParameters: ["P2"]).modellableParameters == ["P2"])
        let other = try Model(training: store(of: Self.shardB), type: .values, modellableParameters: ["P2"])
        #expect(throws: ModelError.modellableMismatch) { try Model.merged([a, other]) }
        let union = try Model(
            training: store(of: Self.shardA + Self.shardB), type: .values, modellableParameters: ["P1"])
        try expectSameModel(union, try Model(training: store(of: Self.shardB), continuing: a), probing: Self.probe)
    }

    @Test("merging models of different types is refused")
    func mergeTypeMismatch() throws {
        let a = try Model(training: store(of: Self.shardA), type: .commands)
        let b = try Model(training: store(of: Self.shardB), type: .values)
        #expect(throws: ModelError.typeMismatch(.commands, .values)) { try Model.merged([a, b]) }
        #expect(throws: ModelError.noSessions) { try Model.merged([]) }
    }

    @Test("the sparse form merges like the dense one")
    func sparseMerge() throws {
        let a = try ModelCounts(training: store(of: Self.shardA), type: .values, sparse: true)
        let b = try ModelCounts(training: store(of: Self.shardB), type: .values, sparse: true)
        let merged = try ModelCounts.merged([a, b])
        let union = try Model(training: store(of: Self.shardA + Self.shardB), type: .values)
        try expectSameModel(union, try Model(counts: merged), probing: Self.probe)
        let sparse = CountMatrix(
            rows: 5000, columns: 5000,
            summing: [
                CountEntry(row: 7, column: 3, count: 2), CountEntry(row: 1, column: 9, count: 1),
                CountEntry(row: 7, column: 3, count: 5), CountEntry(row: 7, column: 1, count: 1)
            ])
        #expect(!sparse.isDense)
        #expect(
            sparse.entries == [
                CountEntry(row: 1, column: 9, count: 1), CountEntry(row: 7, column: 1, count: 1),
                CountEntry(row: 7, column: 3, count: 7)
            ])
    }

    @Test(
        "compact parts and the model file round-trip to the same model and the same bytes",
        arguments: SessionType.allCases)
    func fileRoundTrip(type: SessionType) throws {
        let model = try Model(training: store(of: Self.shardA + Self.shardB), type: type)
        try expectSameModel(model, try Model(counts: ModelCounts(parts: model.counts.parts)), probing: Self.probe)
        let bytes = ModelFile.encode(model)
        let loaded = try ModelFile.decode(bytes, path: "m")
        try expectSameModel(model, loaded, probing: Self.shardA + Self.probe)
        #expect(ModelFile.encode(loaded) == bytes)
        let fixed = try Model(training: store(of: Self.shardA), type: type, modellableParameters: ["P3"])
        let reloaded = try ModelFile.decode(ModelFile.encode(fixed), path: "m")
        #expect(reloaded.modellableParametersFixed && reloaded.modellableParameters == fixed.modellableParameters)
    }

    @Test("a model saved from half the demo data scores the other half like msticpy's algorithm")
    func halfDemo() throws {
        let table = try SessionReader.read(paths: [GoldenFiles.path("demo.sessions.jsonl")])
        let sessions = referenceSessions(of: table.store)
        let (first, second) = (Array(sessions[..<200]), Array(sessions[200...]))
        let directory = NSTemporaryDirectory() + "seqhunt-baseline-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for type in SessionType.allCases {
            let trained = try Model(training: store(of: first), type: type)
            try trained.save(to: directory + "/half.seqhunt")
            let model = try Model(contentsOf: directory + "/half.seqhunt")
            let reference = ReferenceModel(sessions: first, type: type, modellable: trained.modellableParameters)
            let scored = try store(of: second)
            let scores = try model.score(scored, options: ScoringOptions(windowLengths: [2]))
            let direct = try trained.score(scored, options: ScoringOptions(windowLengths: [2]))
            #expect(scores.logLikelihood == direct.logLikelihood)
            var unseen = 0
            for (s, session) in second.enumerated() {
                if session.contains(where: { model.counts.commands.id(of: $0.name) == nil }) { unseen += 1 }
                #expect(
                    relativelyClose(exp(scores.logLikelihood[s]), reference.sessionLikelihood(session, tokens: true)),
                    "\(type) session \(s)")
            }
            #expect(unseen > 0, "the second half should hold commands the first never saw")
        }
    }

    @Test("an unseen command scores by the hand-computed UNK probabilities after a round trip")
    func unseenAfterRoundTrip() throws {
        let trained = try Model(training: SessionStore(commandSessions: [["A", "B"], ["A", "B"]]), type: .commands)
        let model = try ModelFile.decode(ModelFile.encode(trained), path: "m")
        // States START, END, UNK, A, B: n - 1 = 4. trans[START][A] = (2+1)/(2+4),
        // trans[A][UNK] = 1/(2+4), trans[UNK][END] = 1/(0+4).
        let scores = try model.score(
            SessionStore(commandSessions: [["A", "C"]]), options: ScoringOptions(windowLengths: [1]))
        #expect(relativelyClose(exp(scores.logLikelihood[0]), 3.0 / 6 * (1.0 / 6) * (1.0 / 4)))
    }

    @Test("counts no training could produce are refused, one cause each")
    func invalidParts() throws {
        let good = try ModelCounts(training: store(of: Self.shardA), type: .values).parts
        func expectInvalid(_ change: (inout ModelCounts.Parts) -> Void, _ fragment: String) {
            var parts = good
            change(&parts)
            do {
                _ = try ModelCounts(parts: parts)
                Issue.record("accepted: \(fragment)")
            } catch {
                #expect(error.description.contains(fragment), "\(error)")
            }
        }
        expectInvalid({ $0.commandNames.append($0.commandNames[0]) }, "listed twice")
        expectInvalid({ $0.sessionCount += 1 }, "START is left")
        expectInvalid({ $0.eventCount += 1 }, "events")
        expectInvalid({ $0.transitions[0].count += 1 }, "START is left")
        let between = try #require(good.transitions.firstIndex { $0.row >= 3 && $0.column >= 3 && $0.row != $0.column })
        expectInvalid({ $0.transitions[between].count += 1 }, "is entered")
        let loop = try #require(good.transitions.firstIndex { $0.row >= 3 && $0.row == $0.column })
        expectInvalid({ $0.transitions[loop].count += 1 }, "the transitions hold")
        expectInvalid({ $0.transitions.swapAt(0, 1) }, "ascending")
        expectInvalid({ $0.transitions[0].count = 0.5 }, "count")
        expectInvalid({ $0.transitions[0].column = 40_000 }, "outside")
        expectInvalid({ $0.commandParameters[0].count = 1e9 }, "more often than command")
        expectInvalid({ $0.pairCounts[0] = 1e9 }, "values of parameter")
        expectInvalid({ $0.pairParameters[0] = 0 }, "out of range")
        expectInvalid({ $0.pairValues[0] = "" }, "empty value")
        expectInvalid({ $0.type = .commands }, "cmds model has parameter counts")
        expectInvalid({ $0.type = .parameters }, "params model has value counts")
    }

    @Test("damaged model bytes with a recomputed checksum: a clean error or a valid model, never a crash")
    func forgedFiles() throws {
        let model = try Model(training: store(of: Self.shardA), type: .values)
        let bytes = ModelFile.encode(model)
        var state: UInt64 = 99
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var refused = 0
        for trial in 0..<400 {
            var forged = bytes
            for _ in 0..<(1 + next(3)) {
                let at = trial < 100 ? next(ModelFile.headerSize) : next(forged.count - 8)
                forged[at] = next(4) == 0 ? 0xFF : UInt8(next(256))
            }
            let body = forged.count - 8
            let checksum = modelChecksum(forged[0..<body])
            withUnsafeBytes(of: checksum.littleEndian) { forged.replaceSubrange(body..<forged.count, with: $0) }
            do {
                let loaded = try ModelFile.decode(forged, path: "forged")
                _ = try loaded.score(store(of: Self.probe))
            } catch let error as ModelFileError {
                #expect(error.description.hasPrefix("forged: ") && !error.description.contains("\n"))
                refused += 1
            }
        }
        #expect(refused > 300)
    }

    /// `bytes` with its length field and checksum made right again.
    func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        withUnsafeBytes(of: UInt64(out.count).littleEndian) { out.replaceSubrange(16..<24, with: $0) }
        let checksum = ModelFile.checksum(of: out[0..<(out.count - 8)])
        withUnsafeBytes(of: checksum.littleEndian) { out.replaceSubrange((out.count - 8)..., with: $0) }
        return out
    }

    @Test("forged headers and counts near 2^64 are refused, not trapped on")
    func forgedHuge() throws {
        // Header counts whose byte sizes overflow Int when added up (found in review).
        var header = ModelFile.magic + [1, 0, 0, 0, 2, 0, 0, 0] + [UInt8](repeating: 0, count: 64)
        withUnsafeBytes(of: UInt32(3).littleEndian) { header.replaceSubrange(48..<52, with: $0) }
        for offset in [56, 64] {
            withUnsafeBytes(of: (UInt64(1) << 58 - 1).littleEndian) {
                header.replaceSubrange(offset..<(offset + 8), with: $0)
            }
        }
        let forged = resealed(header + [UInt8](repeating: 0, count: 36) + [UInt8](repeating: 0, count: 8))
        #expect(throws: ModelFileError.self) { try ModelFile.decode(forged, path: "forged") }

        // Cells of 2^53 whose row sums pass 2^63.
        let names = (0..<32).map { "C\($0)" }
        var cells = [CountEntry(row: 0, column: 3, count: 1)]
        for r in 0..<32 {
            for c in 0..<32 {
                cells.append(CountEntry(row: Int32(3 + r), column: Int32(3 + c), count: 9_007_199_254_740_992))
            }
        }
        cells.insert(CountEntry(row: 3, column: 1, count: 1), at: 1)
        cells.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        let parts = ModelCounts.Parts(
            type: .commands, sessionCount: 1, eventCount: 7, commandNames: names,
            parameterNames: [], pairParameters: [], pairValues: [], pairCounts: [],
            transitions: cells, commandParameters: [])
        #expect(throws: ModelError.self) { try ModelCounts(parts: parts) }
        // Header session and event counts beyond 2^53.
        var big = ModelFile.encode(try Model(training: store(of: Self.shardA), type: .commands))
        withUnsafeBytes(of: (UInt64(1) << 62).littleEndian) { big.replaceSubrange(24..<32, with: $0) }
        #expect(throws: ModelFileError.self) { try ModelFile.decode(resealed(big), path: "big") }
    }
}
