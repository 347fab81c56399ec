// The commands that draw timelines are left out of the build without Cairo (Package.swift).
#if SEQHUNT_TIMELINES
import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntTimeline

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Sessionize event logs, train, score, and show the rarest sessions.",
        discussion: """
            Writes DIR/sessions.jsonl and DIR/scores.csv, and prints the rarest sessions.

            Example (the seed query over an OfficeActivity export):
              seqhunt run OfficeActivity.csv --out hunt --record-type ExchangeAdmin \\
                --exclude-user-prefix "NT AUTHORITY" --exclude-user-substring prod.outlook.com

            Or straight from the workspace (see `seqhunt query` for tokens and slicing):
              seqhunt run --workspace $WORKSPACE_ID --query-file hunt.kql --timespan P60D --split-by 1d --out hunt
            """)

    @Argument(help: "Event logs (CSV or JSON Lines), or none with --workspace or --cluster.", completion: .file())
    var inputs: [String] = []

    @Option(name: .long, help: "The output directory (created when missing).", completion: .directory)
    var out: String

    @OptionGroup var events: EventArguments
    @OptionGroup var scoring: ScoringArguments
#if SEQHUNT_QUERY
    @OptionGroup(title: "Workspace query") var query: QueryArguments
#endif

    @Option(name: .long, help: "How many of the rarest sessions to print.")
    var top: Int = 10

    @Flag(name: .long, help: "Also write rarest_window{k}_explanation in scores.csv: every term of each rarest window as JSON (a few kB per session).")
    var explanations = false

    @OptionGroup var statistics: StatisticsArguments
    @OptionGroup var anomaly: AnomalyThreshold

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if top < 0 { throw ValidationError("--top must not be negative") }
    }

    func run() throws {
        try reportingFailures {
            var pipeline = Pipeline(inputs: inputs, events: events, scoring: scoring, quiet: quiet)
#if SEQHUNT_QUERY
            pipeline.query = query
#endif
            pipeline.statsPath = statistics.stats
            pipeline.explanations = explanations
            let result = try pipeline.run(outputDirectory: out, top: top)
            try anomaly.check(result.scores)
        }
    }
}
#endif
