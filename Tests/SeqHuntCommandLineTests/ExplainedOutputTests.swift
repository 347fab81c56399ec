import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntTestSupport
import Testing

@Suite("Explained scores, ties and the table")
struct ExplainedOutputTests {
    /// Sessions in which 12 identical rare sessions (under keys given out of order) tie at the lowest score.
    static func tiedSessions() -> String {
        var lines: [String] = []
        for i in 0..<200 {
            lines.append(
                "{\"UserId\":\"common\(i)\",\"begin\":\"2024-01-01T00:\(10 + i % 50):00Z\",\"cmds\":[\"Get-Mailbox\",\"Set-Mailbox\"]}"
            )
        }
        for (n, i) in [7, 3, 11, 0, 9, 5, 1, 10, 2, 8, 6, 4].enumerated() {
            lines.insert(
                "{\"UserId\":\"rare\(String(format: "%02d", i))\",\"begin\":\"2024-01-02T0\(n % 10):00:00Z\",\"cmds\":[\"New-InboxRule\",\"Add-MailboxPermission\"]}",
                at: n * 5)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("equal scores rank by key then begin, the same for every thread count, and the table says how many more tie")
    func ties() throws {
        let dir = try temporaryDirectory()
        try Self.tiedSessions().write(toFile: dir + "/s.jsonl", atomically: true, encoding: .utf8)
        var tables: [String] = []
        for threads in ["1", "2", "3"] {
            let result = try runSeqHunt(
                [
                    "score", dir + "/s.jsonl", "--out", dir + "/scores\(threads).csv", "--type", "cmds", "--top", "5",
                    "--threads", threads
                ], environment: ["COLUMNS": "200"])
            #expect(result.status == 0, "\(result.stderr)")
            tables.append(result.stdout)
        }
        #expect(tables[0] == tables[1] && tables[1] == tables[2])
        let rows = tables[0].split(separator: "\n").filter { $0.first?.isNumber == true }
        #expect(
            rows.map { $0.split(separator: " ", omittingEmptySubsequences: true)[2] } == [
                "rare00", "rare01", "rare02", "rare03", "rare04"
            ])
        #expect(tables[0].contains("+7 more at "), "\(tables[0])")
        // The scores files are byte-identical too.
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: dir + "/scores1.csv"))
                == Data(contentsOf: URL(fileURLWithPath: dir + "/scores3.csv")))
    }

    @Test("the table fits the terminal: the window and reason give way, never the key")
    func tableWidth() throws {
        let dir = try temporaryDirectory()
        let key = "a.long.user.name.kept.whole@contoso.onmicrosoft.com"
        let text = Self.tiedSessions().replacingOccurrences(of: "\"rare03\"", with: "\"\(key)\"")
        try text.write(toFile: dir + "/s.jsonl", atomically: true, encoding: .utf8)
        let result = try runSeqHunt(
            ["score", dir + "/s.jsonl", "--out", dir + "/scores.csv", "--type", "cmds", "--top", "12"],
            environment: ["COLUMNS": "150"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains { $0.contains(key) })
        #expect(lines.allSatisfy { $0.count <= 150 }, "\(lines.map(\.count))")
        #expect(lines[0].contains("session_id") && lines[0].contains("reason"))
        #expect(lines.contains { $0.contains("…") })
    }

    @Test(
        "explanations in the scores add up; a scores file reads back as sessions and scores the same; explain prints the terms"
    )
    func explanationsAndReadBack() throws {
        let dir = try temporaryDirectory()
        let sessions = goldenDirectory + "/demo.sessions.jsonl"
        let scored = try runSeqHunt(["score", sessions, "--out", dir + "/scores.jsonl", "--explanations", "--quiet"])
        #expect(scored.status == 0, "\(scored.stderr)")
        var checked = 0
        for line in try String(contentsOfFile: dir + "/scores.jsonl", encoding: .utf8).split(separator: "\n") {
            let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard let log = row["rarest_window3_log_likelihood"] as? Double else { continue }
            let terms = try #require(row["rarest_window3_explanation"] as? [[String: Any]])
            let sum = terms.reduce(0.0) { $0 + ($1["contribution"] as! Double) }
            #expect(abs(sum - log) <= 1e-9, "session \(row["session_id"] ?? "?"): \(sum) vs \(log)")
            #expect(!(row["rarest_window3_reason"] as! String).isEmpty)
            #expect(
                (row["rarest_window3_events"] as? [[String: Any]])?.count == (row["rarest_window3"] as? [String])?.count
            )
            checked += 1
        }
        #expect(checked > 100)
        // The CSV scores, read as sessions, give the same scores.
        #expect(try runSeqHunt(["score", sessions, "--out", dir + "/scores.csv", "--quiet"]).status == 0)
        #expect(try runSeqHunt(["score", dir + "/scores.csv", "--out", dir + "/again.csv", "--quiet"]).status == 0)
        func column(_ path: String, _ name: String) throws -> [Substring] {
            let table = try SessionReader.read(paths: [path])
            let c = try #require(table.columns.firstIndex(of: name))
            return table.rows.map { Substring($0[c] ?? "") }
        }
        #expect(
            try column(dir + "/scores.csv", "rarest_window3_log_likelihood")
                == column(dir + "/again.csv", "rarest_window3_log_likelihood"))
        // explain: the terms of session 7, adding up to its score.
        let explained = try runSeqHunt(["explain", dir + "/scores.csv", "--session", "7"])
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout.hasPrefix("session 7: "))
        #expect(explained.stdout.contains("reason: ") && explained.stdout.contains("window log likelihood"))
        let missing = try runSeqHunt(["explain", dir + "/scores.csv", "--session", "100000"])
        #expect(missing.status != 0 && missing.stderr.contains("there is no session 100000"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
    }

    @Test("run: the table's numbers are the page's ring numbers, and the session ids agree")
    func numbersAgree() throws {
        let dir = try temporaryDirectory()
        try Self.tiedSessions().write(toFile: dir + "/s.jsonl", atomically: true, encoding: .utf8)
        let run = try runSeqHunt(["score", dir + "/s.jsonl", "--out", dir + "/scores.csv", "--type", "cmds", "--quiet"])
        #expect(run.status == 0)
        let plot = try runSeqHunt([
            "plot", dir + "/scores.csv", "--html", dir + "/t.html", "--png", dir + "/t.png", "--top", "5"
        ])
        #expect(plot.status == 0, "\(plot.stderr)")
        let table = try runSeqHunt([
            "score", dir + "/s.jsonl", "--out", dir + "/again.csv", "--type", "cmds", "--top", "5"
        ])
        let tableIDs = table.stdout.split(separator: "\n").filter { $0.first?.isNumber == true }
            .map { Int($0.split(separator: " ", omittingEmptySubsequences: true)[1])! }
        // The page's data: marked points carry their rank and session id.
        let html = try String(contentsOfFile: dir + "/t.html", encoding: .utf8)
        let start = try #require(html.range(of: "<script type=\"application/json\" id=\"data\">")).upperBound
        let end = try #require(html.range(of: "</script>", range: start..<html.endIndex)).lowerBound
        let data = try #require(try JSONSerialization.jsonObject(with: Data(html[start..<end].utf8)) as? [String: Any])
        let points = try #require(data["points"] as? [[String: Any]])
        let marked = points.filter { $0["r"] != nil }.sorted { ($0["r"] as! Int) < ($1["r"] as! Int) }
        // All 12 tied sessions are marked (the tie group, under the cap), ranks 1...12.
        #expect(marked.map { $0["r"] as! Int } == Array(1...12))
        #expect(Array(marked.prefix(5).map { $0["id"] as! Int }) == tableIDs)
        #expect(data["more"] is NSNull)
    }
}
