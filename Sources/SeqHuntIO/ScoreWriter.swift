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

    /// Writes the scores of `table`'s sessions to `path` (`-`: standard output) in `format`
    /// (default: by extension), never overwriting one of `inputs`. Rows are formatted in
    /// parallel chunks and written in order.
    public static func write(table: SessionTable, scores: SessionScores, to path: String, format: OutputFormat? = nil,
                             inputs: [String] = []) throws {
        let format = try OutputFormat.of(path, given: format)
        let writer = try AtomicFileWriter(path: path, inputs: inputs)
        let names = columnNames(table: table, scores: scores)
        if format == .csv { try writer.write(bytes: ColumnNames.csvHeader(names)) }
        let store = table.store
        let commands = EncodedNames(store.commands.allNames)
        let keys = ColumnNames.jsonKeys(names)
        let descriptive = table.columns.count
        let numeric = table.columns.map { table.numericColumns.contains($0) }
        try ParallelRows.write(rows: scores.count, to: writer) { range, out in
            var json = OutputBuffer(capacity: 1 << 12)
            for session in range {
                let events = store.events(ofSession: session)
                // Cell c of the row: JSON key first in JSON Lines, a comma before it in CSV.
                var c = 0
                func open() {
                    if format == .csv { if c > 0 { out.append(0x2C) } } else { out.append(c == 0 ? 0x7B : 0x2C); out.append(contentsOf: keys[c]) }
                    c += 1
                }
                func nullCell() { if format == .jsonl { out.append(ascii: "null") } }
                func arrayCell(_ range: Range<Int>) {
                    json.removeAll()
                    json.append(0x5B)
                    for (i, event) in range.enumerated() {
                        if i > 0 { json.append(0x2C) }
                        commands.append(Int(store.commandIDs[events.lowerBound + event]), to: &json)
                    }
                    json.append(0x5D)
                    if format == .csv { json.bytes.withMemoryRebound(to: UInt8.self) { out.appendCSVField(bytes: $0) } } else { out.append(json) }
                }
                let row = table.rows[session]
                for i in 0..<descriptive {
                    open()
                    if i < row.count, let value = row[i] {
                        if format == .csv {
                            out.append(csvField: value)
                        } else if numeric[i] && JSONText.isNumber(value) {
                            out.append(text: value)
                        } else {
                            out.append(jsonString: value)
                        }
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
                if format == .jsonl { out.append(0x7D) }
                out.append(0x0A)
            }
        }
        try writer.commit()
    }

    /// Writes parameter-set likelihoods (rarest first) with columns `command`,
    /// `params` (JSON array), `likelihood`, `log_likelihood`.
    public static func writeParameterSets(_ sets: [ParameterSetLikelihood], to path: String, format: OutputFormat? = nil,
                                          inputs: [String] = []) throws {
        let format = try OutputFormat.of(path, given: format)
        let writer = try AtomicFileWriter(path: path, inputs: inputs)
        let names = ["command", "params", "likelihood", "log_likelihood"]
        let keys = ColumnNames.jsonKeys(names)
        if format == .csv { try writer.write(bytes: ColumnNames.csvHeader(names)) }
        var out: [UInt8] = [], params: [UInt8] = []
        for set in sets {
            params.removeAll(keepingCapacity: true)
            params.append(0x5B)
            for (i, name) in set.parameters.enumerated() {
                if i > 0 { params.append(0x2C) }
                params.append(jsonString: name)
            }
            params.append(0x5D)
            if format == .csv {
                out.append(csvField: set.command)
                out.append(0x2C)
                params.withUnsafeBufferPointer { out.appendCSVField(bytes: $0) }
                out.append(0x2C)
                out.append(number: set.likelihood)
                out.append(0x2C)
                out.append(number: set.logLikelihood)
            } else {
                out.append(0x7B); out.append(contentsOf: keys[0]); out.append(jsonString: set.command)
                out.append(0x2C); out.append(contentsOf: keys[1]); out.append(contentsOf: params)
                out.append(0x2C); out.append(contentsOf: keys[2])
                if set.likelihood.isFinite { out.append(number: set.likelihood) } else { out.append(ascii: "null") }
                out.append(0x2C); out.append(contentsOf: keys[3])
                if set.logLikelihood.isFinite { out.append(number: set.logLikelihood) } else { out.append(ascii: "null") }
                out.append(0x7D)
            }
            out.append(0x0A)
            if out.count >= 1 << 16 { try writer.write(bytes: out); out.removeAll(keepingCapacity: true) }
        }
        try writer.write(bytes: out)
        try writer.commit()
    }
}
