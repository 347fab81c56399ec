import Foundation
import SeqHuntTestSupport
import Testing

/// Hostile and extreme input through the built `seqhunt`: each works in linear time and bounded
/// memory or fails with one clear line, whatever command reads it.
@Suite("Hostile and extreme input, through seqhunt")
struct HostileInputCommandLineTests {
    @Test("a 300 MB header is one clear line after 256 MiB, whatever reads it")
    func longHeader() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A sparse file: a quote that opens a header field, then 300 MB that never end it.
        let path = dir + "/header.csv"
        try "\"TimeGenerated".write(toFile: path, atomically: true, encoding: .utf8)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 300 << 20)
        try handle.close()
        for command in [["score", path, "--out", dir + "/s.csv"], ["plot", path, "--png", dir + "/p.png"]] {
            let result = try runSeqHunt(command)
            #expect(result.status == 2 && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(result.stderr.contains("256 MiB"), "\(command[0]): \(result.stderr)")
        }
    }

    @Test("a session without a readable start time is counted in the timeline's footnote, not dropped silently")
    func undatedSessions() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try
            "{\"UserId\":\"a\",\"begin\":\"2020-04-18T04:50:30Z\",\"cmds\":[\"A\",\"B\"]}\n{\"UserId\":\"b\",\"begin\":\"+10000-01-01T00:00:00Z\",\"cmds\":[\"A\"]}\n"
            .write(toFile: dir + "/s.jsonl", atomically: true, encoding: .utf8)
        #expect(
            try runSeqHunt(["score", dir + "/s.jsonl", "--out", dir + "/scores.csv", "--window", "1", "--quiet"]).status
                == 0)
        let plot = try runSeqHunt(["plot", dir + "/scores.csv", "--png", dir + "/t.png", "--html", dir + "/t.html"])
        #expect(plot.status == 0, "\(plot.stderr)")
        #expect(try String(contentsOfFile: dir + "/t.html", encoding: .utf8).contains("\"undated\":1"))
    }
}
