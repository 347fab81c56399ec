import Foundation
import SeqHunt

/// Writes SPEC 7 "scores out": one row per session in input order, as CSV or
/// JSON Lines by the output's extension, atomically.
///
/// Columns: the session table's descriptive columns, `session` (JSON array of
/// names), `likelihood`, `log_likelihood`, `geomean_likelihood`, and per window
/// length `k`: `rarest_window{k}_likelihood`, `rarest_window{k}_log_likelihood`,
/// `rarest_window{k}_index`, `rarest_window{k}` (JSON array of names). Null scores
/// are empty in CSV and `null` in JSON.
public enum ScoreWriter {
    /// Output formats.
    public enum Format: Sendable { case csv, jsonLines }

    /// The format for `path`, by extension.
    public static func format(of path: String) throws -> Format {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") { return .jsonLines }
        throw OutputError(path: path, cause: "unknown output format: name it .csv or .jsonl")
    }

    /// The output column names for `table` and `scores`.
    public static func columnNames(table: SessionTable, scores: SessionScores) -> [String] {
        var names = table.columns + ["session", "likelihood", "log_likelihood", "geomean_likelihood"]
        for column in scores.rarestWindows {
            let k = column.length
            names += ["rarest_window\(k)_likelihood", "rarest_window\(k)_log_likelihood",
                      "rarest_window\(k)_index", "rarest_window\(k)"]
        }
        return names
    }

    /// Writes the scores of `table`'s sessions to `path`, never overwriting one of `inputs`.
    public static func write(table: SessionTable, scores: SessionScores, to path: String, inputs: [String] = []) throws {
        let format = try format(of: path)
        let writer = try AtomicFileWriter(path: path, inputs: inputs)
        let names = columnNames(table: table, scores: scores)
        let store = table.store
        if format == .csv { try writer.write(names.map(CSVText.escaped).joined(separator: ",") + "\n") }
        var cells = [Cell](repeating: .null, count: names.count)
        for session in 0..<scores.count {
            var c = 0
            for i in table.columns.indices {
                let row = table.rows[session]
                cells[c] = i < row.count ? row[i].map(Cell.text) ?? .null : .null
                c += 1
            }
            let commands = store.commandNames(ofSession: session)
            cells[c] = .json(JSONText.array(commands)); c += 1
            let log = scores.logLikelihood[session]
            cells[c] = .number(exp(log)); c += 1
            cells[c] = .number(log); c += 1
            cells[c] = .number(exp(scores.geometricMeanLogLikelihood[session])); c += 1
            for column in scores.rarestWindows {
                if let window = column.window(ofSession: session, commands: commands.count) {
                    cells[c] = .number(exp(window.logLikelihood))
                    cells[c + 1] = .number(window.logLikelihood)
                    cells[c + 2] = .integer(window.start)
                    cells[c + 3] = .json(JSONText.array(commands[window.commandRange]))
                } else {
                    cells[c] = .null; cells[c + 1] = .null; cells[c + 2] = .null; cells[c + 3] = .json("[]")
                }
                c += 4
            }
            try writer.write(format == .csv ? csvLine(cells) : jsonLine(names: names, cells))
        }
        try writer.commit()
    }

    /// One output cell.
    enum Cell {
        case null
        case text(String)
        case json(String)
        case number(Double)
        case integer(Int)
    }

    static func numberText(_ x: Double) -> String? {
        x.isFinite ? "\(x)" : nil
    }

    static func csvLine(_ cells: [Cell]) -> String {
        var out = ""
        for (i, cell) in cells.enumerated() {
            if i > 0 { out += "," }
            switch cell {
            case .null: break
            case .text(let s), .json(let s): out += CSVText.escaped(s)
            case .number(let x): out += numberText(x) ?? ""
            case .integer(let n): out += String(n)
            }
        }
        return out + "\n"
    }

    static func jsonLine(names: [String], _ cells: [Cell]) -> String {
        var out = "{"
        for (i, cell) in cells.enumerated() {
            if i > 0 { out += "," }
            JSONText.appendQuoted(names[i], to: &out)
            out += ":"
            switch cell {
            case .null: out += "null"
            case .text(let s): JSONText.appendQuoted(s, to: &out)
            case .json(let s): out += s
            case .number(let x): out += numberText(x) ?? "null"
            case .integer(let n): out += String(n)
            }
        }
        return out + "}\n"
    }

    /// Writes parameter-set likelihoods (rarest first) with columns `command`,
    /// `params` (JSON array), `likelihood`, `log_likelihood`.
    public static func writeParameterSets(_ sets: [ParameterSetLikelihood], to path: String, inputs: [String] = []) throws {
        let format = try format(of: path)
        let writer = try AtomicFileWriter(path: path, inputs: inputs)
        let names = ["command", "params", "likelihood", "log_likelihood"]
        if format == .csv { try writer.write(names.joined(separator: ",") + "\n") }
        for set in sets {
            let cells: [Cell] = [.text(set.command), .json(JSONText.array(set.parameters)),
                                 .number(set.likelihood), .number(set.logLikelihood)]
            try writer.write(format == .csv ? csvLine(cells) : jsonLine(names: names, cells))
        }
        try writer.commit()
    }
}
