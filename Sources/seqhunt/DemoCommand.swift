import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntDemo
import SeqHuntIO

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate Exchange admin sessions with planted attacks, score them, and show the rarest.",
        discussion: """
            The generator imitates a tenant's admins (provisioning, audits, transport rules, \
            delegation) and plants attacks: mailbox-forwarding bursts, permission grabs and \
            impersonation-role assignments. SeqHunt trains a values model on everything, \
            scores every session and reports how many planted attacks rank at the top.
            """)

    @Option(name: .long, help: "How many sessions to generate.")
    var sessions: Int = 20_000

    @Option(name: .long, help: "Random seed; the same seed gives the same sessions.")
    var seed: UInt64 = 42

    @Option(name: .long, help: "Also write sessions.jsonl and scores.csv into this directory.")
    var out: String?

    @Option(name: .long, help: "How many of the rarest sessions to print.")
    var top: Int = 10

    @OptionGroup var scoring: ScoringArguments

    func validate() throws {
        guard sessions >= 1 else { throw ValidationError("--sessions must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            let generated = DemoGenerator(seed: seed).generate(sessions: sessions)
            let store = generated.store
            let clock = ContinuousClock()
            var model: Model!
            let trainTime = try clock.measure {
                model = try Model(training: store, type: scoring.type,
                                  modellableParameters: scoring.modellableParameters, threads: scoring.threads)
            }
            var scores: SessionScores!
            let scoreTime = try clock.measure { scores = try model.score(store, options: scoring.options) }

            let table = SessionTable(demo: generated)
            if let out {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                try DemoSessionsWriter.write(table, to: out + "/sessions.jsonl")
                try ScoreWriter.write(table: table, scores: scores, to: out + "/scores.csv")
            }

            let planted = generated.planted
            print("SeqHunt demo: \(store.sessionCount) Exchange admin sessions, \(store.eventCount) events, "
                  + "\(store.parameterOccurrenceCount) parameters; \(planted.count) planted attacks (seed \(seed))")
            print("model: \(scoring.type.rawValue), \(model.stateCount) states, "
                  + "\(model.modellableParameters.count) modellable parameters; "
                  + "trained in \(milliseconds(trainTime)), scored in \(milliseconds(scoreTime))\n")
            var ranked = RankedTable(table: table, scores: scores)
            ranked.extraColumn = ("planted", { generated.sessions[$0].plantedAttack ?? "" })
            print(ranked.render(top: top))
            let topN = Set(ranked.ranking().prefix(planted.count))
            let found = planted.filter { topN.contains($0) }.count
            print("\n\(found) of \(planted.count) planted attacks rank among the \(planted.count) rarest sessions.")
            if let out { print("wrote \(out)/sessions.jsonl and \(out)/scores.csv") }
        }
    }

    func milliseconds(_ d: Duration) -> String {
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        return String(format: "%.1f ms", ms)
    }
}

extension SessionTable {
    /// The demo sessions with UserId, ClientIP, begin and end columns.
    init(demo: DemoGenerator.Output) {
        let rows = demo.sessions.map { info -> [String?] in
            [info.user, info.clientIP, isoTime(info.begin), isoTime(info.end)]
        }
        self.init(columns: ["UserId", "ClientIP", "begin", "end"], rows: rows, store: demo.store)
    }
}

func isoTime(_ seconds: Int) -> String {
    var t = time_t(seconds)
    var parts = tm()
    gmtime_r(&t, &parts)
    return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                  Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
}

/// Writes a session table in the SPEC 7 "sessions in" JSON Lines format.
enum DemoSessionsWriter {
    static func write(_ table: SessionTable, to path: String) throws {
        let writer = try AtomicFileWriter(path: path)
        let store = table.store
        for session in 0..<store.sessionCount {
            var line = "{"
            for (c, name) in table.columns.enumerated() {
                JSONText.appendQuoted(name, to: &line)
                line += ":"
                if let value = table.rows[session][c] { JSONText.appendQuoted(value, to: &line) } else { line += "null" }
                line += ","
            }
            line += "\"cmds\":" + JSONText.array(store.commandNames(ofSession: session)) + ",\"params\":["
            for (i, event) in store.events(ofSession: session).enumerated() {
                if i > 0 { line += "," }
                line += "{"
                JSONText.appendQuoted(store.commands[store.commandIDs[event]], to: &line)
                line += ":["
                for (j, occurrence) in store.parameters(ofEvent: event).enumerated() {
                    if j > 0 { line += "," }
                    line += "{\"Name\":"
                    JSONText.appendQuoted(store.parameters[store.parameterIDs[occurrence]], to: &line)
                    line += ",\"Value\":"
                    let v = store.valueIDs[occurrence]
                    JSONText.appendQuoted(v >= 0 ? store.values.valueOfPair[Int(v)] : "", to: &line)
                    line += "}"
                }
                line += "]}"
            }
            try writer.write(line + "]}\n")
        }
        try writer.commit()
    }
}
