import Foundation
import SeqHunt
@_spi(Internals) import SeqHuntFormats
import SeqHuntIO
@_spi(Internals) import SeqHuntTestSupport
import Testing

/// Every score agrees with msticpy 3.0.2 (docs/SPEC.md §11): 1e-9 relative, logs where
/// msticpy's product underflows, and each rarest window one msticpy ranks minimal
/// (within docs/SPEC.md §5's 1e-12 tie tolerance: `near_min_indices`).
@Suite("Parity with msticpy")
struct ParityTests {
    static let dataSets = ["demo", "generated"]

    @Test("session, geometric-mean and rarest-window scores", arguments: dataSets)
    func scores(dataSet: String) throws {
        let table = try SessionReader.read(paths: [GoldenFiles.path("\(dataSet).sessions.jsonl")])
        var checked = 0
        for golden in try GoldenFiles.lines("\(dataSet).scores.jsonl") {
            let type = try #require(SessionType(rawValue: golden["type"]!.string!))
            let tokens = try #require(golden["tokens"]?.bool as Bool?)
            let model = try Model(training: table.store, type: type)
            if type == .values {
                #expect(model.modellableParameters == Set(golden["modellable_params"]!.strings))
            }
            let label = "\(dataSet) \(type.rawValue) tokens=\(tokens)"
            for geo in [false, true] {
                let scores = try model.score(
                    table.store,
                    options: ScoringOptions(
                        windowLengths: [1, 2, 3, 4], usesStartEndTokens: tokens, windowGeometricMean: geo))
                let likelihood = golden["likelihood"]!.doubles
                let logLikelihood = golden["log_likelihood"]!.doubles
                let geomean = golden["geomean_likelihood"]!.doubles
                for s in 0..<table.store.sessionCount {
                    let ours = scores.logLikelihood[s]
                    let theirs = try #require(likelihood[s])
                    if theirs > 1e-300 {
                        #expect(relativelyClose(exp(ours), theirs), "\(label) session \(s): \(exp(ours)) vs \(theirs)")
                    } else {
                        #expect(
                            relativelyClose(ours, logLikelihood[s]!),
                            "\(label) session \(s) log: \(ours) vs \(logLikelihood[s]!)")
                    }
                    let n = Double(table.store.events(ofSession: s).count)
                    let theirGeo = try #require(geomean[s])
                    if theirs > 1e-300 {
                        #expect(
                            relativelyClose(exp(scores.geometricMeanLogLikelihood[s]), theirGeo),
                            "\(label) geomean \(s)")
                    } else {
                        #expect(
                            relativelyClose(scores.geometricMeanLogLikelihood[s], logLikelihood[s]! / n),
                            "\(label) geomean log \(s)")
                    }
                }
                for column in scores.rarestWindows {
                    let window = golden["windows"]![String(column.length)]!
                    let suffix = geo ? "_geo" : ""
                    let theirLikelihood = window["likelihood" + suffix]!.doubles
                    let nearMinimal = window["near_min_indices" + suffix]!.arrays
                    for s in 0..<table.store.sessionCount {
                        guard let theirs = theirLikelihood[s] else {
                            #expect(
                                column.start[s] == -1 && column.logLikelihood[s].isNaN,
                                "\(label) k=\(column.length) session \(s) should have no window")
                            continue
                        }
                        let ours = column.logLikelihood[s]
                        #expect(
                            relativelyClose(exp(ours), theirs),
                            "\(label) k=\(column.length) geo=\(geo) session \(s): \(exp(ours)) vs \(theirs)")
                        #expect(
                            nearMinimal[s].contains(Int(column.start[s])),
                            "\(label) k=\(column.length) geo=\(geo) session \(s): window \(column.start[s]) not in \(nearMinimal[s])"
                        )
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 1000)
    }

    @Test("parameter-set likelihoods", arguments: dataSets)
    func parameterSets(dataSet: String) throws {
        let table = try SessionReader.read(paths: [GoldenFiles.path("\(dataSet).sessions.jsonl")])
        for golden in try GoldenFiles.lines("\(dataSet).paramsets.jsonl") {
            let type = try #require(SessionType(rawValue: golden["type"]!.string!))
            let geo = try #require(golden["geo_mean"]?.bool as Bool?)
            let model = try Model(training: table.store, type: type)
            let ours = model.parameterSetLikelihoods(in: table.store, geometricMean: geo)
            var expected: [String: Double] = [:]
            guard case .array(let sets) = golden["sets"]! else {
                Issue.record("no sets")
                return
            }
            for set in sets {
                expected[set["cmd"]!.string! + "\u{1}" + set["key"]!.strings.sorted().joined(separator: "\u{0}")] = set[
                    "prob"]!.double!
            }
            #expect(
                ours.count == expected.count,
                "\(dataSet) \(type.rawValue) geo=\(geo): \(ours.count) sets vs \(expected.count)")
            for set in ours {
                let key = set.command + "\u{1}" + set.parameters.sorted().joined(separator: "\u{0}")
                let theirs = try #require(expected[key], "\(dataSet) \(type.rawValue): unexpected set \(key)")
                #expect(
                    relativelyClose(set.likelihood, theirs),
                    "\(dataSet) \(type.rawValue) geo=\(geo) \(key): \(set.likelihood) vs \(theirs)")
            }
            #expect(zip(ours, ours.dropFirst()).allSatisfy { $0.logLikelihood <= $1.logLikelihood }, "rarest first")
        }
    }

    @Test("the demo data's rarest commands-only window is msticpy's")
    func demoRarestWindow() throws {
        let table = try SessionReader.read(paths: [GoldenFiles.path("demo.sessions.jsonl")])
        let model = try Model(training: table.store, type: .commands)
        let column = try model.score(table.store).rarestWindows(length: 3)!
        let rarest = column.logLikelihood.indices.min { column.logLikelihood[$0] < column.logLikelihood[$1] }!
        let window = column.window(ofSession: rarest, commands: table.store.events(ofSession: rarest).count)!
        #expect(
            Array(table.store.commandNames(ofSession: rarest)[window.commandRange]) == ["New-Mailbox", "Set-Mailbox"])
        #expect(relativelyClose(exp(window.logLikelihood), 2.1190391428910476e-05))
    }

    @Test("learned priors are bit-identical to msticpy's, transitions agree to 1e-15")
    func learnedProbabilities() throws {
        let table = try SessionReader.read(paths: [GoldenFiles.path("demo.sessions.jsonl")])
        let model = try Model(training: table.store, type: .values)
        let golden = try JSONParser.parse(String(contentsOfFile: GoldenFiles.path("demo.model.json"), encoding: .utf8))
        func state(_ name: String) -> CommandState {
            name == "##START##" ? .start : name == "##END##" ? .end : .command(name)
        }
        guard case .object(let priors) = golden["prior_probs"]! else {
            Issue.record("no priors")
            return
        }
        for (name, value) in priors {
            #expect(model.priorProbability(of: state(name)) == value.double!, "prior \(name)")
        }
        guard case .object(let rows) = golden["trans_probs"]! else {
            Issue.record("no transitions")
            return
        }
        for (from, row) in rows {
            guard case .object(let cells) = row else { continue }
            for (to, value) in cells {
                #expect(
                    relativelyClose(
                        model.transitionProbability(from: state(from), to: state(to)), value.double!, 1e-15),
                    "trans \(from) → \(to)")
            }
        }
    }
}
