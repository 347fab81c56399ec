import Foundation
import SeqHunt
import SeqHuntIO

/// Where a query runs and how its requests are shaped.
public enum QueryService: Sendable, Equatable {
    /// A Log Analytics workspace (Microsoft Sentinel's): `POST {endpoint}/v1/workspaces/{id}/query`
    /// with `{"query", "timespan"}`. The endpoint is `https://api.loganalytics.io` in the public
    /// cloud (``logAnalyticsEndpoint``), `https://api.loganalytics.us` in Azure US Government,
    /// `https://api.loganalytics.azure.cn` in Azure China.
    case logAnalytics(workspace: String, endpoint: URL)
    /// An Azure Data Explorer database: `POST {cluster}/v1/rest/query` or `/v2/rest/query` with
    /// `{"db", "csl", "properties"}`.
    case dataExplorer(cluster: URL, database: String, version: DataExplorerAPI)

    /// The REST API version of an Azure Data Explorer query.
    public enum DataExplorerAPI: String, Sendable, CaseIterable {
        /// One JSON object of tables; an error is a 4xx or 5xx answer.
        case v1
        /// An array of frames; an error met part way is reported in the last frame.
        case v2
    }

    /// The public cloud's Log Analytics query endpoint.
    public static let logAnalyticsEndpoint = URL(string: "https://api.loganalytics.io")!

    /// The audience a token needs: the endpoint's origin for Log Analytics, the cluster's for Azure Data Explorer.
    public var resource: String {
        switch self {
        case .logAnalytics(_, let endpoint): AzureCredentials.origin(of: endpoint)
        case .dataExplorer(let cluster, _, _): AzureCredentials.origin(of: cluster)
        }
    }

    /// How the service is named in messages.
    public var name: String {
        switch self {
        case .logAnalytics(let workspace, _): "workspace \(workspace)"
        case .dataExplorer(let cluster, let database, _): "\(AzureCredentials.origin(of: cluster)) database \(database)"
        }
    }

    var dialect: QueryResponse.Dialect {
        switch self {
        case .logAnalytics: .logAnalytics
        case .dataExplorer(_, _, .v1): .dataExplorerV1
        case .dataExplorer(_, _, .v2): .dataExplorerV2
        }
    }

    /// Checks what the flags gave: an endpoint or cluster with `https` (or `http` to a loopback
    /// address, for tests and local emulators) and a host, and a workspace ID without `/`.
    public func validated() throws(QueryError) -> QueryService {
        func check(_ url: URL, _ flag: String) throws(QueryError) {
            guard let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
                throw .invalid("\(flag) takes a URL such as https://api.loganalytics.io, not '\(url.absoluteString)'")
            }
            guard scheme == "https" || (scheme == "http" && Self.isLoopback(host)) else {
                throw .invalid(
                    "\(flag) must use https (http only to 127.0.0.1 or localhost): a token must not cross the network in clear"
                )
            }
        }
        switch self {
        case .logAnalytics(let workspace, let endpoint):
            guard !workspace.isEmpty, workspace.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                throw .invalid("--workspace takes the workspace ID (a GUID), not '\(workspace)'")
            }
            try check(endpoint, "--endpoint")
        case .dataExplorer(let cluster, let database, _):
            try check(cluster, "--cluster")
            guard !database.isEmpty else { throw .invalid("--database is empty") }
        }
        return self
    }

    /// Whether `host` is this machine, the only place `http` may go (tests, local emulators).
    static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased())
    }

    /// The request for `query` over `range` (none: the query's own time filter decides).
    func request(query: String, range: Range<Timestamp>?, timeColumn: String, token: AccessToken) -> HTTPRequest {
        var body: [String: Any]
        let url: URL
        var headers = [
            "Content-Type": "application/json; charset=utf-8", "Accept": "application/json",
            "Authorization": "Bearer \(token.value)",
            "x-ms-client-request-id": "SeqHunt.Query;\(UUID().uuidString)", "x-ms-app": "SeqHunt"
        ]
        switch self {
        case .logAnalytics(let workspace, let endpoint):
            url = endpoint.appendingPathComponent("v1/workspaces").appendingPathComponent(workspace)
                .appendingPathComponent("query")
            body = ["query": query]
            if let range { body["timespan"] = QueryTimespan.text(of: range) }
            // The longest the service waits for a query (the default is three minutes).
            headers["Prefer"] = "wait=600"
        case .dataExplorer(let cluster, let database, let version):
            url = cluster.appendingPathComponent("\(version.rawValue)/rest/query")
            var options: [String: Any] = [:]
            if let range {
                // The time scope as request properties: the query text is not rewritten.
                options["query_datetimescope_column"] = timeColumn
                options["query_datetimescope_from"] = TimeParser.isoText(range.lowerBound)
                options["query_datetimescope_to"] = TimeParser.isoText(range.upperBound)
            }
            if version == .v2 { options["results_progressive_enabled"] = false }
            body = ["db": database, "csl": query, "properties": ["Options": options]]
        }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return HTTPRequest(method: "POST", url: url, headers: headers, body: Array(data), timeout: 660)
    }
}
