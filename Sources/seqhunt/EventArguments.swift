import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO

extension BadRowPolicy: ExpressibleByArgument {}
extension Sessionizer.Boundary: ExpressibleByArgument {}

/// Flags that describe an event log and which of its rows to keep.
struct EventArguments: ParsableArguments {
    @Option(name: .customLong("time-col"), help: "The time column (ISO 8601 or 'YYYY-MM-DD HH:MM:SS', UTC).")
    var timeColumn = "TimeGenerated"

    @Option(name: .customLong("key-cols"), help: ArgumentHelp("Comma-separated columns that together identify who acted; sessions never mix keys.", valueName: "a,b"))
    var keyColumns = "UserId,ClientIP"

    @Option(name: .customLong("event-col"), help: "The command column.")
    var eventColumn = "Operation"

    @Option(name: .customLong("params-col"), help: "The parameters column: a JSON array of {Name, Value} objects or a JSON object. Missing is fine.")
    var parametersColumn = "Parameters"

    @Option(name: .customLong("record-type"), help: ArgumentHelp("Keep only rows with this RecordType (repeatable), e.g. ExchangeAdmin.", valueName: "type"))
    var recordTypes: [String] = []

    @Option(name: .customLong("exclude-user-prefix"), help: ArgumentHelp("Drop rows whose user (first key column) starts with this, ignoring case (repeatable).", valueName: "text"))
    var excludedPrefixes: [String] = []

    @Option(name: .customLong("exclude-user-substring"), help: ArgumentHelp("Drop rows whose user contains this, ignoring case (repeatable).", valueName: "text"))
    var excludedSubstrings: [String] = []

    @Option(name: .customLong("on-error"), help: "fail: stop at the first bad row; skip: skip bad rows and report how many, by cause.")
    var onError: BadRowPolicy = .fail

    @Option(name: .customLong("boundary"), help: "kql: a limit that is reached starts a new session (Kusto); msticpy: only one that is exceeded.")
    var boundary: Sessionizer.Boundary = .kql

    @Option(name: .customLong("max-session"), help: ArgumentHelp("The longest a session may last (90s, 20m, 1h).", valueName: "duration"))
    var maxSession = "20m"

    @Option(name: .customLong("max-gap"), help: ArgumentHelp("The longest gap between two events of a session.", valueName: "duration"))
    var maxGap = "2m"

    func validate() throws {
        _ = try DurationText.microseconds(maxSession, flag: "--max-session")
        _ = try DurationText.microseconds(maxGap, flag: "--max-gap")
        if keyColumns.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--key-cols has an empty column name")
        }
    }

    var schema: EventSchema {
        var schema = EventSchema()
        schema.timeColumn = timeColumn
        schema.keyColumns = keyColumns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        schema.eventColumn = eventColumn
        schema.parametersColumn = parametersColumn.isEmpty ? nil : parametersColumn
        schema.recordTypes = recordTypes
        schema.excludedUserPrefixes = excludedPrefixes
        schema.excludedUserSubstrings = excludedSubstrings
        return schema
    }

    func loader(threads: Int?) throws -> SessionLoader {
        SessionLoader(schema: schema, policy: onError, sessionizer: Sessionizer(
            maximumSession: try DurationText.microseconds(maxSession, flag: "--max-session"),
            maximumGap: try DurationText.microseconds(maxGap, flag: "--max-gap"),
            boundary: boundary, threads: threads))
    }

    /// Loads `inputs` (sessions files, or event logs to sessionize) with a progress line on
    /// a terminal, and records the read and sessionize stages and the counts in `stats`.
    func load(_ inputs: [String], threads: Int?, quiet: Bool, recordingIn stats: inout RunStatistics) throws -> SessionLoader.Loaded {
        let progress = ProgressLine(quiet: quiet)
        var loader = try loader(threads: threads)
        loader.progress = progress.update
        let loaded = try loader.load(inputs)
        progress.finish()
        stats.record(loaded)
        return loaded
    }
}

/// Durations on the command line: a number with `s`, `m` or `h` (`90s`, `2m`, `1.5h`).
enum DurationText {
    static func microseconds(_ text: String, flag: String) throws -> Int64 {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        guard let unit = text.last, let scale = units[unit], let value = Double(text.dropLast()),
              value > 0, value.isFinite else {
            throw ValidationError("\(flag) takes a duration such as 90s, 2m or 1h, not '\(text)'")
        }
        return Int64((value * scale * 1_000_000).rounded())
    }
}

/// A one-line progress display on stderr, shown only on a terminal.
final class ProgressLine: @unchecked Sendable {
    let enabled: Bool
    let started = ContinuousClock.now
    private var shown = false

    init(quiet: Bool) { enabled = !quiet && isatty(2) != 0 }

    func update(file: String, bytes: Int, size: Int, events: Int) {
        let elapsed = (ContinuousClock.now - started).seconds
        guard enabled, elapsed > 0.5 else { return }
        let fraction = size > 0 ? min(1, Double(bytes) / Double(size)) : 0
        let bar = String(repeating: "#", count: Int(fraction * 20)).padding(toLength: 20, withPad: ".", startingAt: 0)
        let line = String(format: "\r%@ [%@] %.0f MB, %.1fM events, %.0fk events/s ",
                          (file as NSString).lastPathComponent, bar, Double(bytes) / 1e6, Double(events) / 1e6,
                          Double(events) / elapsed / 1e3)
        FileHandle.standardError.write(Data(line.utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
