import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score each session by its likelihood and rarest window, training on the input or loading a model.",
        discussion: """
            INPUT files hold sessions as the seed KQL query exports them (JSON Lines or CSV with \
            the key columns, begin, end, cmds and optional params), or raw events, which are \
            sessionized first (see `seqhunt sessionize`); SeqHunt tells them apart by their \
            columns. Scores go to --out as CSV or JSON Lines (by extension, or --format), one \
            row per session; --out - writes them to standard output. An INPUT of - is standard \
            input; gzip and zstd inputs are read as they are.

            Without --model, the model is trained on the input itself (msticpy's way). With \
            --model FILE, the input is scored against a saved baseline (see `seqhunt train`): \
            commands, parameters and values the baseline never saw take its UNK probabilities.

            Examples:
              seqhunt score sessions.jsonl --out scores.csv --window 3 --top 10
              seqhunt score today.csv --model baseline.seqhunt --out today-scores.csv
              zcat sessions.jsonl.gz | seqhunt score - --out - --format jsonl | jq 'select(.rarest_window3_likelihood < 0.01)'
            """)

    @Argument(
        help: "Sessions files or event logs (.jsonl or .csv), or none with --workspace or --cluster.",
        completion: .file())
    var inputs: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where to write the scores (.csv or .jsonl; - for standard output, with --format).", valueName: "file"),
        completion: .file())
    var out: String

    @OptionGroup var output: OutputFormatArguments

    @OptionGroup var scoring: ScoringArguments
    @OptionGroup(title: "Event logs") var events: EventArguments

    @Option(name: .long, help: "Print the N rarest sessions as a table.")
    var top: Int?

    @Flag(
        name: .long,
        help:
            "Also write rarest_window{k}_explanation: every term of each rarest window as JSON (a few kB per session).")
    var explanations = false

    @Option(
        name: .customLong("param-sets"),
        help: ArgumentHelp(
            "Also write the likelihood of each observed parameter set given its command, rarest first.",
            valueName: "file"), completion: .file())
    var paramSets: String?

    #if Queries
    @OptionGroup(title: "Workspace query") var query: QueryArguments
    #endif
    @OptionGroup var statistics: StatisticsArguments
    @OptionGroup var anomaly: AnomalyThreshold

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let top, top < 0 { throw ValidationError("--top must not be negative") }
        if paramSets != nil && scoring.training.type == .commands {
            throw ValidationError("--param-sets needs --type params or values")
        }
    }

    /// Every file this command reads: no output may replace one of them.
    var readPaths: [String] {
        #if Queries
        inputs + [scoring.model].compactMap { $0 } + query.readPaths
        #else
        inputs + [scoring.model].compactMap { $0 }
        #endif
    }

    func run() throws {
        try reportingFailures {
            try OutputPlan.check(outputs: [out, paramSets, statistics.stats].compactMap { $0 }, inputs: readPaths)
            _ = try OutputFormat.of(out, given: output.format)
            if let paramSets { _ = try OutputFormat.of(paramSets) }
            var stats = RunStatistics()
            let saved = try scoring.loadModel(recordingIn: &stats)
            if paramSets != nil, let saved, saved.type == .commands {
                throw ModelFileError(
                    path: scoring.model!, cause: "--param-sets needs a params or values model, this one is cmds")
            }
            #if Queries
            let loaded = try events.load(
                inputs, query: query, execution: scoring.execution, quiet: quiet, recordingIn: &stats)
            #else
            let loaded = try events.load(inputs, execution: scoring.execution, quiet: quiet, recordingIn: &stats)
            #endif
            let table = loaded.table
            let (model, scores) = try scoring.modelAndScores(of: table, saved: saved, recordingIn: &stats)
            try stats.measure("write") {
                try ScoreWriter.write(
                    table: table, scores: scores, model: model,
                    columns: explanations ? [.standard, .explanations] : .standard, to: out, format: output.format,
                    inputs: readPaths)
                if let paramSets {
                    let sets = model?.parameterSetLikelihoods(in: table.store, geometricMean: scoring.geoMean) ?? []
                    try ScoreWriter.writeParameterSets(sets, to: paramSets, inputs: readPaths + [out])
                }
            }
            try stats.write(to: statistics.stats, inputs: readPaths + [out] + [paramSets].compactMap { $0 })
            stats.printAccounting(quiet: quiet)
            note(
                "scored \(table.store.sessionCount) sessions (\(table.store.eventCount) events) into \(out)",
                quiet: quiet)
            if let top, top > 0, !quiet {
                // Standard output may be the scores themselves: the table then goes to stderr.
                let text = RankedTable(table: table, scores: scores, model: model).render(
                    top: top, width: TerminalWidth.columns(of: out == "-" ? 2 : 1))
                if out == "-" { note(text, quiet: false) } else { print(text) }
            }
            try anomaly.check(scores)
        }
    }
}
