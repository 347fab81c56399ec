import Foundation
@_spi(Internals) import SeqHuntFormats
@_spi(Internals) import SeqHuntIO
import SeqHuntTestSupport
import Testing

/// Output safety and accounting, through the command line.
@Suite("Output safety and row accounting")
struct OutputSafetyCommandLineTests {
    @Test("text cells that a spreadsheet would evaluate are written as text; numbers are not touched")
    func formulaCells() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log =
            officeActivityHeader
            + "2020-01-01T00:00:00Z,\"=HYPERLINK(\"\"http://evil\"\")\",+1,Get-Mailbox,\n"
            + "2020-01-01T00:00:10Z,\"=HYPERLINK(\"\"http://evil\"\")\",+1,@SUM(A1),\n"
            + "2020-01-01T00:00:00Z,-2+3,@x,Set-Mailbox,\n"
        try log.write(toFile: dir + "/log.csv", atomically: true, encoding: .utf8)
        let run = try runSeqHunt([
            "run", dir + "/log.csv", "--out", dir + "/out", "--type", "cmds", "--write-sessions", "--quiet"
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let scores = try String(contentsOfFile: dir + "/out/scores.csv", encoding: .utf8)
        let rows = scores.split(separator: "\n").dropFirst()
        let logColumn = try #require(
            scores.split(separator: "\n")[0].split(separator: ",").firstIndex(of: "log_likelihood"))
        // (After the session_id.)
        #expect(rows.contains { $0.hasPrefix("1,\"'-2+3\",\"'@x\",") })
        #expect(rows.contains { $0.hasPrefix("2,\"'=HYPERLINK(\"\"http://evil\"\")\",\"'+1\",") })
        // Every cell of every row: no bare formula start; log likelihoods stay plain negative numbers.
        for row in rows {
            let cells = try #require(
                try Array(row.utf8).withUnsafeBufferPointer { bytes in
                    var scanner = CSVScanner(bytes: bytes, file: "scores.csv")
                    return try scanner.nextRecord()
                })
            for cell in cells { #expect(!(cell.first.map { "=+@".contains($0) } ?? false), "\(cell)") }
            #expect(Double(cells[logColumn])! < 0)
        }
        let sessions = try String(contentsOfFile: dir + "/out/sessions.jsonl", encoding: .utf8)
        #expect(
            sessions.contains("\"UserId\":\"=HYPERLINK(\\\"http://evil\\\")\""), "JSON Lines keeps the text as it is")
    }

    @Test("every input row is accounted for: read = kept + filtered + skipped, kept = in sessions = scored")
    func nothingLost() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let demo = try runSeqHunt(["demo", "--sessions", "300", "--seed", "9", "--log-only", "--out", dir])
        #expect(demo.status == 0)
        var log = try String(contentsOfFile: dir + "/OfficeActivity.csv", encoding: .utf8)
        log += "not-a-time,eve@x.com,1.1.1.1,Get-Mailbox,[],ExchangeAdmin\n"
        log += "2020-04-18T04:50:40Z,eve@x.com,1.1.1.1,Get-Mailbox,\"{bad\",ExchangeAdmin\n"
        try log.write(toFile: dir + "/log.csv", atomically: true, encoding: .utf8)
        let run = try runSeqHunt([
            "run", dir + "/log.csv", "--out", dir + "/out", "--write-sessions", "--record-type", "ExchangeAdmin",
            "--exclude-user-prefix", "NT AUTHORITY", "--on-error", "skip",
            "--stats", dir + "/stats.json", "--quiet"
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let stats = try JSONParser.parse(String(contentsOfFile: dir + "/stats.json", encoding: .utf8))
        func number(_ key: String) throws -> Int {
            guard case .number(let text)? = stats[key], let value = Int(text) else {
                throw CocoaError(.coderValueNotFound)
            }
            return value
        }
        let rowsRead = try number("rows_read"), filtered = try number("rows_filtered"),
            skipped = try number("rows_skipped")
        let events = try number("events"), sessions = try number("sessions"), scored = try number("sessions_scored")
        // The generator says how many rows it wrote (its Parameters cells span lines); two were added.
        let wrote = try #require(
            demo.stderr.split(separator: " ").firstIndex(of: "events").map { demo.stderr.split(separator: " ")[$0 - 1] }
        )
        let dataRows = try #require(Int(wrote)) + 2
        #expect(rowsRead == dataRows)
        #expect(filtered > 0 && skipped == 2)
        #expect(rowsRead == events + filtered + skipped)
        // The sessions written hold every kept event, and every session was scored.
        let written = try String(contentsOfFile: dir + "/out/sessions.jsonl", encoding: .utf8).split(separator: "\n")
        let eventsWritten = try written.reduce(0) { total, line in
            guard case .array(let cmds)? = try JSONParser.parse(String(line))["cmds"] else { return total }
            return total + cmds.count
        }
        #expect(eventsWritten == events && written.count == sessions && scored == sessions)
        let scoreRows =
            try String(contentsOfFile: dir + "/out/scores.csv", encoding: .utf8).split(separator: "\n").count - 1
        #expect(scoreRows == sessions)
        #expect(
            run.stderr.contains(
                "\(rowsRead) rows read = \(events) events kept + \(filtered) filtered out + 2 bad rows skipped"))
    }
}
