// ExplainTop: scores sessions against a saved baseline and prints the five rarest, explained.
//
//   explain-top BASELINE.seqhunt SESSIONS.jsonl
//
// The sessions are read here, with Foundation's JSON decoder, not with SeqHunt's readers: each
// line is an object with `cmds` (command names) and optional `params` (one object per command,
// `{"<command>": [{"Name": ..., "Value": ...}]}`) and key fields. The baseline comes from
// `seqhunt train`. Only SeqHunt's public API is used.
import Foundation
import SeqHunt
import SeqHuntIO

struct Line: Decodable {
    struct Parameter: Decodable {
        var Name: String
        var Value: JSONScalar?
    }
    var UserId: String?
    var ClientIP: String?
    var cmds: [String]
    var params: [[String: [Parameter]]]?
}

/// A parameter value as the log has it: text, or a number or boolean read as its JSON text.
enum JSONScalar: Decodable {
    case text(String)
    init(from decoder: Decoder) throws {
        let value = try decoder.singleValueContainer()
        if let text = try? value.decode(String.self) {
            self = .text(text)
        } else if let flag = try? value.decode(Bool.self) {
            self = .text(flag ? "true" : "false")
        } else if let number = try? value.decode(Double.self) {
            self = .text(String(number))
        } else {
            self = .text("")
        }
    }
    var text: String { if case .text(let t) = self { return t } else { return "" } }
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: explain-top BASELINE.seqhunt SESSIONS.jsonl\n".utf8))
    exit(64)
}
do {
    let baseline = try Model(contentsOf: arguments[1])
    // Sessions into a store, one event and one parameter at a time.
    var builder = SessionStore.Builder()
    var who: [String] = []
    let decoder = JSONDecoder()
    for (number, text) in try String(contentsOfFile: arguments[2], encoding: .utf8).split(separator: "\n").enumerated()
    {
        let line: Line
        do { line = try decoder.decode(Line.self, from: Data(text.utf8)) } catch {
            throw NSError(
                domain: "explain-top", code: 2,
                userInfo: [NSLocalizedDescriptionKey: "\(arguments[2]):\(number + 1): \(error)"])
        }
        guard !line.cmds.isEmpty else { continue }
        for (i, command) in line.cmds.enumerated() {
            builder.beginEvent(command: command)
            for parameter in line.params?[i][command] ?? [] {
                try builder.addParameter(parameter.Name, value: parameter.Value?.text)
            }
        }
        try builder.endSession()
        who.append([line.UserId, line.ClientIP].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " / "))
    }
    let store = builder.build()

    // Score against the baseline, rank, and explain the five rarest.
    let options = ScoringOptions(windowLengths: [3])
    let scores = try baseline.score(store, options: options)
    let column = scores.rarestWindows[0]
    let ranking = RarestRanking(scores: column.logLikelihood, depth: 5) { a, b in (who[a], a) < (who[b], b) }
    let explainer = baseline.explainer(for: store, options: options)
    print(
        "\(store.sessionCount) sessions scored against \(arguments[1]) (\(baseline.type.rawValue), \(baseline.commandCount) commands)"
    )
    for (rank, session) in ranking.order.prefix(5).enumerated() {
        guard let explained = explainer.explain(session: session, scores: column) else { continue }
        let names = store.commandNames(ofSession: session)
        print(
            "\n\(rank + 1). session \(session + 1) (\(who[session].isEmpty ? "no key" : who[session])): "
                + String(format: "%.3e", exp(explained.window.logLikelihood)))
        print("   window: " + names[explained.window.commandRange].joined(separator: " → "))
        print("   reason: " + explainer.reason(for: explained.terms))
        for term in explained.terms.sorted(by: { $0.contribution < $1.contribution }).prefix(3) {
            print("   " + String(format: "%+.3f  ", term.contribution) + explainer.phrase(term))
        }
    }
    let more = ranking.tiesAfter(first: 5)
    if more > 0 { print("\n+\(more) more with the score of #5") }
} catch {
    FileHandle.standardError.write(Data("explain-top: \(error)\n".utf8))
    exit(2)
}
