import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntSupport

/// The rarest sessions as a plain-text table for the terminal: rank, session id, the
/// key, begin, the score, the reason and the rarest window, fitted to `width` columns
/// by shortening the window and then the reason (never the key), and a line for the
/// sessions that tie with the last one shown.
struct RankedTable {
    let table: SessionTable
    let scores: SessionScores
    /// The model that scored them, for the reasons (none for an empty input).
    let model: Model?
    var extraColumn: (title: String, value: (Int) -> String)? = nil

    /// Session indices rarest first (see ``RarestRanking``), exact in the first `depth` places.
    func ranking(depth: Int) -> RarestRanking { RarestRanking(table: table, scores: scores, depth: depth) }

    func render(top: Int, width: Int = TerminalWidth.columns(of: 1)) -> String {
        let keyColumns = table.keyColumnIndices
        let column = scores.rarestWindows.first
        let ranking = ranking(depth: top)
        let explainer = column.flatMap { _ in model?.explainer(for: table.store, options: scores.options) }
        var header =
            ["rank", "session_id"] + keyColumns.map { printable(table.columns[$0], limit: .max) }
            + ["begin", "cmds", column.map { "rarest window \($0.length)" } ?? "likelihood", "reason", "window"]
        if let extraColumn { header.append(printable(extraColumn.title)) }
        let reasonColumn = header.count - (extraColumn == nil ? 2 : 3), windowColumn = reasonColumn + 1
        var rows: [[String]] = []
        for (rank, session) in ranking.order.prefix(top).enumerated() {
            let commands = table.store.commandNames(ofSession: session)
            var row = ["\(rank + 1)", "\(session + 1)"]
            row += keyColumns.map {
                printable(table.cells.string(column: $0, session: session) ?? "", limit: .max)
            }
            row.append(printable(table.value("begin", session: session) ?? ""))
            row.append("\(commands.count)")
            if let column, let window = column.window(ofSession: session, commands: commands.count) {
                row.append(String(format: "%.3e", exp(window.logLikelihood)))
                row.append(printable(explainer?.reason(ofSession: session, scores: column) ?? "", limit: .max))
                row.append(printable(commands[window.commandRange].joined(separator: " → "), limit: .max))
            } else if column != nil {
                row += ["-", "", "(shorter than the window)"]
            } else {
                row += [String(format: "%.3e", exp(scores.logLikelihood[session])), "", ""]
            }
            if let extraColumn { row.append(extraColumn.value(session)) }
            rows.append(row)
        }
        var widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        // Fit the width: the window gives way first, then the reason, never the key.
        for (c, floor) in [(windowColumn, 16), (reasonColumn, 24), (windowColumn, 8), (reasonColumn, 12)] {
            let total = widths.reduce(0, +) + 2 * (widths.count - 1)
            if total > width { widths[c] = max(min(widths[c], floor), widths[c] - (total - width)) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, cell in
                let text = cell.count > widths[c] ? String(cell.prefix(max(0, widths[c] - 1))) + "…" : cell
                return text.padding(toLength: widths[c], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var lines = [line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)
        let shown = min(top, ranking.order.count)
        let more = ranking.tiesAfter(first: shown)
        if more > 0 {
            let score = ranking.scores[ranking.order[shown - 1]]
            lines.append("+\(more) more at \(String(format: "%.3e", exp(score))) (the same score as #\(shown))")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
