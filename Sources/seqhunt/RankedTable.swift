import Foundation
import SeqHunt
import SeqHuntIO

/// The rarest sessions as a plain-text table for the terminal.
struct RankedTable {
    let table: SessionTable
    let scores: SessionScores
    var extraColumn: (title: String, value: (Int) -> String)? = nil

    /// Session indices by the first window column's score, rarest first; no score last.
    func ranking() -> [Int] {
        guard let column = scores.rarestWindows.first else {
            return scores.logLikelihood.indices.sorted { scores.logLikelihood[$0] < scores.logLikelihood[$1] }
        }
        return column.logLikelihood.indices.sorted { a, b in
            let x = column.logLikelihood[a], y = column.logLikelihood[b]
            if x.isNaN != y.isNaN { return !x.isNaN }
            if x != y && !x.isNaN { return x < y }
            return a < b
        }
    }

    func render(top: Int) -> String {
        let keyColumns = table.columns.filter { !["begin", "end", "duration", "nCmds", "nDistinctCmds"].contains($0) }
        let k = scores.rarestWindows.first?.length
        // Column names come from the input too: made printable like every cell.
        var header = ["rank", "session"] + keyColumns.map { printable($0) } + ["begin", "cmds", k.map { "rarest window \($0)" } ?? "likelihood", "window"]
        if let extraColumn { header.append(printable(extraColumn.title)) }
        var rows: [[String]] = []
        for (rank, session) in ranking().prefix(top).enumerated() {
            let commands = table.store.commandNames(ofSession: session)
            var row = ["\(rank + 1)", "\(session + 1)"]
            row += keyColumns.map { printable(table.value($0, session: session) ?? "") }
            row.append(printable(table.value("begin", session: session) ?? ""))
            row.append("\(commands.count)")
            if let column = scores.rarestWindows.first, let window = column.window(ofSession: session, commands: commands.count) {
                row.append(String(format: "%.3e", exp(window.logLikelihood)))
                row.append(printable(commands[window.commandRange].joined(separator: " → "), limit: 70))
            } else if scores.rarestWindows.first != nil {
                row += ["-", "(shorter than the window)"]
            } else {
                row += [String(format: "%.3e", exp(scores.logLikelihood[session])), ""]
            }
            if let extraColumn { row.append(extraColumn.value(session)) }
            rows.append(row)
        }
        let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)).joined(separator: "\n")
    }
}

/// Log text made safe for a terminal: control characters (escape sequences), line and
/// paragraph separators and bidirectional controls (which reorder what is shown) appear
/// as `?`, and the text is cut to `limit` characters.
func printable(_ text: String, limit: Int = 40) -> String {
    func unsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F..<0xA0).contains(v) || v == 0x2028 || v == 0x2029 || v == 0x061C || v == 0x200E || v == 0x200F
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }
    var out = String(String.UnicodeScalarView(text.unicodeScalars.map { unsafe($0) ? "?" : $0 }))
    if out.count > limit { out = String(out.prefix(limit - 1)) + "…" }
    return out
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
