import Foundation
import SeqHunt

/// Which of the wide columns a scores file carries, beside the ones it always has.
///
/// A scores file always has `session_id`, the session table's descriptive columns,
/// `session` (the commands), the likelihoods, and per window length `k` the rarest window's
/// likelihoods, index, commands and reason. The columns named here are the wide ones: on a
/// tenant's log whose values are mostly distinct, `params` alone is half the size of the
/// input.
public struct ScoreColumns: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// `cmds` and `params`, as the sessions were read: the scores file then reads back as
    /// sessions (for `seqhunt explain`, or to score again).
    public static let sessions = ScoreColumns(rawValue: 1 << 0)
    /// `rarest_window{k}_events`: each window's commands with their parameters and values,
    /// as msticpy's `Cmd`.
    public static let windowEvents = ScoreColumns(rawValue: 1 << 1)
    /// `rarest_window{k}_explanation`: every term of each rarest window as JSON (a few
    /// kilobytes per session).
    public static let explanations = ScoreColumns(rawValue: 1 << 2)

    /// What `seqhunt score` writes: the sessions and each window's events.
    public static let standard: ScoreColumns = [.sessions, .windowEvents]
    /// What `seqhunt run` writes by default: none of the wide columns.
    public static let narrow: ScoreColumns = []
}

/// Writes docs/SPEC.md §9 "scores out": one row per session in input order, as CSV or
/// JSON Lines by the output's extension, atomically.
///
/// Columns: `session_id` (the session's 1-based place in the input: the number the
/// table, the timeline and `seqhunt explain` use), the session table's descriptive
/// columns, `cmds` and `params` (``ScoreColumns/sessions``: as the sessions were read, so
/// that a scores file reads back as sessions), `session` (JSON array of names),
/// `likelihood`, `log_likelihood`, `geomean_likelihood`, and per window length `k`:
/// `rarest_window{k}_likelihood`, `rarest_window{k}_log_likelihood`,
/// `rarest_window{k}_index`, `rarest_window{k}` (JSON array of names),
/// `rarest_window{k}_events` (``ScoreColumns/windowEvents``: each command with its
/// parameters and values), `rarest_window{k}_reason` (one line: the rarest terms) and
/// `rarest_window{k}_explanation` (``ScoreColumns/explanations``: every term, as JSON).
/// Null scores are empty in CSV and `null` in JSON. An input column with the name of one of
/// these is replaced.
public enum ScoreWriter {

    /// The columns every scores file has before the descriptive ones, and after them.
    static let leadingColumns = ["session_id"]
    static func sessionColumns(_ columns: ScoreColumns) -> [String] {
        (columns.contains(.sessions) ? ["cmds", "params"] : []) + [
            "session", "likelihood", "log_likelihood", "geomean_likelihood"
        ]
    }

    static func windowColumns(_ k: Int, _ columns: ScoreColumns) -> [String] {
        [
            "rarest_window\(k)_likelihood", "rarest_window\(k)_log_likelihood", "rarest_window\(k)_index",
            "rarest_window\(k)"
        ]
            + (columns.contains(.windowEvents) ? ["rarest_window\(k)_events"] : []) + ["rarest_window\(k)_reason"]
            + (columns.contains(.explanations) ? ["rarest_window\(k)_explanation"] : [])
    }

    /// Every column a scores file may have, whichever were asked for: an input column of one
    /// of these names is never carried over, so that the columns of a file do not depend on
    /// whether its input was itself a wide or a narrow scores file.
    static func reservedColumns(_ scores: SessionScores) -> Set<String> {
        let all: ScoreColumns = [.sessions, .windowEvents, .explanations]
        return Set(
            leadingColumns + sessionColumns(all) + scores.rarestWindows.flatMap { windowColumns($0.length, all) })
    }

    /// The input's descriptive columns that the output keeps: those whose names the scores do not take.
    static func keptColumns(table: SessionTable, scores: SessionScores) -> [Int] {
        let reserved = reservedColumns(scores)
        return table.columns.indices.filter { !reserved.contains(table.columns[$0]) }
    }

    /// The output column names for `table` and `scores`, with the wide `columns` asked for.
    public static func columnNames(table: SessionTable, scores: SessionScores, columns: ScoreColumns = .standard)
        -> [String]
    {
        leadingColumns + keptColumns(table: table, scores: scores).map { table.columns[$0] }
            + sessionColumns(columns) + scores.rarestWindows.flatMap { windowColumns($0.length, columns) }
    }

    /// Writes the scores of `table`'s sessions to `path` (`-`: standard output) in `format`
    /// (default: by extension), never overwriting one of `inputs`. Rows are formatted in
    /// parallel chunks and written in order.
    /// - Parameters:
    ///   - table: the sessions, with their descriptive columns.
    ///   - scores: their scores, in the same order.
    ///   - model: the model that scored them, for the reasons and explanations
    ///     (`nil` only when there are no sessions).
    ///   - columns: the wide columns to write (``ScoreColumns/standard``: the sessions and
    ///     each window's events; add ``ScoreColumns/explanations`` for every term of every
    ///     window, a few kilobytes per session).
    ///   - path: the output file, or `-` for standard output.
    ///   - format: CSV or JSON Lines; `nil` chooses by the extension (required for `-`).
    ///   - inputs: the files the run read: the output may not replace one of them.
    public static func write(
        table: SessionTable, scores: SessionScores, model: Model?, columns: ScoreColumns = .standard,
        to path: String, format: OutputFormat? = nil, inputs: [String] = []
    ) throws {
        let format = try OutputFormat.of(path, given: format)
        let writer = try AtomicFileWriter(path: path, inputs: inputs)
        let names = columnNames(table: table, scores: scores, columns: columns)
        let explanations = columns.contains(.explanations)
        let windowEvents = columns.contains(.windowEvents)
        if format == .csv { try writer.write(bytes: ColumnNames.csvHeader(names)) }
        let store = table.store
        let cells = SessionCells(
            store, commandsOnly: columns.isDisjoint(with: [.sessions, .windowEvents, .explanations]))
        let keys = ColumnNames.jsonKeys(names)
        let kept = keptColumns(table: table, scores: scores)
        let numeric = table.columns.map { table.numericColumns.contains($0) }
        let explainer = model?.explainer(for: store, options: scores.options)
        // The model's parameter names, encoded once, for the explanation column only.
        let modelParameters =
            explanations ? model.map { EncodedNames($0.counts.parameters) } ?? EncodedNames([]) : EncodedNames([])
        try ParallelRows.write(rows: scores.count, to: writer) { range, out in
            var json = OutputBuffer(capacity: 1 << 12)
            var terms: [ExplanationTerm] = []
            var reason: [UInt8] = []
            for session in range {
                let events = store.events(ofSession: session)
                // Cell c of the row: JSON key first in JSON Lines, a comma before it in CSV.
                var c = 0
                func open() {
                    if format == .csv {
                        if c > 0 { out.append(0x2C) }
                    } else {
                        out.append(c == 0 ? 0x7B : 0x2C)
                        out.append(contentsOf: keys[c])
                    }
                    c += 1
                }
                func nullCell() { if format == .jsonl { out.append(ascii: "null") } }
                /// A cell of JSON text: as it is in JSON Lines, quoted in CSV.
                func jsonCell(_ fill: (inout OutputBuffer) -> Void) {
                    open()
                    json.removeAll()
                    fill(&json)
                    if format == .csv {
                        json.bytes.withMemoryRebound(to: UInt8.self) { out.appendCSVField(bytes: $0) }
                    } else {
                        out.append(json)
                    }
                }
                open()
                out.append(decimal: session + 1)
                for i in kept {
                    open()
                    table.cells.withCell(column: i, session: session) { value in
                        if let value {
                            out.appendCell(value, format: format, numeric: numeric[i])
                        } else {
                            nullCell()
                        }
                    }
                }
                if columns.contains(.sessions) {
                    jsonCell { cells.appendCommands(of: session, to: &$0) }
                    jsonCell { cells.appendParameters(of: session, to: &$0) }
                }
                jsonCell { cells.appendCommands(of: session, to: &$0) }
                let log = scores.logLikelihood[session]
                open()
                out.append(number: exp(log))
                open()
                out.append(number: log)
                open()
                out.append(number: exp(scores.geometricMeanLogLikelihood[session]))
                for column in scores.rarestWindows {
                    guard let window = column.window(ofSession: session, commands: events.count) else {
                        open()
                        nullCell()
                        open()
                        nullCell()
                        open()
                        nullCell()
                        jsonCell { cells.appendCommands(of: session, range: 0..<0, to: &$0) }
                        if windowEvents { jsonCell { cells.appendEvents(of: session, range: 0..<0, to: &$0) } }
                        open()
                        nullCell()
                        if explanations {
                            open()
                            nullCell()
                        }
                        continue
                    }
                    open()
                    out.append(number: exp(window.logLikelihood))
                    open()
                    out.append(number: window.logLikelihood)
                    open()
                    out.append(decimal: window.start)
                    jsonCell { cells.appendCommands(of: session, range: window.commandRange, to: &$0) }
                    if windowEvents {
                        jsonCell { cells.appendEvents(of: session, range: window.commandRange, to: &$0) }
                    }
                    terms.removeAll(keepingCapacity: true)
                    explainer?.explain(session: session, window: window, into: &terms)
                    open()
                    if let explainer {
                        reason.removeAll(keepingCapacity: true)
                        explainer.appendReason(for: terms, to: &reason)
                        reason.withUnsafeBufferPointer {
                            if format == .csv { out.appendCSVField(bytes: $0) } else { out.appendJSONString(bytes: $0) }
                        }
                    } else {
                        nullCell()
                    }
                    if explanations, let explainer {
                        jsonCell {
                            appendExplanation(
                                terms, explainer: explainer, cells: cells, modelParameters: modelParameters, to: &$0)
                        }
                    } else if explanations {
                        open()
                        nullCell()
                    }
                }
                if format == .jsonl { out.append(0x7D) }
                out.append(0x0A)
            }
        }
        try writer.commit()
    }

    /// The terms of an explanation as a JSON array of objects: `kind`, `event` (index in
    /// the session), `command`, `from` (transitions), `parameter`, `present`, `value`,
    /// `log_probability`, `contribution`, `unseen`, `count` and `total`.
    static func appendExplanation(
        _ terms: [ExplanationTerm], explainer: WindowExplainer, cells: SessionCells,
        modelParameters: EncodedNames, to out: inout OutputBuffer
    ) {
        func command(_ id: Int32) {
            if cells.store.commands.isReserved(id) {
                out.append(jsonString: explainer.commandName(id))
            } else {
                cells.commands.append(Int(id), to: &out)
            }
        }
        out.append(0x5B)
        for (i, term) in terms.enumerated() {
            out.append(ascii: i > 0 ? ",{\"kind\":\"" : "{\"kind\":\"")
            out.append(text: term.kind.rawValue)
            out.append(ascii: "\",\"event\":")
            out.append(text: String(term.event))
            out.append(ascii: ",\"command\":")
            command(term.command)
            switch term.kind {
            case .start, .transition, .end:
                out.append(ascii: ",\"from\":")
                command(term.previous)
            case .parameter, .value:
                out.append(ascii: ",\"parameter\":")
                if term.parameter == ParameterToken.unknown {
                    out.append(ascii: "null")
                } else {
                    modelParameters.append(Int(term.parameter), to: &out)
                }
                if term.kind == .parameter {
                    out.append(ascii: term.present ? ",\"present\":true" : ",\"present\":false")
                } else {
                    out.append(ascii: ",\"value\":")
                    if term.value >= 0 {
                        cells.values.append(Int(term.value), to: &out)
                    } else {
                        out.append(ascii: "null")
                    }
                }
            case .unscoredParameter:
                out.append(ascii: ",\"parameter\":")
                cells.parameters.append(Int(term.parameter), to: &out)
            case .prior:
                break
            }
            out.append(ascii: ",\"log_probability\":")
            out.append(number: term.logProbability)
            out.append(ascii: ",\"contribution\":")
            out.append(number: term.contribution)
            out.append(ascii: term.unseen ? ",\"unseen\":true,\"count\":" : ",\"unseen\":false,\"count\":")
            out.append(number: term.count)
            out.append(ascii: ",\"total\":")
            out.append(number: term.total)
            out.append(0x7D)
        }
        out.append(0x5D)
    }

    /// Writes parameter-set likelihoods (rarest first) with columns `command`,
    /// `params` (JSON array), `likelihood`, `log_likelihood`.
    public static func writeParameterSets(
        _ sets: [ParameterSetLikelihood], to path: String, format: OutputFormat? = nil,
        inputs: [String] = []
    ) throws {
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
                out.append(0x7B)
                out.append(contentsOf: keys[0])
                out.append(jsonString: set.command)
                out.append(0x2C)
                out.append(contentsOf: keys[1])
                out.append(contentsOf: params)
                out.append(0x2C)
                out.append(contentsOf: keys[2])
                if set.likelihood.isFinite { out.append(number: set.likelihood) } else { out.append(ascii: "null") }
                out.append(0x2C)
                out.append(contentsOf: keys[3])
                if set.logLikelihood.isFinite {
                    out.append(number: set.logLikelihood)
                } else {
                    out.append(ascii: "null")
                }
                out.append(0x7D)
            }
            out.append(0x0A)
            if out.count >= 1 << 16 {
                try writer.write(bytes: out)
                out.removeAll(keepingCapacity: true)
            }
        }
        try writer.write(bytes: out)
        try writer.commit()
    }
}
