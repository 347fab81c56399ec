import Foundation
import SeqHuntTestSupport
import Testing

/// `seqhunt query`, `run --workspace` and `--cluster` against the local server that speaks the
/// documented APIs (Tests/QueryServer): rows arrive once, slices meet exactly, the scores equal
/// a run on the same rows from a file, and failures are one line with no secret in any output.
@Suite("Workspace and cluster queries")
struct WorkspaceQueryTests {
    static let token = ["AZURE_ACCESS_TOKEN": QueryServer.token]
    /// The demo log's days, as a range.
    static let days = "2024-01-01T00:00:00Z/P5D"

    func workspace(_ server: QueryServer) -> [String] {
        ["--workspace", "8a1e3c2d-0000-4000-8000-000000000001", "--query", "OfficeActivity", "--endpoint", server.url]
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// The `--stats` document's query part.
    func queryStats(_ path: String) throws -> [String: Any] {
        let object =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        return object["query"] as! [String: Any]
    }

    @Test("run --workspace, sliced, gives the scores and sessions of run on the same rows from a file, byte for byte")
    func workspaceEqualsFile() throws {
        let server = try QueryServer(events: DemoLog.path)
        let dir = try temporaryDirectory()
        let file = try runSeqHunt(["run", DemoLog.path, "--out", dir + "/file", "--write-sessions", "--quiet"])
        #expect(file.status == 0, "\(file.stderr)")
        let sliced = try runSeqHunt(
            ["run"] + workspace(server) + [
                "--timespan", Self.days, "--split-by", "6h",
                "--out", dir + "/workspace", "--write-sessions", "--stats", dir + "/stats.json", "--quiet"
            ], environment: Self.token)
        #expect(sliced.status == 0, "\(sliced.stderr)")
        #expect(try read(dir + "/file/scores.csv") == read(dir + "/workspace/scores.csv"))
        #expect(try read(dir + "/file/sessions.jsonl") == read(dir + "/workspace/sessions.jsonl"))
        let stats = try queryStats(dir + "/stats.json")
        #expect((stats["slices"] as! [Any]).count == 20)
        // Every request carried the time range of its slice, the query text unchanged, and waited up to 10 minutes.
        let (requests, _) = try server.requests()
        #expect(
            requests.count == 20
                && requests.allSatisfy {
                    $0["query"] as? String == "OfficeActivity" && $0["prefer"] as? String == "wait=600"
                })
        #expect(Set(requests.map { $0["timespan"] as! String }).count == 20)
    }

    @Test("slice edges: the server returns a row at an edge to both slices; it is kept once, by its half-open slice")
    func sliceEdges() throws {
        let server = try QueryServer(events: DemoLog.path)
        let dir = try temporaryDirectory()
        let whole = try runSeqHunt(
            ["query"] + workspace(server) + ["--timespan", Self.days, "--out", dir + "/whole.jsonl", "--quiet"],
            environment: Self.token)
        #expect(whole.status == 0, "\(whole.stderr)")
        // One-minute slices over the first two hours: the log's events fall on whole minutes.
        let sliced = try runSeqHunt(
            ["query"] + workspace(server) + [
                "--timespan", "2024-01-01T00:00:00Z/PT2H", "--split-by", "1m",
                "--concurrency", "5", "--out", dir + "/sliced.jsonl", "--stats", dir + "/stats.json", "--quiet"
            ],
            environment: Self.token)
        #expect(sliced.status == 0, "\(sliced.stderr)")
        let stats = try queryStats(dir + "/stats.json")
        let slices = stats["slices"] as! [[String: Any]]
        #expect(slices.count == 120)
        #expect(
            slices.reduce(0) { $0 + ($1["outside_slice"] as! Int) } > 0,
            "no row fell on an edge: the test proves nothing")
        let expected = try read(dir + "/whole.jsonl").split(separator: "\n").filter {
            $0.contains("\"TimeGenerated\":\"2024-01-01T00:") || $0.contains("\"TimeGenerated\":\"2024-01-01T01:")
        }
        #expect(try read(dir + "/sliced.jsonl").split(separator: "\n") == expected)
        #expect(try server.requests().mostInFlight <= 5)
    }

    @Test(
        "a partial answer (PartialError at the row limit) is halved until every slice is whole; without slicing it is an error"
    )
    func partialAnswersAreHalved() throws {
        let server = try QueryServer(events: DemoLog.path)
        let dir = try temporaryDirectory()
        try server.control(["max_rows": 400])
        let auto = try runSeqHunt(
            ["run"] + workspace(server) + [
                "--timespan", Self.days, "--split-by", "auto",
                "--out", dir + "/auto", "--stats", dir + "/stats.json", "--quiet"
            ], environment: Self.token)
        #expect(auto.status == 0, "\(auto.stderr)")
        #expect(try queryStats(dir + "/stats.json")["halvings"] as! Int > 0)
        let file = try runSeqHunt(["run", DemoLog.path, "--out", dir + "/file", "--write-sessions", "--quiet"])
        #expect(file.status == 0)
        #expect(try read(dir + "/file/scores.csv") == read(dir + "/auto/scores.csv"))

        let whole = try runSeqHunt(
            ["query"] + workspace(server) + ["--timespan", Self.days, "--out", dir + "/rows.jsonl"],
            environment: Self.token)
        #expect(whole.status == 2)
        #expect(
            whole.stderr.hasPrefix(
                "seqhunt: error: workspace 8a1e3c2d-0000-4000-8000-000000000001 gave a partial answer (PartialError: Response contains partial results (Query result set has exceeded the internal record count limit 500000"
            ))
        #expect(whole.stderr.contains("--split-by") && whole.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir + "/rows.jsonl"))
    }

    @Test("429 and 503 are retried after Retry-After; past --retries it is one line naming the status")
    func retries() throws {
        let server = try QueryServer(events: DemoLog.path)
        let dir = try temporaryDirectory()
        try server.control([
            "faults": [
                ["status": 429, "retry_after": "1", "code": "TooManyRequests", "message": "Too many requests"],
                ["status": 503, "retry_after": "0"]
            ]
        ])
        let started = Date()
        let retried = try runSeqHunt(
            ["query"] + workspace(server) + [
                "--timespan", Self.days, "--out", dir + "/rows.jsonl",
                "--stats", dir + "/stats.json", "--quiet"
            ], environment: Self.token)
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(Date().timeIntervalSince(started) >= 1, "Retry-After: 1 was not waited for")
        #expect(((try queryStats(dir + "/stats.json")["slices"] as! [[String: Any]])[0]["requests"] as! Int) == 3)

        try server.control([
            "faults": [
                ["status": 503, "retry_after": "0"], ["status": 503, "retry_after": "0"],
                ["status": 503, "retry_after": "0"]
            ]
        ])
        let gaveUp = try runSeqHunt(
            ["query"] + workspace(server) + ["--retries", "1", "--out", dir + "/again.jsonl"], environment: Self.token)
        #expect(gaveUp.status == 2)
        #expect(
            gaveUp.stderr
                == "seqhunt: error: workspace 8a1e3c2d-0000-4000-8000-000000000001 still answered 503 after 2 attempts: ServiceUnavailable: The service is busy\n"
        )
        #expect(!FileManager.default.fileExists(atPath: dir + "/again.jsonl"))
    }

    @Test("a malformed answer and one cut in the middle are one line each, and nothing is written")
    func brokenAnswers() throws {
        let server = try QueryServer(events: DemoLog.path)
        let dir = try temporaryDirectory()
        try server.control(["malformed": true])
        let malformed = try runSeqHunt(["run"] + workspace(server) + ["--out", dir + "/a"], environment: Self.token)
        #expect(malformed.status == 2)
        #expect(
            malformed.stderr.hasPrefix(
                "seqhunt: error: workspace 8a1e3c2d-0000-4000-8000-000000000001: not a Log Analytics answer: "))
        #expect(malformed.stderr.split(separator: "\n").count == 1)
        try server.control(["cut": true])
        let cut = try runSeqHunt(
            ["run"] + workspace(server) + ["--retries", "0", "--out", dir + "/b"], environment: Self.token)
        #expect(cut.status == 2)
        #expect(
            cut.stderr.hasPrefix(
                "seqhunt: error: workspace 8a1e3c2d-0000-4000-8000-000000000001: the answer was cut off after "),
            "\(cut.stderr)")
        #expect(cut.stderr.split(separator: "\n").count == 1)
        #expect(
            !FileManager.default.fileExists(atPath: dir + "/a") && !FileManager.default.fileExists(atPath: dir + "/b"))
    }

    @Test("tokens: a wrong or expired one, a wrong client secret, none at all; each one line, no secret in any output")
    func credentials() throws {
        let server = try QueryServer(events: DemoLog.path)
        let dir = try temporaryDirectory()
        let wrong = try runSeqHunt(
            ["query"] + workspace(server) + ["--out", dir + "/rows.jsonl", "--stats", dir + "/s.json"],
            environment: ["AZURE_ACCESS_TOKEN": "expired-token-77d1"])
        #expect(wrong.status == 2)
        #expect(
            wrong.stderr.hasPrefix(
                "seqhunt: error: workspace 8a1e3c2d-0000-4000-8000-000000000001 refused the token (403 InvalidTokenError: The provided authentication is not valid for this resource"
            ))
        #expect(!wrong.stderr.contains("expired-token-77d1") && wrong.stderr.split(separator: "\n").count == 1)

        // A service principal through the identity platform's client-credentials flow.
        let principal = [
            "AZURE_TENANT_ID": "contoso.onmicrosoft.com", "AZURE_CLIENT_ID": QueryServer.clientID,
            "AZURE_CLIENT_SECRET": QueryServer.clientSecret, "AZURE_AUTHORITY_HOST": server.url
        ]
        let good = try runSeqHunt(
            ["query"] + workspace(server) + ["--out", dir + "/rows.jsonl", "--stats", dir + "/s.json"],
            environment: principal)
        #expect(good.status == 0, "\(good.stderr)")
        var badSecret = principal
        badSecret["AZURE_CLIENT_SECRET"] = "wrong-secret-31c4"
        let refused = try runSeqHunt(
            ["query"] + workspace(server) + ["--out", dir + "/other.jsonl"], environment: badSecret)
        #expect(refused.status == 2)
        #expect(
            refused.stderr
                == "seqhunt: error: the service principal (AZURE_CLIENT_ID) gave no token: HTTP 401: invalid_client: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'test-client'.\n"
        )

        // Managed identity through the instance metadata endpoint.
        let identity = try runSeqHunt(
            ["query"] + workspace(server) + ["--out", dir + "/mi.jsonl", "--quiet"],
            environment: ["AZURE_POD_IDENTITY_AUTHORITY_HOST": server.url])
        #expect(identity.status == 0, "\(identity.stderr)")

        // No credential at all: what was tried, in one line.
        let none = try runSeqHunt(
            ["query"] + workspace(server) + ["--out", dir + "/none.jsonl"],
            environment: ["AZURE_POD_IDENTITY_AUTHORITY_HOST": "http://127.0.0.1:1", "PATH": "/nonexistent"])
        #expect(none.status == 2)
        #expect(
            none.stderr
                == "seqhunt: error: no Azure credential: AZURE_ACCESS_TOKEN is not set; no service principal (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET); managed identity: no instance metadata endpoint answered (not on Azure); Azure CLI: az is not installed (set AZURE_ACCESS_TOKEN, or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or run az login)\n"
        )

        // Nothing secret in any output: standard output and error, the rows, the stats.
        for secret in [QueryServer.token, QueryServer.clientSecret, "wrong-secret-31c4"] {
            for text in [
                good.stdout, good.stderr, refused.stderr, identity.stderr, try read(dir + "/rows.jsonl"),
                try read(dir + "/s.json")
            ] {
                #expect(!text.contains(secret))
            }
        }
    }

    @Test(
        "Azure Data Explorer, v1 and v2: the same rows and scores as the file; v2's partial answer is halved",
        arguments: ["v1", "v2"])
    func dataExplorer(api: String) throws {
        let server = try QueryServer(events: DemoLog.path)
        let dir = try temporaryDirectory()
        let file = try runSeqHunt(["run", DemoLog.path, "--out", dir + "/file", "--write-sessions", "--quiet"])
        #expect(file.status == 0)
        try server.control(["max_rows": 500])
        let cluster = try runSeqHunt(
            [
                "run", "--cluster", server.url, "--database", "Security", "--kusto-api", api, "--query",
                "OfficeActivity",
                "--timespan", Self.days, "--split-by", "auto", "--out", dir + "/cluster", "--quiet"
            ], environment: Self.token)
        #expect(cluster.status == 0, "\(cluster.stderr)")
        #expect(try read(dir + "/file/scores.csv") == read(dir + "/cluster/scores.csv"))
        let (requests, _) = try server.requests()
        #expect(
            requests.allSatisfy { $0["path"] as? String == "/\(api)/rest/query" && $0["db"] as? String == "Security" })
        let options = (requests.last!["properties"] as! [String: Any])["Options"] as! [String: Any]
        #expect(options["query_datetimescope_column"] as? String == "TimeGenerated")
    }

    @Test("--sessionize-in-kusto: the sessions Kusto makes with seqhunt kql's query score as sessionizing here does")
    func sessionizeInKusto() throws {
        let server = try QueryServer(events: DemoLog.path)
        let dir = try temporaryDirectory()
        let flags = ["--max-gap", "90s", "--exclude-user-substring", "svc-"]
        let file = try runSeqHunt(["run", DemoLog.path, "--out", dir + "/file", "--quiet"] + flags)
        #expect(file.status == 0)
        let kusto = try runSeqHunt(
            ["run"] + workspace(server) + ["--sessionize-in-kusto", "--out", dir + "/kusto", "--quiet"] + flags,
            environment: Self.token)
        #expect(kusto.status == 0, "\(kusto.stderr)")
        // The query sent is the one seqhunt kql prints for the same flags.
        let printed = try runSeqHunt(["kql", "--query", "OfficeActivity"] + flags)
        #expect(try server.requests().requests.first?["query"] as? String == printed.stdout)
        // Kusto writes a real duration as 60.0 where seqhunt writes 60: every other cell is equal.
        let local = try read(dir + "/file/scores.csv").split(separator: "\n"),
            remote = try read(dir + "/kusto/scores.csv").split(separator: "\n")
        #expect(local.count == remote.count && local.count > 100)
        func withoutDuration(_ line: Substring) -> String {
            line.replacingOccurrences(
                of: #",(\d+)(\.0)?,(\d+),(\d+),"\["#, with: ",$1,$3,$4,\"[", options: .regularExpression)
        }
        #expect(zip(local, remote).allSatisfy { withoutDuration($0) == withoutDuration($1) })
    }

    @Test("seqhunt query writes CSV that seqhunt run reads as the same events")
    func csvOutput() throws {
        let server = try QueryServer(events: DemoLog.path)
        let dir = try temporaryDirectory()
        let query = try runSeqHunt(
            ["query"] + workspace(server) + ["--out", dir + "/rows.csv", "--quiet"], environment: Self.token)
        #expect(query.status == 0, "\(query.stderr)")
        #expect(
            try read(dir + "/rows.csv").hasPrefix("TimeGenerated,UserId,ClientIP,Operation,Parameters,RecordType\n"))
        let fromCSV = try runSeqHunt(["run", dir + "/rows.csv", "--out", dir + "/a", "--quiet"])
        let fromFile = try runSeqHunt(["run", DemoLog.path, "--out", dir + "/b", "--quiet"])
        #expect(fromCSV.status == 0 && fromFile.status == 0)
        #expect(try read(dir + "/a/scores.csv") == read(dir + "/b/scores.csv"))
    }

    @Test("flags that cannot work are refused before any request")
    func refusedFlags() throws {
        let cases: [([String], String)] = [
            (
                [
                    "query", "--workspace", "w", "--query", "T", "--endpoint", "http://example.com", "--out", "-",
                    "--format", "jsonl"
                ],
                "--endpoint must use https (http only to 127.0.0.1 or localhost)"
            ),
            (
                ["query", "--workspace", "w", "--out", "-", "--format", "jsonl"],
                "--workspace needs the KQL: --query or --query-file"
            ),
            (
                ["query", "--workspace", "w", "--query", "T", "--split-by", "1d", "--out", "x.jsonl"],
                "--split-by needs --timespan"
            ),
            (
                ["query", "--workspace", "w", "--query", "T", "--timespan", "P1M", "--out", "x.jsonl"],
                "years and months vary in length"
            ),
            (
                ["run", "x.csv", "--workspace", "w", "--query", "T", "--out", "d"],
                "give event logs or --workspace, not both"
            ),
            (
                [
                    "run", "--workspace", "w", "--query", "T", "--sessionize-in-kusto", "--timespan", "P1D",
                    "--split-by", "1h", "--out", "d"
                ],
                "--sessionize-in-kusto runs one query"
            ),
            (
                ["score", "--cluster", "https://c.kusto.windows.net", "--query", "T", "--out", "x.csv"],
                "--cluster needs --database"
            )
        ]
        for (arguments, fragment) in cases {
            let result = try runSeqHunt(arguments, environment: Self.token)
            #expect(result.status != 0 && result.stderr.contains(fragment), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
    }

    @Test(
        "a token that expires part way is fetched again and the request repeated, once; AZURE_ACCESS_TOKEN cannot be, and says so"
    )
    func expiringToken() throws {
        let server = try QueryServer(events: DemoLog.path)
        let dir = try temporaryDirectory()
        try server.control(["expire_after": 3])
        let identity = try runSeqHunt(
            ["run"] + workspace(server) + [
                "--timespan", Self.days, "--split-by", "1d", "--concurrency", "1",
                "--out", dir + "/a", "--quiet"
            ], environment: ["AZURE_POD_IDENTITY_AUTHORITY_HOST": server.url])
        #expect(identity.status == 0, "\(identity.stderr)")
        let file = try runSeqHunt(["run", DemoLog.path, "--out", dir + "/file", "--write-sessions", "--quiet"])
        #expect(try read(dir + "/file/scores.csv") == read(dir + "/a/scores.csv"))
        // A token given in AZURE_ACCESS_TOKEN cannot be renewed: its expiry is one line.
        try server.control(["expire_after": 2])
        let given = try runSeqHunt(
            ["query"] + workspace(server) + [
                "--timespan", Self.days, "--split-by", "1d", "--concurrency", "1",
                "--out", dir + "/b.jsonl", "--quiet"
            ], environment: ["AZURE_ACCESS_TOKEN": QueryServer.token + "-next"])
        #expect(
            given.status == 2 && given.stderr.contains("refused the token (403 InvalidTokenError"), "\(given.stderr)")
        #expect(given.stderr.split(separator: "\n").count == 1)
    }

    @Test("a partial answer for another reason than a limit is an error, not halved down to seconds")
    func otherPartialAnswers() throws {
        let server = try QueryServer(events: DemoLog.path)
        let dir = try temporaryDirectory()
        try server.control(["max_rows": 10, "partial_code": "E_CROSS_CLUSTER_FAILED"])
        let result = try runSeqHunt(
            ["query"] + workspace(server) + [
                "--timespan", Self.days, "--split-by", "auto", "--out", dir + "/rows.jsonl"
            ],
            environment: Self.token)
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("E_CROSS_CLUSTER_FAILED") && result.stderr.split(separator: "\n").count == 1,
            "\(result.stderr)")
        #expect(try server.requests().requests.count == 1)
    }

    @Test("--timespan is half-open without --split-by too: a row at its end is not kept")
    func unslicedTimespanIsHalfOpen() throws {
        let server = try QueryServer(events: DemoLog.path)
        let dir = try temporaryDirectory()
        // The log's first event is at 2024-01-01T00:00:00Z; the server returns it for a range ending there.
        let result = try runSeqHunt(
            ["query"] + workspace(server) + [
                "--timespan", "2023-12-31T00:00:00Z/2024-01-01T00:00:00Z",
                "--out", dir + "/rows.jsonl", "--quiet"
            ], environment: Self.token)
        #expect(result.status == 0, "\(result.stderr)")
        // By its size: Foundation's String(contentsOfFile:) leaks its buffer on an empty file (LeakSanitizer).
        #expect(try FileManager.default.attributesOfItem(atPath: dir + "/rows.jsonl")[.size] as? Int == 0)
    }

    @Test("a client secret never goes in clear: AZURE_AUTHORITY_HOST must be https (or loopback)")
    func authorityInClear() throws {
        let result = try runSeqHunt(
            ["query", "--workspace", "w", "--query", "T", "--out", "-", "--format", "jsonl"],
            environment: [
                "AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c", "AZURE_CLIENT_SECRET": "s3cr3t-value",
                "AZURE_AUTHORITY_HOST": "http://login.example.com"
            ])
        #expect(result.status == 2 && result.stderr.contains("AZURE_AUTHORITY_HOST must use https"), "\(result.stderr)")
        #expect(!result.stderr.contains("s3cr3t-value"))
    }
}
