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
    /// Rows are formatted in parallel chunks and written in order.
    public static func write(table: SessionTable, scores: SessionScores, to path: String, inputs: [String] = []) throws {
        let format = try format(of: path)
        let writer = try AtomicFileWriter(path: path, inputs: inputs)
        let names = columnNames(table: table, scores: scores)
        if format == .csv { try writer.write(bytes: ColumnNames.csvHeader(names)) }
        let store = table.store
        let commands = EncodedNames(store.commands.allNames)
        let keys = ColumnNames.jsonKeys(names)
        let descriptive = table.columns.count
        try ParallelRows.write(rows: scores.count, to: writer) { range, out in
            var json: [UInt8] = []
            for session in range {
                let events = store.events(ofSession: session)
                // Cell c of the row: JSON key first in JSON Lines, a comma before it in CSV.
                var c = 0
                func open() {
                    if format == .csv { if c > 0 { out.append(0x2C) } } else { out.append(c == 0 ? 0x7B : 0x2C); out.append(contentsOf: keys[c]) }
                    c += 1
                }
                func nullCell() { if format == .jsonLines { out.append(ascii: "null") } }
                func arrayCell(_ range: Range<Int>) {
                    json.removeAll(keepingCapacity: true)
                    json.append(0x5B)
                    for (i, event) in range.enumerated() {
                        if i > 0 { json.append(0x2C) }
                        commands.append(Int(store.commandIDs[events.lowerBound + event]), to: &json)
                    }
                    json.append(0x5D)
                    if format == .csv { json.withUnsafeBufferPointer { out.appendCSVField(bytes: $0) } } else { out.append(contentsOf: json) }
                }
                let row = table.rows[session]
                for i in 0..<descriptive {
                    open()
                    if i < row.count, let value = row[i] {
                        if format == .csv { out.append(csvField: value) } else { out.append(jsonString: value) }
                    } else {
                        nullCell()
                    }
                }
                open(); arrayCell(0..<events.count)
                let log = scores.logLikelihood[session]
                open(); out.append(number: exp(log))
                open(); out.append(number: log)
                open(); out.append(number: exp(scores.geometricMeanLogLikelihood[session]))
                for column in scores.rarestWindows {
                    if let window = column.window(ofSession: session, commands: events.count) {
                        open(); out.append(number: exp(window.logLikelihood))
                        open(); out.append(number: window.logLikelihood)
                        open(); out.append(text: String(window.start))
                        open(); arrayCell(window.commandRange)
                    } else {
                        open(); nullCell(); open(); nullCell(); open(); nullCell()
                        open(); arrayCell(0..<0)
                    }
                }
                if format == .jsonLines { out.append(0x7D) }
                out.append(0x0A)
            }
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
