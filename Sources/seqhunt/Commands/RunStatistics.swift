import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntSupport

/// The `--stats FILE` flag of the commands that do the work.
struct StatisticsArguments: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Write where the time went as JSON: events, sessions, wall seconds per stage (read, sessionize, train, score, write, ...) and peak memory.",
            valueName: "file"), completion: .file())
    var stats: String?
}

/// Where a run's time went, for `--stats`: counts, wall seconds per stage in the
/// order the stages ran, and the process's peak resident memory.
///
/// Stages are `read` (reading and parsing the input), `sessionize`, `train` (or
/// `load_model` when a saved model was used), `score`, `write` and `plot`; a stage
/// that did not run is absent.
struct RunStatistics {
    var events = 0
    var sessions = 0
    /// The row accounting of an events read (nil for sessions files).
    var report: ReadReport?
    /// How many sessions were scored, when the command scores.
    var sessionsScored: Int?
    private(set) var stages: [(name: String, seconds: Double)] = []
    /// What a workspace query returned, slice by slice, as a JSON object (no token, no query text).
    var query: String?

    /// Records `seconds` for `stage` (added to the time already recorded for it).
    mutating func record(_ stage: String, _ seconds: Double) {
        if let at = stages.firstIndex(where: { $0.name == stage }) {
            stages[at].seconds += seconds
        } else {
            stages.append((stage, seconds))
        }
    }

    /// Runs `body` and records its wall time as `stage`.
    mutating func measure<R>(_ stage: String, _ body: () throws -> R) rethrows -> R {
        let clock = ContinuousClock()
        let start = clock.now
        defer { record(stage, (clock.now - start).seconds) }
        return try body()
    }

    /// Records the read and sessionize stages and the counts of a load.
    mutating func record(_ loaded: SessionLoader.Loaded) {
        record("read", loaded.readSeconds)
        if loaded.kind == .events { record("sessionize", loaded.sessionizeSeconds) }
        events = loaded.table.store.eventCount
        sessions = loaded.table.store.sessionCount
        report = loaded.report
    }

    /// Where every input row went, as one line that adds up: rows read = events kept
    /// + filtered out + skipped (by cause); events kept = events in sessions; sessions
    /// built = sessions scored. A count that does not add up is said, not hidden.
    var accounting: String {
        var parts: [String] = []
        if let report {
            var sum =
                "\(report.rowsRead) rows read = \(report.eventsKept) events kept + \(report.rowsFiltered) filtered out"
                + " + \(report.rowsSkipped) bad rows skipped"
            if report.rowsSkipped > 0 {
                sum +=
                    " ("
                    + report.skippedByCause.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                    .joined(separator: ", ") + ")"
            }
            if report.rowsRead != report.eventsKept + report.rowsFiltered + report.rowsSkipped {
                sum += " [DOES NOT ADD UP]"
            }
            parts.append(sum)
            parts.append(
                "\(events) events in \(sessions) sessions" + (events != report.eventsKept ? " [EVENTS LOST]" : ""))
        } else {
            parts.append("\(sessions) sessions read (\(events) events)")
        }
        if let sessionsScored {
            parts.append("\(sessionsScored) sessions scored" + (sessionsScored != sessions ? " [SESSIONS LOST]" : ""))
        }
        return parts.joined(separator: "; ")
    }

    /// Prints ``accounting`` on stderr; bad rows skipped are said even when quiet, with
    /// the first of them, and so is an input that left nothing to score.
    func printAccounting(quiet: Bool) {
        let skipped = (report?.rowsSkipped ?? 0) > 0
        if !quiet || skipped { note(accounting, quiet: false) }
        if skipped, let first = report?.firstSkipped { note("first bad row: \(first)", quiet: false) }
        if sessions == 0 {
            note(
                report == nil
                    ? "no sessions in the input: the outputs are empty"
                    : "no events left to sessionize: the outputs are empty", quiet: quiet)
        }
    }

    /// The peak resident set size of this process so far, in bytes (`getrusage`).
    static var peakResidentBytes: Int {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss) * 1024
    }

    /// One line for people: `read 7.31 s, sessionize 0.70 s, ...`.
    var summary: String {
        stages.map { String(format: "%@ %.3f s", $0.name.replacingOccurrences(of: "_", with: " "), $0.seconds) }
            .joined(separator: ", ")
    }

    /// The JSON document of `--stats`.
    var json: String {
        let stageText = stages.map { "\"\($0.name)\":\(String(format: "%.6f", $0.seconds))" }.joined(separator: ",")
        var rows = ""
        if let report {
            let causes = report.skippedByCause.sorted { $0.key < $1.key }.map { cause, count -> String in
                var key = ""
                JSONText.appendQuoted(cause, to: &key)
                return key + ":\(count)"
            }.joined(separator: ",")
            rows =
                "\"rows_read\":\(report.rowsRead),\"rows_filtered\":\(report.rowsFiltered),"
                + "\"rows_skipped\":\(report.rowsSkipped),\"skipped_by_cause\":{\(causes)},"
        }
        let scored = sessionsScored.map { "\"sessions_scored\":\($0)," } ?? ""
        let query = self.query.map { "\"query\":\($0)," } ?? ""
        return "{\(rows)\(query)\"events\":\(events),\"sessions\":\(sessions),\(scored)\"stages\":{\(stageText)},"
            + "\"peak_rss_bytes\":\(Self.peakResidentBytes)}\n"
    }

    /// Writes ``json`` to `path` atomically, when a path was given.
    func write(to path: String?, inputs: [String]) throws {
        guard let path else { return }
        let writer = try AtomicFileWriter(path: path, inputs: inputs)
        try writer.write(json)
        try writer.commit()
    }
}
