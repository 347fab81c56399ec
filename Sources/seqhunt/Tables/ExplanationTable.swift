import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntSupport

/// One session's explanation as text: who, when, the window, its reason, and a row per term.
struct ExplanationTable {
    let table: SessionTable
    let model: Model
    let options: ScoringOptions

    func render(session: Int) throws -> String {
        let store = table.store
        let explainer = model.explainer(for: store, options: options)
        let commands = store.events(ofSession: session).count
        var out = [
            "session \(session + 1): \(printable(table.keyText(session: session), limit: .max)), begin \(table.value("begin", session: session) ?? "?"), \(commands) commands"
        ]
        for k in options.windowLengths {
            guard let explained = try model.explain(session: session, in: store, window: k, options: options) else {
                out.append("\nrarest window \(k): none (the session is shorter than the window)")
                continue
            }
            let window = explained.window
            out.append("")
            out.append(
                "rarest window \(k): commands \(window.commandRange.lowerBound + 1) to \(window.commandRange.upperBound) of \(commands)"
                    + (window.start + k > commands ? " and END" : "")
                    + String(format: ", likelihood %.3e (log %.4f)", exp(window.logLikelihood), window.logLikelihood))
            out.append("reason: " + printable(explainer.reason(for: explained.terms), limit: .max))
            var rows = [["event", "term", "what", "p", "log p", "contribution", "training count"]]
            for term in explained.terms {
                let what: String
                switch term.kind {
                case .start, .transition, .end:
                    what = explainer.commandName(term.previous) + " → " + explainer.commandName(term.command)
                case .prior:
                    what = explainer.commandName(term.command)
                case .parameter:
                    what =
                        explainer.commandName(term.command) + (term.present ? " with " : " without ")
                        + (explainer.parameterName(of: term) ?? "any unseen parameter")
                case .value:
                    what =
                        (explainer.parameterName(of: term) ?? "?") + " = "
                        + (explainer.valueText(of: term).map { "\"\($0)\"" } ?? "(no value)")
                case .unscoredParameter:
                    what =
                        (explainer.parameterName(of: term) ?? "?") + " (never seen with "
                        + explainer.commandName(term.command) + ": not scored)"
                }
                rows.append([
                    term.event < commands ? "\(term.event + 1)" : "END",
                    term.kind.rawValue + (term.unseen && term.kind != .unscoredParameter ? " UNK" : ""),
                    printable(what, limit: 90),
                    term.kind == .unscoredParameter ? "" : String(format: "%.2e", exp(term.logProbability)),
                    term.kind == .unscoredParameter ? "" : String(format: "%.4f", term.logProbability),
                    String(format: "%.4f", term.contribution),
                    term.kind == .unscoredParameter ? "" : "\(Int(term.count)) of \(Int(term.total))"
                ])
            }
            rows.append(["", "", "window log likelihood", "", "", String(format: "%.4f", explained.logLikelihood), ""])
            let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
            for row in rows {
                out.append(
                    row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(
                        separator: "  "
                    ).trimmingTrailingSpaces())
            }
        }
        return out.joined(separator: "\n")
    }
}
