import Foundation
import SeqHuntIO
import SeqHuntTestSupport
import Testing

@Suite("seqhunt command line")
struct CommandLineTests {
    @Test("run writes narrow scores and no sessions file by default; each wide output is one flag away")
    func runOutputs() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try InputFormsCommandLineTests.csvLog(200).write(toFile: dir + "/events.csv", atomically: true, encoding: .utf8)
        let narrow = try runSeqHunt(["run", dir + "/events.csv", "--out", dir + "/narrow", "--quiet"])
        #expect(narrow.status == 0, "\(narrow.stderr)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir + "/narrow").sorted() == [
                "scores.csv", "timeline.html", "timeline.png"
            ])
        let wide = try runSeqHunt([
            "run", dir + "/events.csv", "--out", dir + "/wide", "--wide-scores", "--write-sessions", "--quiet"
        ])
        #expect(wide.status == 0, "\(wide.stderr)")
        // --wide-scores writes what `score` writes, --write-sessions what `sessionize` writes.
        #expect(try runSeqHunt(["score", dir + "/events.csv", "--out", dir + "/score.csv", "--quiet"]).status == 0)
        #expect(
            try runSeqHunt(["sessionize", dir + "/events.csv", "--out", dir + "/sessions.jsonl", "--quiet"]).status == 0
        )
        func text(_ path: String) throws -> String { try String(contentsOfFile: dir + path, encoding: .utf8) }
        #expect(try text("/wide/scores.csv") == text("/score.csv"))
        #expect(try text("/wide/sessions.jsonl") == text("/sessions.jsonl"))
        // The narrow scores are the wide ones without cmds, params and each window's events.
        let narrowScores = try ScoresReader.read(path: dir + "/narrow/scores.csv"),
            wideScores = try ScoresReader.read(path: dir + "/wide/scores.csv")
        #expect(
            narrowScores.columns
                == wideScores.columns.filter { !["cmds", "params", "rarest_window3_events"].contains($0) })
        for (c, name) in narrowScores.columns.enumerated() {
            let w = try #require(wideScores.column(name))
            #expect(narrowScores.rows.map { $0[c] } == wideScores.rows.map { $0[w] }, "\(name)")
        }
        // A narrow scores file does not read back as sessions: one line says what does.
        let explain = try runSeqHunt(["explain", dir + "/narrow/scores.csv", "--session", "1"])
        #expect(explain.status == 2)
        #expect(
            explain.stderr
                == "seqhunt: error: \(dir)/narrow/scores.csv:1: a scores file without the sessions' \"cmds\" and \"params\" columns "
                + "does not read back as sessions: `seqhunt run --wide-scores` and `seqhunt score` write them; or give the event log that was scored, "
                + "with the same flags\n", "\(explain.stderr)")
        let fromLog = try runSeqHunt(["explain", dir + "/events.csv", "--session", "1"])
        #expect(fromLog.status == 0 && fromLog.stdout.hasPrefix("session 1: "), "\(fromLog.stderr)")
        let fromWide = try runSeqHunt(["explain", dir + "/wide/scores.csv", "--session", "1"])
        #expect(fromWide.stdout == fromLog.stdout)
    }

    @Test("score writes exactly the docs/SPEC.md §9 columns, one row per session")
    func scoreColumns() throws {
        let dir = try temporaryDirectory()
        let result = try runSeqHunt([
            "score", goldenDirectory + "/demo.sessions.jsonl", "--out", dir + "/scores.csv",
            "--window", "2", "--window", "3", "--top", "5", "--param-sets", dir + "/sets.jsonl"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: dir + "/scores.csv", encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        let expected: String =
            [
                "session_id", "UserId", "ClientIP", "begin", "end", "cmds", "params", "session", "likelihood",
                "log_likelihood", "geomean_likelihood"
            ].joined(separator: ",")
            + [2, 3].map { k in
                ["likelihood", "log_likelihood", "index", "", "events", "reason"].map {
                    $0.isEmpty ? ",rarest_window\(k)" : ",rarest_window\(k)_\($0)"
                }.joined()
            }.joined()
        #expect(lines[0] == expected)
        #expect(lines.count == 402)  // header, 400 sessions, final newline
        #expect(result.stdout.contains("rank"))
        #expect(result.stdout.split(separator: "\n").filter { $0.first?.isNumber == true }.count == 5)
        let sets = try String(contentsOfFile: dir + "/sets.jsonl", encoding: .utf8)
        #expect(sets.hasPrefix("{\"command\":"))
        let jsonl = try runSeqHunt([
            "score", goldenDirectory + "/demo.sessions.jsonl", "--out", dir + "/scores.jsonl", "--type", "cmds",
            "--quiet"
        ])
        #expect(jsonl.status == 0 && jsonl.stdout.isEmpty && jsonl.stderr.isEmpty)
        let first = try String(contentsOfFile: dir + "/scores.jsonl", encoding: .utf8).split(separator: "\n")[0]
        #expect(first.contains("\"rarest_window3_index\":") && first.contains("\"session\":["))
    }

    /// Bad inputs: each gives one line naming file and line, exit status 2, and no output file.
    static let badInputs: [(name: String, content: String, expected: String)] = [
        ("broken.jsonl", "{\"cmds\":[\"A\"]}\n{\"cmds\":[\"A\",}\n", "broken.jsonl:2:14: invalid JSON"),
        (
            "nocmds.csv", "UserId,begin\nalice,2020-01-01\n",
            "nocmds.csv:1: missing column \"cmds\" (sessions) or \"Operation\" (events)"
        ),
        (
            "nocmds.jsonl", "{\"UserId\":\"a\"}\n",
            "nocmds.jsonl:1: missing column \"cmds\" (sessions) or \"Operation\" (events)"
        ),
        (
            "mismatch.jsonl", "{\"cmds\":[\"A\",\"B\"],\"params\":[{\"A\":[]}]}\n",
            "mismatch.jsonl:1: \"cmds\" has 2 commands but \"params\" has 1 entries"
        ),
        ("empty-session.csv", "UserId,cmds\nalice,\"[\"\"A\"\"]\"\nbob,[]\n", "empty-session.csv:3: empty session"),
        (
            "pylist.csv", "UserId,cmds\nalice,\"['Set-Mailbox', 'New-InboxRule']\"\n",
            "pylist.csv:2: column \"cmds\" holds a Python list"
        ),
        ("quote.csv", "UserId,cmds\nalice,\"[\"\"A\"\"]\n", "quote.csv:2: unbalanced quote"),
        ("utf8.jsonl", "{\"cmds\":[\"A\u{FFFD}\"]}\n", "")
    ]

    @Test("bad input: one clear line, non-zero exit, no output left behind", arguments: 0..<7)
    func badInput(index: Int) throws {
        let (name, content, expected) = Self.badInputs[index]
        let dir = try temporaryDirectory()
        try content.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        let result = try runSeqHunt(["score", dir + "/" + name, "--out", dir + "/scores.csv"])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [name])
    }

    @Test("invalid UTF-8 is an error, not a crash")
    func invalidUTF8() throws {
        let dir = try temporaryDirectory()
        var bytes = Array("{\"cmds\":[\"A".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array("\"]}\n".utf8)
        #expect(FileManager.default.createFile(atPath: dir + "/bad.jsonl", contents: Data(bytes)))
        let result = try runSeqHunt(["score", dir + "/bad.jsonl", "--out", dir + "/scores.csv"])
        #expect(result.status == 2 && result.stderr.contains("bad.jsonl:1:") && result.stderr.contains("UTF-8"))
    }

    @Test("the output may not be an input")
    func refuseOverwritingInput() throws {
        let dir = try temporaryDirectory()
        let input = dir + "/sessions.jsonl"
        try "{\"cmds\":[\"A\"]}\n".write(toFile: input, atomically: true, encoding: .utf8)
        let result = try runSeqHunt(["score", input, "--out", input])
        #expect(result.status != 0)
        #expect(try String(contentsOfFile: input, encoding: .utf8) == "{\"cmds\":[\"A\"]}\n")
    }

    @Test("demo finds its planted attacks")
    func demo() throws {
        let dir = try temporaryDirectory()
        let result = try runSeqHunt(["demo", "--sessions", "3000", "--out", dir])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("planted attacks rank among"))
        #expect(FileManager.default.fileExists(atPath: dir + "/scores.csv"))
        // The demo's scores are `score`'s on its log with the seed query's filters, without the
        // wide columns: cmds, params and each window's events.
        let rescore = try runSeqHunt([
            "score", dir + "/OfficeActivity.csv", "--out", dir + "/rescored.csv", "--quiet", "--record-type",
            "ExchangeAdmin",
            "--exclude-user-prefix", "NT AUTHORITY", "--exclude-user-substring", "prod.outlook.com"
        ])
        #expect(rescore.status == 0, "\(rescore.stderr)")
        let narrow = try ScoresReader.read(path: dir + "/scores.csv"),
            wide = try ScoresReader.read(path: dir + "/rescored.csv")
        #expect(wide.columns.filter { !["cmds", "params", "rarest_window3_events"].contains($0) } == narrow.columns)
        #expect(narrow.rows.count == wide.rows.count && narrow.rows.count > 2_000)
        for (c, name) in narrow.columns.enumerated() {
            let w = try #require(wide.column(name))
            #expect(narrow.rows.map { $0[c] } == wide.rows.map { $0[w] }, "\(name)")
        }
    }
}

@Suite("seqhunt with event logs")
struct EventCommandLineTests {
    static let header = officeActivityHeader
    static let good =
        "2020-04-18T04:50:30Z,a@x.com,1.1.1.1,Set-Mailbox,\"[{\"\"Name\"\":\"\"Identity\"\",\"\"Value\"\":\"\"b\"\"}]\"\n"

    /// Each bad log: one line naming file, line (and column) and cause, exit 2, nothing written.
    static let badLogs: [(name: String, content: String, expected: String)] = [
        (
            "time.csv", header + good + "yesterday,a@x.com,,Get-Mailbox,[]\n",
            "time.csv:3: unparseable time \"yesterday\""
        ),
        (
            "column.csv", "TimeGenerated,UserId,Operation\n2020-04-18T04:50:30Z,a,Get-Mailbox\n",
            "column.csv:1: missing column \"ClientIP\""
        ),
        (
            "quote.csv", header + good + "2020-04-18T04:50:31Z,a@x.com,,Get-Mailbox,\"[{\n",
            "quote.csv:3: unbalanced quote"
        ),
        (
            "params.csv", header + good + "2020-04-18T04:50:31Z,a@x.com,,Get-Mailbox,\"[{\"\"Name\"\":}]\"\n",
            "params.csv:3: invalid JSON in column \"Parameters\""
        ),
        (
            "nokey.jsonl", "{\"TimeGenerated\":\"2020-04-18T04:50:30Z\",\"Operation\":\"A\"}\n",
            "nokey.jsonl:1: no record has the column \"UserId\" (the first record has \"TimeGenerated\", \"Operation\")"
        ),
        (
            "events.jsonl",
            "{\"TimeGenerated\":\"2020-04-18T04:50:30Z\",\"Operation\":\"A\",\"UserId\":\"u\",\"ClientIP\":\"i\"}\n{\"TimeGenerated\":\"2020-13\",\"Operation\":\"A\"}\n",
            "events.jsonl:2: unparseable time \"2020-13\""
        )
    ]

    @Test("bad event logs: one clear line, non-zero exit, nothing written", arguments: 0..<6)
    func badLog(index: Int) throws {
        let (name, content, expected) = Self.badLogs[index]
        let dir = try temporaryDirectory()
        try content.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        for command in [
            ["sessionize", dir + "/" + name, "--out", dir + "/sessions.jsonl"],
            ["run", dir + "/" + name, "--out", dir + "/hunt"]
        ] {
            let result = try runSeqHunt(command)
            #expect(result.status == 2, "\(command[0]): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(result.stderr.contains(expected), "\(command[0]): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/sessions.jsonl"))
            #expect(!FileManager.default.fileExists(atPath: dir + "/hunt"))
        }
    }

    @Test("non-UTF-8 bytes in a field are bad input")
    func invalidUTF8() throws {
        let dir = try temporaryDirectory()
        var bytes = Array((Self.header + "2020-04-18T04:50:30Z,a").utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(",,Get-Mailbox,[]\n".utf8)
        #expect(FileManager.default.createFile(atPath: dir + "/bad.csv", contents: Data(bytes)))
        let result = try runSeqHunt(["sessionize", dir + "/bad.csv", "--out", dir + "/s.jsonl"])
        #expect(
            result.status == 2 && result.stderr.contains("bad.csv:2:") && result.stderr.contains("UTF-8"),
            "\(result.stderr)")
    }

    @Test("--on-error skip skips bad rows, counts them by cause, and says so even with --quiet")
    func skipBadRows() throws {
        let dir = try temporaryDirectory()
        let log =
            Self.header + Self.good + "yesterday,a@x.com,,Get-Mailbox,[]\n"
            + "2020-04-18T04:50:40Z,a@x.com,1.1.1.1,Get-Mailbox,\"{bad\"\n"
            + Self.good.replacingOccurrences(of: "04:50:30", with: "04:51:00")
        try log.write(toFile: dir + "/log.csv", atomically: true, encoding: .utf8)
        let result = try runSeqHunt([
            "sessionize", dir + "/log.csv", "--out", dir + "/s.jsonl", "--on-error", "skip", "--quiet"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "4 rows read = 2 events kept + 0 filtered out + 2 bad rows skipped (1 invalid Parameters JSON, 1 unparseable time); 2 events in 1 sessions"
            ),
            "\(result.stderr)")
        let sessions = try String(contentsOfFile: dir + "/s.jsonl", encoding: .utf8)
        #expect(sessions.split(separator: "\n").count == 1 && sessions.contains("\"nCmds\":2,"))
    }

    @Test("sessionize output feeds score; score also takes the events directly")
    func sessionsAndEventsAgree() throws {
        let dir = try temporaryDirectory()
        let demo = try runSeqHunt(["demo", "--sessions", "500", "--out", dir + "/demo", "--quiet"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let log = dir + "/demo/OfficeActivity.csv"
        let filters = [
            "--record-type", "ExchangeAdmin", "--exclude-user-prefix", "NT AUTHORITY", "--exclude-user-substring",
            "prod.outlook.com"
        ]
        #expect(try runSeqHunt(["sessionize", log, "--out", dir + "/s.csv", "--quiet"] + filters).status == 0)
        let fromSessions = try runSeqHunt(["score", dir + "/s.csv", "--out", dir + "/a.csv", "--quiet"])
        let fromEvents = try runSeqHunt(["score", log, "--out", dir + "/b.csv", "--quiet"] + filters)
        #expect(fromSessions.status == 0 && fromEvents.status == 0, "\(fromSessions.stderr)\(fromEvents.stderr)")
        let a = try String(contentsOfFile: dir + "/a.csv", encoding: .utf8)
        let b = try String(contentsOfFile: dir + "/b.csv", encoding: .utf8)
        #expect(a == b)
        #expect(a.split(separator: "\n").count == 501)
    }
}

@Suite("seqhunt plot")
struct PlotCommandLineTests {
    @Test("run writes timeline.png; plot redraws it from the scores file with its own options")
    func plot() throws {
        let dir = try temporaryDirectory()
        let demo = try runSeqHunt(["demo", "--sessions", "300", "--out", dir, "--quiet"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let timeline = try Data(contentsOf: URL(fileURLWithPath: dir + "/timeline.png"))
        #expect(timeline.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        for format in ["csv", "jsonl"] {
            let scores = dir + "/scores." + format
            if format == "jsonl" {
                #expect(try runSeqHunt(["score", dir + "/OfficeActivity.csv", "--out", scores, "--quiet"]).status == 0)
            }
            let result = try runSeqHunt([
                "plot", scores, "--png", dir + "/plot-\(format).png", "--upper-bound", "0.01",
                "--color-by", "UserId", "--width", "900", "--height", "500", "--dpi", "144"
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let png = try Data(contentsOf: URL(fileURLWithPath: dir + "/plot-\(format).png"))
            // The IHDR chunk holds the size: 1800 × 1000 pixels at 144 dpi.
            let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) },
                height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
            #expect(width == 1800 && height == 1000)
        }
    }

    @Test("a scores file without the command-list columns still labels each session with its own key")
    func scoresWithoutCommandLists() throws {
        let dir = try temporaryDirectory()
        try """
        begin,UserId,rarest_window3_log_likelihood
        2024-01-01T00:00:00Z,first@contoso.com,-3.5
        2024-01-01T01:00:00Z,second@contoso.com,-7.25
        """.write(toFile: dir + "/s.csv", atomically: true, encoding: .utf8)
        let result = try runSeqHunt(["plot", dir + "/s.csv", "--html", dir + "/t.html"])
        #expect(result.status == 0, "\(result.stderr)")
        let page = try String(contentsOfFile: dir + "/t.html", encoding: .utf8)
        #expect(page.contains("first@contoso.com") && page.contains("second@contoso.com"))
    }

    @Test("past 20,000 sessions, every point on the page carries its text, though the rarest have no start time")
    func undatedRarest() throws {
        let dir = try temporaryDirectory()
        // 20,010 sessions, session i scored -i.5: the 10 rarest have no begin and cannot be drawn,
        // so the page's 20,000 points are the dated ones, sessions 1 to 20,000, and each needs its text.
        var lines = [
            "session_id,UserId,begin,session,rarest_window3_log_likelihood,rarest_window3,rarest_window3_reason"
        ]
        for i in 1...20_010 {
            let begin = i > 20_000 ? "" : "2024-01-01T00:00:\(String(format: "%02d", i % 60))Z"
            lines.append("\(i),user\(i),\(begin),\"[\"\"A\"\"]\",-\(i).5,\"[\"\"A\"\"]\",reason \(i)")
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/s.csv", atomically: true, encoding: .utf8)
        let result = try runSeqHunt(["plot", dir + "/s.csv", "--html", dir + "/t.html"])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: dir + "/t.html", encoding: .utf8)
        let start = try #require(html.range(of: "<script type=\"application/json\" id=\"data\">")).upperBound
        let end = try #require(html.range(of: "</script>", range: start..<html.endIndex)).lowerBound
        let data = try #require(try JSONSerialization.jsonObject(with: Data(html[start..<end].utf8)) as? [String: Any])
        let points = try #require(data["points"] as? [[String: Any]]), texts = try #require(data["texts"] as? [String])
        #expect(points.count == 20_000 && data["undated"] as? Int == 10)
        let bare = points.filter { point in
            texts[point["k"] as! Int].isEmpty || (point["why"] as? Int).map { texts[$0].isEmpty } ?? true
        }
        #expect(bare.isEmpty, "\(bare.count) points without their text, for example session \(bare.first?["id"] ?? "")")
    }

    @Test("plot needs start times and a score column: one clear line otherwise")
    func badScores() throws {
        let dir = try temporaryDirectory()
        try "UserId,session,likelihood\na,[],0.5\n".write(toFile: dir + "/s.csv", atomically: true, encoding: .utf8)
        let result = try runSeqHunt(["plot", dir + "/s.csv", "--png", dir + "/t.png"])
        #expect(result.status == 2 && result.stderr.contains("s.csv:1: missing column \"begin\""), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/t.png"))
    }
}
