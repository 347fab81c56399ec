import Foundation
import SeqHuntTestSupport
import Testing

/// Writes `text` in `pieces` pieces with a pause between them: a slow producer.
func writeSlowly(_ text: String, pieces: Int, to handle: FileHandle) {
    let bytes = Array(text.utf8)
    let step = max(1, bytes.count / pieces)
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + step)
        try? handle.write(contentsOf: Data(bytes[start..<end]))
        start = end
        usleep(2_000)
    }
}

/// Every common form of a real log goes in as it comes, exactly once, or fails with one line:
/// through the built `seqhunt` (pipes, FIFOs, compressed files, portal exports, flags that name columns).
@Suite("Inputs as they come")
struct InputFormsCommandLineTests {
    static let header = officeActivityHeader

    /// `n` events of `n / 3` users, one CSV row each (times a second apart per user).
    static func csvLog(_ n: Int) -> String {
        var text = header
        for i in 0..<n {
            text +=
                "2020-04-18T04:\(String(format: "%02d", (i / 3) % 60)):\(String(format: "%02d", i % 60))Z,user\(i % 97)@x.com,10.0.0.\(i % 7),"
                + "Set-Mailbox,\"[{\"\"Name\"\":\"\"Identity\"\",\"\"Value\"\":\"\"v\(i % 5)\"\"}]\"\n"
        }
        return text
    }

    /// The same events as JSON Lines.
    static func jsonLog(_ n: Int) -> String {
        (0..<n).map { i in
            "{\"TimeGenerated\":\"2020-04-18T04:\(String(format: "%02d", (i / 3) % 60)):\(String(format: "%02d", i % 60))Z\","
                + "\"UserId\":\"user\(i % 97)@x.com\",\"ClientIP\":\"10.0.0.\(i % 7)\",\"Operation\":\"Set-Mailbox\","
                + "\"Parameters\":[{\"Name\":\"Identity\",\"Value\":\"v\(i % 5)\"}]}\n"
        }.joined()
    }

    static func rowsRead(_ statsPath: String) throws -> Int {
        let stats =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: statsPath))) as! [String: Any]
        return stats["rows_read"] as! Int
    }

    // MARK: Pipes, FIFOs, standard input and output

    @Test("N rows written slowly through a pipe and through a FIFO are N rows read: CSV, JSON Lines and sessions")
    func slowPipesLoseNothing() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let n = 3000
        for (name, log) in [("csv", Self.csvLog(n)), ("jsonl", Self.jsonLog(n))] {
            // Standard input, a pipe.
            let piped = try runSeqHunt([
                "sessionize", "-", "--out", dir + "/s-\(name).jsonl", "--stats", dir + "/pipe-\(name).json", "--quiet"
            ]) {
                writeSlowly(log, pieces: 60, to: $0)
            }
            #expect(piped.status == 0, "\(piped.stderr)")
            #expect(try Self.rowsRead(dir + "/pipe-\(name).json") == n)
            // A named FIFO.
            let fifo = dir + "/fifo-\(name)"
            #expect(mkfifo(fifo, 0o600) == 0)
            let writer = Thread {
                if let handle = FileHandle(forWritingAtPath: fifo) {
                    writeSlowly(log, pieces: 60, to: handle)
                    try? handle.close()
                }
            }
            writer.start()
            let fromFIFO = try runSeqHunt([
                "sessionize", fifo, "--out", dir + "/f-\(name).jsonl", "--stats", dir + "/fifo-\(name).json", "--quiet"
            ])
            #expect(fromFIFO.status == 0, "\(fromFIFO.stderr)")
            #expect(try Self.rowsRead(dir + "/fifo-\(name).json") == n)
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: dir + "/s-\(name).jsonl"))
                    == Data(contentsOf: URL(fileURLWithPath: dir + "/f-\(name).jsonl")))
        }
        // A sessions file through a slow pipe and a FIFO: every session scored.
        let sessions = try String(contentsOfFile: dir + "/s-csv.jsonl", encoding: .utf8)
        let count = sessions.split(separator: "\n").count
        #expect(count > 100)
        let scored = try runSeqHunt(["score", "-", "--out", "-", "--format", "jsonl", "--quiet"]) {
            writeSlowly(sessions, pieces: 40, to: $0)
        }
        #expect(scored.status == 0, "\(scored.stderr)")
        #expect(scored.stdout.split(separator: "\n").count == count)
        let fifo = dir + "/fifo-sessions"
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            if let handle = FileHandle(forWritingAtPath: fifo) {
                writeSlowly(sessions, pieces: 40, to: handle)
                try? handle.close()
            }
        }
        writer.start()
        let fromFIFO = try runSeqHunt(["score", fifo, "--out", "-", "--format", "jsonl", "--quiet"])
        #expect(fromFIFO.status == 0 && fromFIFO.stdout == scored.stdout, "\(fromFIFO.stderr)")
    }

    @Test("- reads standard input; --out - writes standard output, and needs --format")
    func standardStreams() throws {
        let log = Self.csvLog(60)
        let result = try runSeqHunt(["score", "-", "--out", "-", "--format", "jsonl", "--top", "3"]) {
            try? $0.write(contentsOf: Data(log.utf8))
        }
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("{\"session_id\":") })
        #expect(result.stderr.contains("rank"))  // the table goes to stderr when stdout holds the scores
        let noFormat = try runSeqHunt(["score", "-", "--out", "-"]) { try? $0.write(contentsOf: Data(log.utf8)) }
        #expect(noFormat.status != 0 && noFormat.stderr.contains("--format"))
        let csv = try runSeqHunt(["sessionize", "-", "--out", "-", "--format", "csv"]) {
            try? $0.write(contentsOf: Data(log.utf8))
        }
        #expect(
            csv.status == 0
                && csv.stdout.hasPrefix("UserId,ClientIP,begin,end,duration,nCmds,nDistinctCmds,cmds,params\n"),
            "\(csv.stderr)")
    }

    // MARK: Compressed and wrapped files

    @Test(
        "gzip (by its magic bytes, whatever the name, members concatenated) and zstd read as the plain file; truncation is one line"
    )
    func compressed() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = Self.csvLog(600)
        try log.write(toFile: dir + "/log.csv", atomically: true, encoding: .utf8)
        let plain = try runSeqHunt(["score", dir + "/log.csv", "--out", dir + "/plain.csv", "--quiet"])
        #expect(plain.status == 0, "\(plain.stderr)")
        let half = log.utf8.count / 2
        func shell(_ command: String) throws { #expect(try runShell(command) == 0, "\(command)") }
        try shell(
            "cd \(dir) && gzip -c log.csv > log.data && head -c \(half) log.csv | gzip -c > two.gz && tail -c +\(half + 1) log.csv | gzip -c >> two.gz"
        )
        // `make test` installs the zstd tool (Debian's zstd) with libzstd.
        try shell("cd \(dir) && zstd -q -c log.csv > log.zst")
        for name in ["log.data", "two.gz", "log.zst"] {
            let result = try runSeqHunt(["score", dir + "/" + name, "--out", dir + "/\(name).csv", "--quiet"])
            #expect(result.status == 0, "\(name): \(result.stderr)")
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: dir + "/\(name).csv"))
                    == Data(contentsOf: URL(fileURLWithPath: dir + "/plain.csv")), "\(name)")
        }
        try shell("cd \(dir) && head -c 2000 log.data > cut.gz")
        let cut = try runSeqHunt(["score", dir + "/cut.gz", "--out", dir + "/cut.csv"])
        #expect(
            cut.status == 2 && cut.stderr.split(separator: "\n").count == 1
                && cut.stderr.contains("gzip data ends too soon"), "\(cut.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/cut.csv"))
    }

    @Test(
        "a JSON array of records and {\"Records\": [...]} files are read record by record, pretty-printed or not, one after another"
    )
    func documentsOfRecords() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let records = Self.jsonLog(300).split(separator: "\n").map(String.init)
        try (records.joined(separator: "\n") + "\n").write(
            toFile: dir + "/lines.jsonl", atomically: true, encoding: .utf8)
        // What `az ... -o json` and `to_json(orient="records")` write, and CloudTrail files as AWS delivers them.
        let pretty =
            "[\n  " + records.map { $0.replacingOccurrences(of: ",\"", with: ",\n    \"") }.joined(separator: ",\n  ")
            + "\n]"
        try pretty.write(toFile: dir + "/array.json", atomically: true, encoding: .utf8)
        try ("[" + records.joined(separator: ",") + "]").write(
            toFile: dir + "/minified.json", atomically: true, encoding: .utf8)
        let trail =
            "{\"Records\":[" + records[0..<150].joined(separator: ",") + "]}\n{\"Records\": [\n"
            + records[150...].joined(separator: ",\n") + "\n]}"
        try trail.write(toFile: dir + "/cloudtrail.json", atomically: true, encoding: .utf8)
        let expected = try runSeqHunt(["sessionize", dir + "/lines.jsonl", "--out", dir + "/lines.out.jsonl", "--quiet"]
        )
        #expect(expected.status == 0, "\(expected.stderr)")
        for name in ["array.json", "minified.json", "cloudtrail.json"] {
            let result = try runSeqHunt(["sessionize", dir + "/" + name, "--out", dir + "/\(name).out.jsonl", "--quiet"]
            )
            #expect(result.status == 0, "\(name): \(result.stderr)")
            #expect(
                try String(contentsOfFile: dir + "/\(name).out.jsonl", encoding: .utf8)
                    == String(contentsOfFile: dir + "/lines.out.jsonl", encoding: .utf8), "\(name)")
        }
        // A bad record is named by the line it starts on (each record above takes six lines,
        // after the "[" line); an array that never closes is one line.
        var broken = records
        broken[3] = broken[3].replacingOccurrences(of: "2020-04-18T04:01:03Z", with: "yesterday")
        #expect(broken[3] != records[3])
        let brokenText =
            "[\n  " + broken.map { $0.replacingOccurrences(of: ",\"", with: ",\n    \"") }.joined(separator: ",\n  ")
            + "\n]"
        try brokenText.write(toFile: dir + "/broken.json", atomically: true, encoding: .utf8)
        let bad = try runSeqHunt(["sessionize", dir + "/broken.json", "--out", dir + "/b.jsonl"])
        #expect(
            bad.status == 2 && bad.stderr.contains("broken.json:\(2 + 6 * 3):")
                && bad.stderr.contains("unparseable time"), "\(bad.stderr)")
        try "[\(records[0]),".write(toFile: dir + "/open.json", atomically: true, encoding: .utf8)
        let open = try runSeqHunt(["sessionize", dir + "/open.json", "--out", dir + "/o.jsonl"])
        #expect(
            open.status == 2
                && open.stderr.contains("open.json:1: the JSON array of records that opens here never closes"),
            "\(open.stderr)")
    }

    @Test(
        "binary input is refused with one line that says what it is and what to do",
        arguments: [
            ("events.parquet", [0x50, 0x41, 0x52, 0x31, 0x15, 0x04, 0x15, 0x10], "is a Parquet file"),
            ("events.csv", [0xFF, 0xFE, 0x54, 0x00, 0x69, 0x00, 0x6D, 0x00], "is UTF-16 text"),
            (
                "utf16.csv",
                Array(
                    String(repeating: "TimeGenerated,UserId\n", count: 4).utf16.flatMap {
                        [UInt8($0 & 0xFF), UInt8($0 >> 8)]
                    }), "looks like UTF-16 text"
            ),
            ("shot.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "is a PNG image"),
            ("log.xlsx", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], "is a ZIP archive")
        ] as [(String, [UInt8], String)])
    func binary(name: String, bytes: [UInt8], expected: String) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(bytes)))
        let result = try runSeqHunt(["score", dir + "/" + name, "--out", dir + "/s.csv"])
        #expect(result.status == 2 && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("\(name): \(expected)"), "\(result.stderr)")
        #expect(!result.stderr.contains("\\u{0}"))
    }

    // MARK: Portal exports and times

    @Test(
        "Azure portal exports: 'TimeGenerated [UTC]' and locale times; day or month first decided by the file, or asked for"
    )
    func portalExports() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let header = "TimeGenerated [UTC],UserId,ClientIP,Operation,Parameters\n"
        let dayFirst =
            header
            + "\"05/04/2025, 09:45:54.000\",a,b,Get-Mailbox,\n\"21/04/2025, 09:45:55.1234567\",a,b,Set-Mailbox,\n"
        try dayFirst.write(toFile: dir + "/day.csv", atomically: true, encoding: .utf8)
        let day = try runSeqHunt([
            "sessionize", dir + "/day.csv", "--out", "-", "--format", "jsonl", "--max-gap", "400d", "--max-session",
            "400d"
        ])
        #expect(day.status == 0, "\(day.stderr)")
        // 05/04 is read day-first because 21/04 settles the file; 100 ns precision is kept.
        #expect(
            day.stdout.contains("\"begin\":\"2025-04-05T09:45:54Z\",\"end\":\"2025-04-21T09:45:55.1234567Z\""),
            "\(day.stdout)")
        let monthFirst =
            header + "\"4/18/2020, 4:50:30.000 AM\",a,b,Get-Mailbox,\n\"4/18/2020, 4:50:31.000 PM\",a,b,Set-Mailbox,\n"
        try monthFirst.write(toFile: dir + "/month.csv", atomically: true, encoding: .utf8)
        let month = try runSeqHunt(["sessionize", dir + "/month.csv", "--out", "-", "--format", "jsonl"])
        #expect(
            month.status == 0 && month.stdout.contains("\"begin\":\"2020-04-18T04:50:30Z\"")
                && month.stdout.contains("\"begin\":\"2020-04-18T16:50:31Z\""), "\(month.stdout)\(month.stderr)")
        let ambiguous =
            header + "\"05/04/2025, 09:45:54.000\",a,b,Get-Mailbox,\n\"06/04/2025, 09:45:55.000\",a,b,Set-Mailbox,\n"
        try ambiguous.write(toFile: dir + "/ambiguous.csv", atomically: true, encoding: .utf8)
        let asked = try runSeqHunt(["sessionize", dir + "/ambiguous.csv", "--out", dir + "/a.jsonl"])
        #expect(
            asked.status == 2 && asked.stderr.contains("ambiguous.csv:2:") && asked.stderr.contains("--time-format"),
            "\(asked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/a.jsonl"))
        let told = try runSeqHunt([
            "sessionize", dir + "/ambiguous.csv", "--out", "-", "--format", "jsonl", "--time-format",
            "%d/%m/%Y, %H:%M:%S.%f"
        ])
        #expect(told.status == 0 && told.stdout.contains("\"begin\":\"2025-04-05T09:45:54Z\""), "\(told.stderr)")
        let mixed =
            header + "\"21/04/2025, 09:45:54.000\",a,b,Get-Mailbox,\n\"04/21/2025, 09:45:55.000\",a,b,Set-Mailbox,\n"
        try mixed.write(toFile: dir + "/mixed.csv", atomically: true, encoding: .utf8)
        let both = try runSeqHunt(["sessionize", dir + "/mixed.csv", "--out", dir + "/m.jsonl"])
        #expect(
            both.status == 2 && both.stderr.contains("day-first on line 2 but month-first on line 3"), "\(both.stderr)")
    }

    @Test("epoch times as pandas writes them (milliseconds, JSON numbers) and in seconds, micro- and nanoseconds")
    func epochTimes() throws {
        let lines = ["1587185430000", "\"1587185431\"", "1587185432000000", "1587185433000000000"].enumerated().map {
            i, time in
            "{\"TimeGenerated\":\(time),\"UserId\":\"u\",\"ClientIP\":\"c\",\"Operation\":\"Op\(i)\"}"
        }.joined(separator: "\n")
        let result = try runSeqHunt(["sessionize", "-", "--out", "-", "--format", "jsonl"]) {
            try? $0.write(contentsOf: Data(lines.utf8))
        }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains(
                "\"begin\":\"2020-04-18T04:50:30Z\",\"end\":\"2020-04-18T04:50:33Z\",\"duration\":3,\"nCmds\":4"),
            "\(result.stdout)")
    }

    // MARK: Columns

    @Test("nested JSON fields by dotted path; a dotted member name wins; names compared unescaped")
    func nestedFields() throws {
        let trail = """
            {"Records":[
            {"eventTime":"2021-01-01T00:00:00Z","eventName":"GetObject","userIdentity":{"arn":"arn:aws:iam::1:user/alice","type":"IAMUser"},"sourceIPAddress":"1.2.3.4","requestParameters":{"bucketName":"logs","key":"a"}},
            {"eventTime":"2021-01-01T00:00:05Z","eventName":"PutObject","userIdentity":{"arn":"arn:aws:iam::1:user/alice"},"sourceIPAddress":"1.2.3.4","requestParameters":{"bucketName":"logs","key":"b"}},
            {"eventTime":"2021-01-01T00:00:06Z","eventName":"GetObject","userIdentity":{"arn":"arn:aws:iam::1:user/bob"},"userIdentity.arn":"top-level wins","sourceIPAddress":"5.6.7.8","requestParameters":null},
            {"event\\u0054ime":"2021-01-01T00:00:07Z","eventName":"ListBuckets","userIdentity":{"arn":"arn:aws:iam::1:user/carol"},"sourceIPAddress":"9.9.9.9"}
            ]}
            """
        let result = try runSeqHunt([
            "sessionize", "-", "--out", "-", "--format", "jsonl", "--key-cols", "userIdentity.arn,sourceIPAddress",
            "--time-col", "eventTime", "--event-col", "eventName", "--params-col", "requestParameters"
        ]) {
            try? $0.write(contentsOf: Data(trail.utf8))
        }
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3, "\(result.stdout)")
        #expect(lines.first { $0.contains("alice") }?.contains("\"cmds\":[\"GetObject\",\"PutObject\"]") == true)
        #expect(lines.first { $0.contains("alice") }?.contains("{\"Name\":\"key\",\"Value\":\"b\"}") == true)
        #expect(
            lines.contains { $0.hasPrefix("{\"userIdentity.arn\":\"top-level wins\",\"sourceIPAddress\":\"5.6.7.8\"") })
        #expect(lines.contains { $0.contains("carol") })
    }

    @Test("a column that a flag names but the input lacks is one line naming the columns there are")
    func absentColumns() throws {
        let csv = Self.header + "2020-04-18T04:50:30Z,a,b,Get-Mailbox,[]\n"
        let params = try runSeqHunt(["sessionize", "-", "--out", "-", "--format", "jsonl", "--params-col", "Parameter"])
        { try? $0.write(contentsOf: Data(csv.utf8)) }
        #expect(
            params.status == 2
                && params.stderr.contains(
                    "stdin:1: missing column \"Parameter\" (columns: \"TimeGenerated\", \"UserId\", \"ClientIP\", \"Operation\", \"Parameters\")"
                ), "\(params.stderr)")
        let json =
            "{\"TimeGenerated\":\"2020-04-18T04:50:30Z\",\"UserId\":\"a\",\"ClientIP\":\"b\",\"Operation\":\"A\"}\n"
        let jsonParams = try runSeqHunt(["sessionize", "-", "--out", "-", "--format", "jsonl", "--params-col", "Params"]
        ) { try? $0.write(contentsOf: Data(json.utf8)) }
        #expect(
            jsonParams.status == 2 && jsonParams.stderr.contains("no record has the column \"Params\""),
            "\(jsonParams.stderr)")
        // Without --params-col, a log with no Parameters is a log without parameters.
        let none = try runSeqHunt(["sessionize", "-", "--out", "-", "--format", "jsonl"]) {
            try? $0.write(contentsOf: Data(json.utf8))
        }
        #expect(none.status == 0, "\(none.stderr)")
        // A column in some records and not others: the missing ones are empty.
        let some = json + "{\"TimeGenerated\":\"2020-04-18T04:50:31Z\",\"UserId\":\"a\",\"Operation\":\"B\"}\n"
        let partial = try runSeqHunt(["sessionize", "-", "--out", "-", "--format", "jsonl"]) {
            try? $0.write(contentsOf: Data(some.utf8))
        }
        #expect(partial.status == 0 && partial.stdout.split(separator: "\n").count == 2, "\(partial.stderr)")
        let exclude = try runSeqHunt(["sessionize", "-", "--out", "-", "--format", "jsonl", "--exclude", "Account=x"]) {
            try? $0.write(contentsOf: Data(csv.utf8))
        }
        #expect(exclude.status == 2 && exclude.stderr.contains("missing column \"Account\""), "\(exclude.stderr)")
    }

    // MARK: Empty input

    @Test("empty input gives valid, empty outputs and exit 0; all rows bad still says why")
    func emptyInput() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.header.write(toFile: dir + "/header.csv", atomically: true, encoding: .utf8)
        let run = try runSeqHunt([
            "run", dir + "/header.csv", "--out", dir + "/hunt", "--wide-scores", "--write-sessions"
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("no events left to sessionize: the outputs are empty"))
        #expect(
            try String(contentsOfFile: dir + "/hunt/scores.csv", encoding: .utf8).hasPrefix(
                "session_id,UserId,ClientIP,begin,end,duration,nCmds,nDistinctCmds,cmds,params,session,"))
        // (Its size, not its text: Foundation's String(contentsOfFile:) leaks its buffer on an empty file.)
        #expect(try FileManager.default.attributesOfItem(atPath: dir + "/hunt/sessions.jsonl")[.size] as? Int == 0)
        try "TimeGenerated,UserId,ClientIP,Operation,RecordType\n2020-04-18T04:50:30Z,a,b,Get-Mailbox,SharePoint\n"
            .write(toFile: dir + "/other.csv", atomically: true, encoding: .utf8)
        let filtered = try runSeqHunt([
            "score", dir + "/other.csv", "--out", "-", "--format", "jsonl", "--record-type", "ExchangeAdmin"
        ]) { _ in }
        #expect(filtered.status == 0 && filtered.stdout.isEmpty, "\(filtered.stderr)")
        let nothing = try runSeqHunt(["score", "-", "--out", dir + "/nothing.csv"]) { _ in }
        #expect(nothing.status == 0, "\(nothing.stderr)")
        let bad = Self.header + "yesterday,a,b,Get-Mailbox,\n2020-04-18T04:50:30Z,a,b,,\n"
        let skipped = try runSeqHunt(["score", "-", "--out", dir + "/bad.csv", "--on-error", "skip", "--quiet"]) {
            try? $0.write(contentsOf: Data(bad.utf8))
        }
        #expect(skipped.status == 0, "\(skipped.stderr)")
        #expect(
            skipped.stderr.contains(
                "2 rows read = 0 events kept + 0 filtered out + 2 bad rows skipped (1 missing command, 1 unparseable time)"
            ), "\(skipped.stderr)")
        #expect(skipped.stderr.contains("first bad row: stdin:2: unparseable time \"yesterday\""), "\(skipped.stderr)")
    }

    // MARK: Sessions from notebooks

    @Test("sessions written by msticpy's sessionize_data: Operation_list found, or named with --cmds-col")
    func notebookSessions() throws {
        let sessions =
            "UserId,time_min,time_max,Operation_list,duration,number_events\n"
            + "alice,2020-01-01 00:00:00,2020-01-01 00:01:00,\"[\"\"Set-Mailbox\"\",\"\"New-InboxRule\"\"]\",60,2\n"
            + "bob,2020-01-01 00:00:00,2020-01-01 00:00:00,\"[\"\"Get-Mailbox\"\"]\",0,1\n"
        let found = try runSeqHunt(["score", "-", "--out", "-", "--format", "jsonl", "--type", "cmds"]) {
            try? $0.write(contentsOf: Data(sessions.utf8))
        }
        #expect(found.status == 0, "\(found.stderr)")
        #expect(
            found.stdout.contains("\"session\":[\"Set-Mailbox\",\"New-InboxRule\"]")
                && found.stdout.contains("\"number_events\":2"), "\(found.stdout)")
        let renamed = sessions.replacingOccurrences(of: "Operation_list", with: "commands")
        let named = try runSeqHunt([
            "score", "-", "--out", "-", "--format", "csv", "--type", "cmds", "--cmds-col", "commands"
        ]) { try? $0.write(contentsOf: Data(renamed.utf8)) }
        #expect(named.status == 0 && named.stdout.split(separator: "\n").count == 3, "\(named.stderr)")
        let python = "UserId,cmds\nalice,\"['Set-Mailbox', 'New-InboxRule']\"\n"
        let refused = try runSeqHunt(["score", "-", "--out", "-", "--format", "csv"]) {
            try? $0.write(contentsOf: Data(python.utf8))
        }
        #expect(
            refused.status == 2 && refused.stderr.contains("Python list")
                && refused.stderr.contains("orient=\"records\", lines=True"), "\(refused.stderr)")
    }

    // MARK: Filters and output

    @Test(
        "--since/--until (a time, or back from the latest event) and --exclude/--exclude-file are counted as filtered")
    func timeRangeAndAllowLists() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log =
            Self.header
            + [
                "2020-04-01T00:00:00Z,alice,1.1.1.1,Get-Mailbox,", "2020-04-10T00:00:00Z,alice,1.1.1.1,Set-Mailbox,",
                "2020-04-20T00:00:00Z,svc-backup,2.2.2.2,Get-Mailbox,",
                "2020-04-20T00:00:01Z,bob,10.0.0.1,Get-Mailbox,",
                "2020-04-20T00:00:02Z,carol,3.3.3.3,Remove-Mailbox,"
            ].joined(separator: "\n") + "\n"
        try log.write(toFile: dir + "/log.csv", atomically: true, encoding: .utf8)
        try "# known good\nUserId=svc-backup\n\nClientIP=10.0.0.1\n".write(
            toFile: dir + "/allow.txt", atomically: true, encoding: .utf8)
        let result = try runSeqHunt([
            "sessionize", dir + "/log.csv", "--out", "-", "--format", "jsonl", "--since", "5d",
            "--exclude-file", dir + "/allow.txt", "--exclude", "Operation=Remove-Mailbox"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        // The allow-lists drop three rows; five days back from the latest event left (alice's, on the 10th) drops one more.
        #expect(
            result.stdout.split(separator: "\n").count == 1
                && result.stdout.contains("\"begin\":\"2020-04-10T00:00:00Z\""), "\(result.stdout)")
        #expect(result.stderr.contains("5 rows read = 1 events kept + 4 filtered out"), "\(result.stderr)")
        let until = try runSeqHunt([
            "sessionize", dir + "/log.csv", "--out", "-", "--format", "jsonl", "--until", "2020-04-15T00:00:00Z"
        ])
        #expect(
            until.status == 0 && until.stdout.split(separator: "\n").count == 2
                && until.stderr.contains("3 filtered out"), "\(until.stderr)")
        let badLine = try runSeqHunt([
            "sessionize", dir + "/log.csv", "--out", "-", "--format", "jsonl", "--exclude-file", dir + "/log.csv"
        ])
        #expect(badLine.status == 2 && badLine.stderr.contains("log.csv:1: expected column=value"), "\(badLine.stderr)")
    }

    @Test("sessions come out sorted by key columns as text, then begin; JSON output has numbers as numbers")
    func outputOrderAndTypes() throws {
        let log =
            Self.header
            + [
                "2020-04-18T04:50:30Z,zed,1.1.1.1,A,", "2020-04-18T04:50:30Z,ab,9.9.9.9,A,",
                "2020-04-18T04:50:30Z,abc,1.1.1.1,A,",
                "2020-04-18T04:40:30Z,ab,10.0.0.1,B,", "2020-04-18T04:10:30Z,ab,10.0.0.1,C,"
            ].joined(separator: "\n") + "\n"
        let result = try runSeqHunt(["sessionize", "-", "--out", "-", "--format", "jsonl"]) {
            try? $0.write(contentsOf: Data(log.utf8))
        }
        #expect(result.status == 0, "\(result.stderr)")
        let keys = result.stdout.split(separator: "\n").map { line -> String in
            let object = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            #expect(
                object["nCmds"] is NSNumber && object["duration"] is NSNumber && object["nDistinctCmds"] is NSNumber)
            return "\(object["UserId"]!)|\(object["ClientIP"]!)|\(object["begin"]!)"
        }
        #expect(
            keys == [
                "ab|10.0.0.1|2020-04-18T04:10:30Z", "ab|10.0.0.1|2020-04-18T04:40:30Z",
                "ab|9.9.9.9|2020-04-18T04:50:30Z",
                "abc|1.1.1.1|2020-04-18T04:50:30Z", "zed|1.1.1.1|2020-04-18T04:50:30Z"
            ])
    }

    @Test("a parameter value is the same text whether read from events or from a sessions file")
    func oneValueText() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let event =
            #"{"TimeGenerated":"2020-04-18T04:50:30Z","UserId":"u","ClientIP":"c","Operation":"Set-X","Parameters":{"Filter":{"k":"\u0041\/b","n":[1, 2.5e3, true,null]}}}"#
        try (event + "\n").write(toFile: dir + "/events.jsonl", atomically: true, encoding: .utf8)
        let sessions = try runSeqHunt(["sessionize", dir + "/events.jsonl", "--out", dir + "/sessions.jsonl", "--quiet"]
        )
        #expect(sessions.status == 0, "\(sessions.stderr)")
        let written = try String(contentsOfFile: dir + "/sessions.jsonl", encoding: .utf8)
        #expect(
            written.contains(#"{"Name":"Filter","Value":"{\"k\":\"A/b\",\"n\":[1,2.5e3,true,null]}"}"#), "\(written)")
        // The sessions file, written by hand with the escapes, reads to the same value.
        let byHand =
            #"{"UserId":"u","cmds":["Set-X"],"params":[{"Set-X":{"Filter":{"k":"\u0041\/b","n":[1,2.5e3,true,null]}}}]}"#
        try (byHand + "\n").write(toFile: dir + "/by-hand.jsonl", atomically: true, encoding: .utf8)
        try
            "{\"UserId\":\"u\",\"cmds\":[\"Set-X\"],\"params\":[{\"Set-X\":[{\"Name\":\"Filter\",\"Value\":\"{\\\"k\\\":\\\"A/b\\\",\\\"n\\\":[1,2.5e3,true,null]}\"}]}]}\n"
            .write(toFile: dir + "/canonical.jsonl", atomically: true, encoding: .utf8)
        let a = try runSeqHunt([
            "score", dir + "/by-hand.jsonl", "--out", dir + "/a.csv", "--param-sets", dir + "/a-sets.jsonl", "--quiet"
        ])
        let b = try runSeqHunt([
            "score", dir + "/canonical.jsonl", "--out", dir + "/b.csv", "--param-sets", dir + "/b-sets.jsonl", "--quiet"
        ])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr)\(b.stderr)")
        let model = try runSeqHunt([
            "train", dir + "/events.jsonl", "--model-out", dir + "/m.seqhunt", "--modellable-params", "Filter",
            "--quiet"
        ])
        #expect(model.status == 0, "\(model.stderr)")
        let inspect = try runSeqHunt(["inspect", dir + "/m.seqhunt"])
        #expect(inspect.status == 0)
        // Scored against the model trained on the events, the value read from the sessions
        // file is the value the model knows (an unknown one would take the UNK probability).
        func likelihood(_ input: String) throws -> Double {
            let result = try runSeqHunt([
                "score", input, "--model", dir + "/m.seqhunt", "--out", "-", "--format", "jsonl", "--window", "1",
                "--quiet"
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let row = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
            return row["likelihood"] as! Double
        }
        #expect(try likelihood(dir + "/by-hand.jsonl") == likelihood(dir + "/events.jsonl"))
        #expect(try likelihood(dir + "/canonical.jsonl") == likelihood(dir + "/events.jsonl"))
        try byHand.replacingOccurrences(of: "\\/b", with: "\\/c").write(
            toFile: dir + "/other.jsonl", atomically: true, encoding: .utf8)
        #expect(try likelihood(dir + "/other.jsonl") < likelihood(dir + "/events.jsonl"))
    }
}
