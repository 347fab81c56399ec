import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO

extension BadRowPolicy: ExpressibleByArgument {}
extension Sessionizer.Boundary: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}

/// Flags that describe an event log and which of its rows to keep.
struct EventArguments: ParsableArguments {
    @Option(
        name: .customLong("time-col"),
        help: ArgumentHelp(
            "The time column. Read automatically: ISO 8601, 'YYYY-MM-DD HH:MM:SS[.fffffff]' with or without an offset, the Azure portal's '21/04/2025, 09:45:54.000' and '4/18/2020, 4:50:30.000 AM', and epoch seconds, milliseconds, microseconds or nanoseconds.",
            valueName: "column"))
    var timeColumn = "TimeGenerated"

    @Option(
        name: .customLong("time-format"),
        help: ArgumentHelp(
            "Read times with this strftime-style format instead, for example \"%d/%m/%Y, %H:%M:%S.%f\" (%Y %y %m %d %e %H %I %M %S %f %p %z %b %B %T %F %s %%).",
            valueName: "format"))
    var timeFormat: String?

    @Option(
        name: .customLong("key-cols"),
        help: ArgumentHelp(
            "Comma-separated columns that together identify who acted; sessions never mix keys. In JSON a column may be a path of nested members: userIdentity.arn.",
            valueName: "a,b"))
    var keyColumns = "UserId,ClientIP"

    @Option(name: .customLong("event-col"), help: ArgumentHelp("The command column.", valueName: "column"))
    var eventColumn = "Operation"

    @Option(
        name: .customLong("params-col"),
        help: ArgumentHelp(
            "The parameters column: a JSON array of {Name, Value} objects or a JSON object. Default: Parameters, when the input has it; a column named here must exist. '' for none.",
            valueName: "column"))
    var parametersColumn: String?

    @Option(
        name: .customLong("cmds-col"),
        help: ArgumentHelp(
            "Sessions files: the column that lists each session's commands (default: cmds, or msticpy's <event column>_list).",
            valueName: "column"))
    var commandsColumn: String?

    @Option(
        name: .customLong("params-list-col"),
        help: ArgumentHelp(
            "Sessions files: the column that lists each command's parameters (default: params).", valueName: "column"))
    var parametersListColumn: String?

    @Option(
        name: .customLong("record-type"),
        help: ArgumentHelp("Keep only rows with this RecordType (repeatable), e.g. ExchangeAdmin.", valueName: "type"))
    var recordTypes: [String] = []

    @Option(
        name: .customLong("exclude-user-prefix"),
        help: ArgumentHelp(
            "Drop rows whose user (first key column) starts with this, ignoring case (repeatable).", valueName: "text"))
    var excludedPrefixes: [String] = []

    @Option(
        name: .customLong("exclude-user-substring"),
        help: ArgumentHelp("Drop rows whose user contains this, ignoring case (repeatable).", valueName: "text"))
    var excludedSubstrings: [String] = []

    @Option(
        name: .customLong("exclude"),
        help: ArgumentHelp(
            "Drop rows whose column holds exactly this value, for known-good accounts, addresses or commands (repeatable; any column).",
            valueName: "column=value"))
    var exclusions: [String] = []

    @Option(
        name: .customLong("exclude-file"),
        help: ArgumentHelp(
            "Drop the rows that a file lists, one column=value per line (blank lines and lines starting with # are skipped).",
            valueName: "file"), completion: .file())
    var exclusionFiles: [String] = []

    @Option(
        name: .customLong("since"),
        help: ArgumentHelp(
            "Keep only events at or after this time (ISO 8601), or this long before the latest event (60d, 12h, like KQL's ago()).",
            valueName: "time|duration"))
    var since: String?

    @Option(
        name: .customLong("until"),
        help: ArgumentHelp(
            "Keep only events before this time, or before this long before the latest event.",
            valueName: "time|duration"))
    var until: String?

    @Option(
        name: .customLong("on-error"),
        help: "fail: stop at the first bad row; skip: skip bad rows and report how many, by cause.")
    var onError: BadRowPolicy = .fail

    @Option(
        name: .customLong("boundary"),
        help: "kql: a limit that is reached starts a new session (Kusto); msticpy: only one that is exceeded.")
    var boundary: Sessionizer.Boundary = .kql

    @Option(
        name: .customLong("max-session"),
        help: ArgumentHelp("The longest a session may last (90s, 20m, 1h).", valueName: "duration"))
    var maxSession = "20m"

    @Option(
        name: .customLong("max-gap"),
        help: ArgumentHelp("The longest gap between two events of a session.", valueName: "duration"))
    var maxGap = "2m"

    func validate() throws {
        _ = try DurationText.duration(maxSession, flag: "--max-session")
        _ = try DurationText.duration(maxGap, flag: "--max-gap")
        _ = try timeRange()
        _ = try parsedTimeFormat()
        for exclusion in exclusions { _ = try Self.exclusion(exclusion, flag: "--exclude") }
        if keyColumns.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--key-cols has an empty column name")
        }
    }

    /// The schema the flags describe (reading `--exclude-file`s).
    func schema() throws -> EventSchema {
        var schema = EventSchema()
        schema.timeColumn = timeColumn
        schema.timeFormat = try parsedTimeFormat()
        schema.keyColumns = keyColumns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        schema.eventColumn = eventColumn
        schema.parametersColumn = parametersColumn.map { $0.isEmpty ? nil : $0 } ?? "Parameters"
        schema.parametersColumnRequired = parametersColumn.map { !$0.isEmpty } ?? false
        schema.recordTypes = recordTypes
        schema.excludedUserPrefixes = excludedPrefixes
        schema.excludedUserSubstrings = excludedSubstrings
        schema.exclusions = try exclusions.map { try Self.exclusion($0, flag: "--exclude") }
        for file in exclusionFiles {
            let text = String(decoding: try FileBytes.read(file), as: UTF8.self)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let entry = line.hasSuffix("\r") ? line.dropLast() : line
                if entry.trimmingCharacters(in: .whitespaces).isEmpty || entry.hasPrefix("#") { continue }
                guard let exclusion = try? Self.exclusion(String(entry), flag: "--exclude-file") else {
                    throw InputError(
                        file: file, line: number + 1, cause: "expected column=value, found \"\(entry.prefix(60))\"")
                }
                schema.exclusions.append(exclusion)
            }
        }
        return schema
    }

    /// `column=value` (the first `=` splits; the value may hold more).
    static func exclusion(_ text: String, flag: String) throws -> EventSchema.Exclusion {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ValidationError("\(flag) takes column=value, not '\(text)'")
        }
        return EventSchema.Exclusion(column: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
    }

    func parsedTimeFormat() throws -> TimeFormat? {
        guard let timeFormat else { return nil }
        do { return try TimeFormat(timeFormat) } catch { throw ValidationError("\(error)") }
    }

    /// `--since` and `--until`: a time, or a duration back from the latest event.
    func timeRange() throws -> TimeRange {
        func bound(_ text: String?, flag: String) throws -> TimeRange.Bound? {
            guard let text else { return nil }
            if let instant = TimeParser.timestamp(text) { return .time(instant) }
            if let duration = try? DurationText.duration(text, flag: flag) { return .beforeLatest(duration) }
            throw ValidationError(
                "\(flag) takes a time (2020-03-01T00:00:00Z) or a duration back from the latest event (60d, 12h), not '\(text)'"
            )
        }
        return TimeRange(since: try bound(since, flag: "--since"), until: try bound(until, flag: "--until"))
    }

    func loader(execution: ExecutionOptions) throws -> SessionLoader {
        SessionLoader(
            schema: try schema(), policy: onError,
            sessionizer: Sessionizer(
                maximumSession: try DurationText.duration(maxSession, flag: "--max-session"),
                maximumGap: try DurationText.duration(maxGap, flag: "--max-gap"),
                boundary: boundary),
            sessionColumns: SessionColumns(commands: commandsColumn, parameters: parametersListColumn),
            timeRange: try timeRange(), execution: execution)
    }

    /// Loads the rows a workspace query returned (events, or sessions made in Kusto).
    func load(_ rows: FetchedRows, execution: ExecutionOptions, quiet: Bool, recordingIn stats: inout RunStatistics)
        throws -> SessionLoader.Loaded
    {
        let loader = try loader(execution: execution)
        let loaded = try loader.load(bytes: rows.bytes, name: rows.name)
        stats.record(loaded)
        return loaded
    }

    /// Loads `inputs` (sessions files, or event logs to sessionize) with a progress line on
    /// a terminal, and records the read and sessionize stages and the counts in `stats`.
    func load(_ inputs: [String], execution: ExecutionOptions, quiet: Bool, recordingIn stats: inout RunStatistics)
        throws -> SessionLoader.Loaded
    {
        let progress = ProgressLine(quiet: quiet)
        var loader = try loader(execution: execution)
        loader.progress = progress.update
        let loaded = try loader.load(inputs)
        progress.finish()
        stats.record(loaded)
        return loaded
    }
}

/// The rows of a workspace query, as JSON Lines in memory, named for messages.
struct FetchedRows {
    var name: String
    var bytes: [UInt8]
    var columns: [String]
}
