// The commands that draw timelines are left out of the build without the Timelines trait (Package.swift).
#if Timelines
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
            Writes DIR/scores.csv (one row per session: its keys and columns, commands, \
            likelihoods, rarest windows and why each is rare) and the timelines DIR/timeline.png \
            and DIR/timeline.html, and prints the rarest sessions. The wide columns stay a flag \
            away, so that the outputs stay a fraction of the input's size: --wide-scores adds each \
            session's cmds and params (scores.csv then reads back as sessions) and each rarest \
            window's events, --explanations every term, and --write-sessions writes \
            DIR/sessions.jsonl. To explain a session, give `seqhunt explain` the input and this \
            run's flags.

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
    #if Queries
    @OptionGroup(title: "Workspace query") var query: QueryArguments
    #endif

    @Option(name: .long, help: "How many of the rarest sessions to print.")
    var top: Int = 10

    @Flag(
        name: .customLong("wide-scores"),
        help: ArgumentHelp(
            "Also write cmds, params and rarest_window{k}_events in scores.csv.",
            discussion: "scores.csv then reads back as sessions (for explain and score), as `seqhunt score` writes it; "
                + "on a tenant's log, where values are mostly distinct, this more than triples its size."))
    var wideScores = false

    @Flag(
        name: .long,
        help:
            "Also write rarest_window{k}_explanation in scores.csv: every term of each rarest window as JSON (a few kB per session)."
    )
    var explanations = false

    @Flag(
        name: .customLong("write-sessions"),
        help: "Also write DIR/sessions.jsonl: the sessions, as `seqhunt sessionize` writes them (event logs only).")
    var writeSessions = false

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
            #if Queries
            pipeline.query = query
            #endif
            pipeline.statsPath = statistics.stats
            pipeline.columns = (wideScores ? ScoreColumns.standard : .narrow).union(explanations ? .explanations : [])
            pipeline.writeSessions = writeSessions
            let result = try pipeline.run(outputDirectory: out, top: top)
            try anomaly.check(result.scores)
        }
    }
}
#endif
