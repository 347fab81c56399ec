// Workspace queries are left out of the build without the Queries trait (Package.swift).
#if Queries
import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntQuery

extension QueryService.DataExplorerAPI: ExpressibleByArgument {}

/// Flags that name a Log Analytics workspace or an Azure Data Explorer database, the KQL to run
/// there and how to slice it.
struct QueryArguments: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Query this Log Analytics workspace (Microsoft Sentinel's), by its workspace ID.", valueName: "id"))
    var workspace: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Or query this Azure Data Explorer cluster (https://NAME.REGION.kusto.windows.net), with --database.",
            valueName: "url"))
    var cluster: String?

    @Option(name: .long, help: ArgumentHelp("The Azure Data Explorer database.", valueName: "name"))
    var database: String?

    @Option(name: .customLong("kusto-api"), help: "The Azure Data Explorer REST API: v2 (frames) or v1 (tables).")
    var kustoAPI: QueryService.DataExplorerAPI = .v2

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The KQL to run (with --sessionize-in-kusto: a table or query that returns events).", valueName: "kql"))
    var query: String?

    @Option(
        name: .customLong("query-file"), help: ArgumentHelp("Read the KQL from this file.", valueName: "file"),
        completion: .file())
    var queryFile: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The time range, ISO 8601, sent as the request's timespan: a duration back from now (P60D, PT12H) or an interval (2020-03-01T00:00:00Z/2020-06-01T00:00:00Z, or START/P7D). Half-open: from its start up to, not including, its end.",
            valueName: "range"))
    var timespan: String?

    @Option(
        name: .customLong("split-by"),
        help: ArgumentHelp(
            "Run the query over consecutive slices of the time range, this long each (1d, 6h, P1D), several at once; 'auto' halves the range only while answers come back partial. A slice cut short by a limit (rows, size, time) is halved and run again.",
            valueName: "duration|auto"))
    var splitBy: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The query API's address: https://api.loganalytics.us (Azure US Government), https://api.loganalytics.azure.cn (Azure China). The token's authority is AZURE_AUTHORITY_HOST.",
            valueName: "url"))
    var endpoint: String?

    @Option(
        name: .long,
        help: ArgumentHelp("The token's audience (default: the endpoint's or cluster's address).", valueName: "url"))
    var resource: String?

    @Option(
        name: .long, help: ArgumentHelp("Slices queried at once (Log Analytics allows 5 per user).", valueName: "n"))
    var concurrency = 4

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Retries of a request answered 429 or 5xx, or cut off, after its Retry-After or a doubling back-off with jitter.",
            valueName: "n"))
    var retries = 4

    @Flag(
        name: .customLong("sessionize-in-kusto"),
        help:
            "Sessionize in Kusto (the query `seqhunt kql` prints, with --query as the events) so only sessions cross the network."
    )
    var sessionizeInKusto = false

    /// Whether a workspace or cluster was named.
    var isActive: Bool { workspace != nil || cluster != nil }

    func validate() throws {
        if workspace != nil && cluster != nil { throw ValidationError("give --workspace or --cluster, not both") }
        if cluster != nil && database == nil { throw ValidationError("--cluster needs --database") }
        if cluster == nil && database != nil { throw ValidationError("--database goes with --cluster") }
        if endpoint != nil && workspace == nil {
            throw ValidationError("--endpoint goes with --workspace (for a cluster, --cluster is the address)")
        }
        if isActive {
            if query != nil && queryFile != nil { throw ValidationError("give --query or --query-file, not both") }
            if query == nil && queryFile == nil {
                throw ValidationError(
                    "\(workspace != nil ? "--workspace" : "--cluster") needs the KQL: --query or --query-file")
            }
        } else {
            for (flag, given) in [
                ("--query", query != nil), ("--query-file", queryFile != nil), ("--timespan", timespan != nil),
                ("--split-by", splitBy != nil), ("--sessionize-in-kusto", sessionizeInKusto)
            ] where given {
                throw ValidationError("\(flag) needs --workspace or --cluster")
            }
        }
        if concurrency < 1 || concurrency > 64 { throw ValidationError("--concurrency takes 1 to 64") }
        if retries < 0 || retries > 20 { throw ValidationError("--retries takes 0 to 20") }
        _ = try parsedTimespan()
        _ = try split()
        if splitBy != nil && timespan == nil {
            throw ValidationError("--split-by needs --timespan: the range to cut into slices")
        }
        if sessionizeInKusto && splitBy != nil {
            throw ValidationError(
                "--sessionize-in-kusto runs one query: slices would cut the sessions that cross their edges")
        }
    }

    func parsedTimespan() throws -> QueryTimespan? {
        guard let timespan else { return nil }
        do { return try QueryTimespan(timespan) } catch { throw ValidationError("--timespan: \(error.description)") }
    }

    /// `--split-by`: a duration as the other flags write them (`1d`), an ISO 8601 one (`P1D`), or `auto`.
    func split() throws -> WorkspaceQuery.Split {
        guard let splitBy else { return .none }
        if splitBy == "auto" { return .automatic }
        let length: Duration
        if splitBy.uppercased().hasPrefix("P") {
            // An ISO 8601 duration, as --timespan takes them (and refuses years and months).
            do {
                guard case .lookback(let iso) = try QueryTimespan(splitBy).form else {
                    throw ValidationError("--split-by takes a duration, not '\(splitBy)'")
                }
                length = iso
            } catch let error as QueryTimespanError {
                throw ValidationError("--split-by: \(error.description)")
            }
        } else {
            length = try DurationText.duration(splitBy, flag: "--split-by")
        }
        guard length >= .seconds(1) else { throw ValidationError("--split-by is shorter than one second") }
        return .every(length)
    }

    func service() throws -> QueryService {
        if let workspace {
            let endpoint =
                try endpoint.map { text in
                    guard let url = URL(string: text) else {
                        throw ValidationError("--endpoint takes a URL, not '\(text)'")
                    }
                    return url
                } ?? QueryService.logAnalyticsEndpoint
            return try QueryService.logAnalytics(workspace: workspace, endpoint: endpoint).validated()
        }
        guard let cluster, let url = URL(string: cluster), let database else {
            throw ValidationError("--cluster takes a URL")
        }
        return try QueryService.dataExplorer(cluster: url, database: database, version: kustoAPI).validated()
    }

    /// The KQL text, from --query or --query-file.
    func text() throws -> String {
        if let query { return query }
        guard let queryFile else { return "" }
        return try Self.text(ofFile: queryFile)
    }

    /// A query file's text: UTF-8, not blank.
    static func text(ofFile path: String) throws -> String {
        let bytes = try FileBytes.read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError(file: path, line: 0, cause: "is not UTF-8 text")
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw InputError(file: path, line: 0, cause: "holds no query")
        }
        return text
    }

    /// The files the flags read (for the output checks).
    var readPaths: [String] { [queryFile].compactMap { $0 } }

    /// Runs the query (wrapped in the sessionizing KQL with --sessionize-in-kusto, from
    /// `events`' flags) and returns its rows as JSON Lines, reporting each slice on stderr.
    func fetch(
        timeColumn: String, sessionizing events: EventArguments?, quiet: Bool,
        recordingIn stats: inout RunStatistics
    ) throws -> FetchedRows {
        let service = try service()
        var text = try text()
        if sessionizeInKusto, let events {
            let loader = try events.loader(execution: .automatic)
            text = try SessionizingQuery(
                source: text, schema: loader.schema, sessionizer: loader.sessionizer,
                timeRange: loader.timeRange
            ).text()
        }
        var query = WorkspaceQuery(service: service, query: text)
        query.timespan = try parsedTimespan()
        query.split = try split()
        query.timeColumn = timeColumn
        query.concurrency = concurrency
        query.retries = retries
        query.resource = resource
        let now = Timestamp.now
        let prepared = query
        let sliced = query.split != .none
        let result = try stats.measure("query") {
            try waitFor {
                try await prepared.run(now: now) { slice in
                    if sliced {
                        note(
                            "slice \(slice.timespan): \(slice.rows) rows"
                                + (slice.attempts > 1 ? " (\(slice.attempts) requests)" : ""), quiet: quiet)
                    }
                }
            }
        }
        note(
            "\(service.name): \(result.rows) rows" + (sliced ? " in \(result.slices.count) slices" : "")
                + (result.halvings > 0 ? ", \(result.halvings) halved for a partial answer" : ""), quiet: quiet)
        stats.query = result.statisticsJSON
        return FetchedRows(name: service.name, bytes: result.jsonLines, columns: result.columns)
    }
}

extension WorkspaceQuery.Result {
    /// `"query": {"rows", "halvings", "answer_bytes", "answer_read_seconds", "slices": [{"timespan", "rows",
    /// "outside_slice", "requests"}]}` for --stats: the answers' size and the time spent turning them into rows
    /// (the rest of the query stage is the service and the network).
    var statisticsJSON: String {
        let slices = self.slices.map { slice -> String in
            var timespan = ""
            JSONText.appendQuoted(slice.timespan, to: &timespan)
            return
                "{\"timespan\":\(timespan),\"rows\":\(slice.rows),\"outside_slice\":\(slice.outsideSlice),\"requests\":\(slice.attempts)}"
        }
        let bytes = self.slices.reduce(0) { $0 + $1.answerBytes },
            seconds = self.slices.reduce(0) { $0 + $1.readSeconds }
        return "{\"rows\":\(rows),\"halvings\":\(halvings),\"answer_bytes\":\(bytes),"
            + "\"answer_read_seconds\":\(String(format: "%.6f", seconds)),\"slices\":[\(slices.joined(separator: ","))]}"
    }
}

/// Runs async work from a synchronous command and waits for it (the command's thread is not
/// one of the concurrency pool's, so blocking it starves nothing).
func waitFor<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = AsyncOutcome<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { outcome.value = .success(try await body()) } catch { outcome.value = .failure(error) }
        done.signal()
    }
    done.wait()
    return try outcome.value!.get()
}

/// The result of work run by ``waitFor(_:)``, written once by the task before it signals.
private final class AsyncOutcome<T>: @unchecked Sendable {
    var value: Result<T, any Error>?
}

extension EventArguments {
    /// Loads the inputs, or the rows of the workspace query when one is named.
    func load(
        _ inputs: [String], query: QueryArguments, execution: ExecutionOptions, quiet: Bool,
        recordingIn stats: inout RunStatistics
    ) throws -> SessionLoader.Loaded {
        guard query.isActive else { return try load(inputs, execution: execution, quiet: quiet, recordingIn: &stats) }
        guard inputs.isEmpty else {
            throw ValidationError(
                "give event logs or \(query.workspace != nil ? "--workspace" : "--cluster"), not both")
        }
        let rows = try query.fetch(timeColumn: timeColumn, sessionizing: self, quiet: quiet, recordingIn: &stats)
        return try load(rows, execution: execution, quiet: quiet, recordingIn: &stats)
    }
}
#endif
