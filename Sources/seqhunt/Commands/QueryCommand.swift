#if Queries
import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntQuery

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract:
            "Run a KQL query against a Log Analytics workspace or an Azure Data Explorer database and save its rows.",
        discussion: """
            The rows are written as JSON Lines or CSV, one row per line, ready for \
            `seqhunt run`, `score` or `train` (which also take --workspace themselves). \
            A token comes from AZURE_ACCESS_TOKEN; else a service principal \
            (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, at AZURE_AUTHORITY_HOST); \
            else the machine's managed identity; else `az account get-access-token`. \
            It is never printed.

            Log Analytics returns at most 500,000 rows and about 100 MB per query. With \
            --split-by the query runs over time slices, each its own request's timespan \
            (the query text is not changed), several at once; a slice that comes back \
            cut short by a limit is halved, and 429 and 5xx answers are retried. A row is kept in the \
            slice whose half-open range holds its --time-col, so none is lost or doubled.

            Examples:
              seqhunt query --workspace $WS --query-file hunt.kql --timespan P60D --split-by 1d --out events.jsonl
              seqhunt query --cluster https://help.kusto.windows.net --database Samples \\
                --query "StormEvents | take 10" --out - --format csv
            """)

    @OptionGroup(title: "Workspace query") var query: QueryArguments

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where to write the rows (.jsonl or .csv; - for standard output, with --format).", valueName: "file"),
        completion: .file())
    var out: String

    @OptionGroup var output: OutputFormatArguments

    @Option(
        name: .customLong("time-col"),
        help: ArgumentHelp(
            "The column that holds each row's time, which --split-by keeps rows by.", valueName: "column"))
    var timeColumn = "TimeGenerated"

    @OptionGroup var statistics: StatisticsArguments

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if !query.isActive {
            throw ValidationError("name a workspace (--workspace ID) or a cluster (--cluster URL --database NAME)")
        }
        if query.sessionizeInKusto {
            throw ValidationError("--sessionize-in-kusto goes with run, score and train; seqhunt kql prints the query")
        }
    }

    func run() throws {
        try reportingFailures {
            let format = try OutputFormat.of(out, given: output.format)
            try OutputPlan.check(outputs: [out, statistics.stats].compactMap { $0 }, inputs: query.readPaths)
            var stats = RunStatistics()
            let rows = try query.fetch(timeColumn: timeColumn, sessionizing: nil, quiet: quiet, recordingIn: &stats)
            try stats.measure("write") {
                let writer = try AtomicFileWriter(path: out, inputs: query.readPaths)
                switch format {
                case .jsonl: try writer.write(bytes: rows.bytes)
                case .csv:
                    try writer.write(
                        bytes: try QueryResponse.csv(
                            fromJSONLines: rows.bytes, columns: rows.columns, source: rows.name))
                }
                try writer.commit()
            }
            try stats.write(to: statistics.stats, inputs: query.readPaths + [out])
        }
    }
}

struct KQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kql",
        abstract: "Print the KQL that sessionizes in Kusto as `seqhunt sessionize` does with the same flags.",
        discussion: """
            msticpy's seed query, generalised: the filters, keys, limits and boundary of \
            the flags, with --query as the events (a table or a query; default \
            OfficeActivity). Its answer is one row per session, which run, score and train \
            read as sessions. `seqhunt run --workspace ID --query T --sessionize-in-kusto` \
            sends it.

            Example:
              seqhunt kql --query OfficeActivity --record-type ExchangeAdmin \\
                --exclude-user-prefix "NT AUTHORITY" --exclude-user-substring prod.outlook.com
            """)

    @Option(
        name: .long,
        help: ArgumentHelp("The events: a table name or a KQL query (default: OfficeActivity).", valueName: "kql"))
    var query: String?

    @Option(
        name: .customLong("query-file"), help: ArgumentHelp("Read the events' KQL from this file.", valueName: "file"),
        completion: .file())
    var queryFile: String?

    @OptionGroup(title: "Event logs") var events: EventArguments

    func validate() throws {
        if query != nil && queryFile != nil { throw ValidationError("give --query or --query-file, not both") }
    }

    func run() throws {
        try reportingFailures {
            let source = try queryFile.map(QueryArguments.text(ofFile:)) ?? query ?? "OfficeActivity"
            let loader = try events.loader(execution: .automatic)
            let text = try SessionizingQuery(
                source: source, schema: loader.schema, sessionizer: loader.sessionizer,
                timeRange: loader.timeRange
            ).text()
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
#endif
