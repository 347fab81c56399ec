import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO

struct SessionizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessionize",
        abstract: "Group events into sessions the way Kusto's row_window_session does.",
        discussion: """
            Events are sorted by key, then time (equal times keep file order). A new session \
            starts when the key changes, when --max-session has passed since the session began, \
            or when --max-gap has passed since the previous event. The output is the sessions \
            format that `seqhunt score` reads, like an export of the seed KQL query.

            Example: seqhunt sessionize OfficeActivity.csv --out sessions.jsonl --record-type ExchangeAdmin
            """)

    @Argument(help: "Event logs (CSV or JSON Lines).", completion: .file())
    var inputs: [String]

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where to write the sessions (.jsonl or .csv; - for standard output, with --format).", valueName: "file"),
        completion: .file())
    var out: String

    @OptionGroup var output: OutputFormatArguments

    @OptionGroup var events: EventArguments

    @Option(
        name: .long,
        help: "Worker threads (default: every core; at most 4 per core, more are capped). Results never depend on it.")
    var threads: Int?

    @OptionGroup var statistics: StatisticsArguments

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            try OutputPlan.check(outputs: [out, statistics.stats].compactMap { $0 }, inputs: inputs)
            _ = try OutputFormat.of(out, given: output.format)
            var stats = RunStatistics()
            let loaded = try events.load(
                inputs, execution: ExecutionOptions(threads: threads), quiet: quiet, recordingIn: &stats)
            guard loaded.kind == .events else {
                throw InputError(file: inputs[0], line: 1, cause: "already holds sessions (it has a \"cmds\" column)")
            }
            try stats.measure("write") {
                try SessionWriter.write(loaded.table, to: out, format: output.format, inputs: inputs)
            }
            try stats.write(to: statistics.stats, inputs: inputs + [out])
            stats.printAccounting(quiet: quiet)
        }
    }
}
