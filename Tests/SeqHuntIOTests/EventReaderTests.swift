import Foundation
import SeqHunt
import SeqHuntTestSupport
import Testing

@testable import SeqHuntIO

func writeTemporary(_ name: String, _ content: String) throws -> String {
    let path = try temporaryDirectory() + "/" + name
    try content.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite("Event logs")
struct EventReaderTests {
    @Test("times: ISO 8601 with and without Z, offsets and fractions, and 'YYYY-MM-DD HH:MM:SS'")
    func times() {
        #expect(TimeParser.ticks("1970-01-01T00:00:00Z") == 0)
        #expect(TimeParser.ticks("2020-04-18T04:50:30Z") == 15_871_854_300_000_000)
        #expect(TimeParser.ticks("2020-04-18T04:50:30") == 15_871_854_300_000_000)
        #expect(TimeParser.ticks("2020-04-18 04:50:30") == 15_871_854_300_000_000)
        #expect(TimeParser.ticks("2020-04-18T06:50:30+02:00") == 15_871_854_300_000_000)
        #expect(TimeParser.ticks("2020-04-18T04:50:30.1234567Z") == 15_871_854_301_234_567)
        #expect(TimeParser.ticks("9999-12-31T23:59:59Z") == 2_534_023_007_990_000_000)
        #expect(TimeParser.ticks("1969-12-31T23:59:59Z") == -10_000_000)
        for bad in [
            "", "2020-02-30T00:00:00Z", "2020-04-18", "2020-04-18T25:00:00Z", "yesterday", "2020-04-18T04:50:30Zjunk"
        ] {
            #expect(TimeParser.ticks(bad) == nil, "\(bad)")
        }
        #expect(TimeParser.isoText(ticks: 15_871_854_302_500_000) == "2020-04-18T04:50:30.25Z")
        #expect(TimeParser.isoText(ticks: -10_000_000) == "1969-12-31T23:59:59Z")
    }

    @Test("Log Analytics CSV: multi-line Parameters, doubled quotes, BOM and CRLF; filters")
    func officeActivityCSV() throws {
        let csv =
            "\u{FEFF}TimeGenerated,UserId,ClientIP,Operation,Parameters,RecordType\r\n"
            + "2020-04-18T04:50:30Z,admin@x.com,1.2.3.4,Set-Mailbox,\"[\r\n  {\"\"Name\"\": \"\"Identity\"\", \"\"Value\"\": \"\"a\\\\b\"\"},\r\n  {\"\"Name\"\": \"\"N\"\", \"\"Value\"\": 5}\r\n]\",ExchangeAdmin\r\n"
            + "2020-04-18T04:51:30Z,NT AUTHORITY\\SYSTEM,,Get-Mailbox,[],ExchangeAdmin\r\n"
            + "2020-04-18T04:52:30Z,x@EXO.PROD.OUTLOOK.COM,,Get-Mailbox,[],ExchangeAdmin\r\n"
            + "2020-04-18T04:53:30Z,admin@x.com,1.2.3.4,Get-Item,,ExchangeItem\r\n"
            + "2020-04-18T04:54:30Z,admin@x.com,1.2.3.4,New-InboxRule,\"{\"\"ForwardTo\"\":\"\"x@evil.test\"\",\"\"Enabled\"\":true,\"\"Nested\"\":{\"\"a\"\": [1, 2]}}\",ExchangeAdmin\r\n"
        let path = try writeTemporary("office.csv", csv)
        var schema = EventSchema()
        schema.recordTypes = ["ExchangeAdmin"]
        schema.excludedUserPrefixes = ["NT AUTHORITY"]
        schema.excludedUserSubstrings = ["prod.outlook.com"]
        let reader = EventReader(schema: schema)
        try reader.read(path: path)
        #expect(reader.report.rowsRead == 5 && reader.report.eventsKept == 2 && reader.report.rowsFiltered == 3)
        let store = reader.events.columns
        #expect(store.sessionCount == 0)  // events are not sessions yet
        #expect(store.commandIDs.map { store.commands[$0] } == ["Set-Mailbox", "New-InboxRule"])
        let values = store.valueIDs.map { $0 >= 0 ? store.values.valueOfPair[Int($0)] : "" }
        #expect(values == ["a\\b", "5", "x@evil.test", "true", #"{"a":[1,2]}"#])
        #expect(reader.keyValues(of: reader.events.keys[0]) == ["admin@x.com", "1.2.3.4"])
    }

    @Test("JSON Lines events with other column names (CloudTrail style)")
    func cloudTrailJSONL() throws {
        let lines = """
            {"eventTime":"2023-01-01T00:00:00Z","userIdentity":{"arn":"arn:aws:iam::1:user/a"},"sourceIPAddress":"1.1.1.1","eventName":"ListBuckets","requestParameters":null}
            {"eventTime":"2023-01-01T00:00:30Z","userIdentity":{"arn":"arn:aws:iam::1:user/a"},"sourceIPAddress":"1.1.1.1","eventName":"GetObject","requestParameters":{"bucketName":"logs","key":"a.txt"}}

            """
        let path = try writeTemporary("trail.jsonl", lines)
        var schema = EventSchema()
        schema.timeColumn = "eventTime"
        schema.keyColumns = ["userIdentity", "sourceIPAddress"]
        schema.eventColumn = "eventName"
        schema.parametersColumn = "requestParameters"
        let loaded = try SessionLoader(schema: schema).load([path])
        #expect(loaded.kind == .events)
        #expect(loaded.table.store.sessionCount == 1)
        #expect(loaded.table.store.commandNames(ofSession: 0) == ["ListBuckets", "GetObject"])
        #expect(
            loaded.table.columns == [
                "userIdentity", "sourceIPAddress", "begin", "end", "duration", "nCmds", "nDistinctCmds"
            ])
        #expect(loaded.table.rows[0][0] == #"{"arn":"arn:aws:iam::1:user/a"}"#)
        #expect(loaded.table.rows[0][4] == "30")
    }

    /// Bad rows: the error names file, line and cause; with skip they are counted by cause.
    @Test("bad rows fail with file and line, or are skipped and counted")
    func badRows() throws {
        let csv =
            "TimeGenerated,UserId,ClientIP,Operation,Parameters\n"
            + "2020-04-18T04:50:30Z,a,,Set-Mailbox,[]\n"
            + "not a time,a,,Set-Mailbox,[]\n"
            + "2020-04-18T04:50:31Z,a,,Set-Mailbox,\"[{\"\"Name\"\":}]\"\n"
            + "2020-04-18T04:50:32Z,a,,,[]\n"
            + "2020-04-18T04:50:33Z,a,,Set-Mailbox\n"
            + "2020-04-18T04:50:34Z,a,,Get-Mailbox,\"[{\"\"Name\"\":\"\"x\"\",\"\"Value\"\":\"\"y\"\"}]\"\n"
        let path = try writeTemporary("bad.csv", csv)
        do {
            try EventReader().read(path: path)
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.line == 3 && error.description.contains("unparseable time \"not a time\""))
        }
        let reader = EventReader(policy: .skip)
        try reader.read(path: path)
        #expect(reader.report.rowsRead == 6 && reader.report.eventsKept == 2 && reader.report.rowsSkipped == 4)
        #expect(
            reader.report.skippedByCause == [
                "unparseable time": 1, "invalid Parameters JSON": 1,
                "missing command": 1, "wrong number of fields": 1
            ])
        // The skipped event with bad Parameters left nothing behind.
        #expect(reader.events.columns.parameterOccurrenceCount == 1)
    }

    @Test("the real demo data sessionizes to msticpy's 400 sessions (--boundary msticpy)")
    func msticpyParity() throws {
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
                "shared/data/demo_exchange_data.csv"
            ).path
        try #require(
            FileManager.default.fileExists(atPath: data),
            "skipped: ../shared/data/demo_exchange_data.csv is absent (it lives beside the repository)")
        let ours = try SessionLoader(sessionizer: Sessionizer(boundary: .msticpy)).load([data]).table
        let golden = try SessionReader.read(paths: [goldenDirectory + "/demo.sessions.jsonl"])
        func signature(_ t: SessionTable, _ s: Int) -> String {
            let begin = TimeParser.ticks(t.value("begin", session: s)!)!
            let end = TimeParser.ticks(t.value("end", session: s)!)!
            return [t.value("UserId", session: s) ?? "", t.value("ClientIP", session: s) ?? "", "\(begin)", "\(end)"]
                .joined(separator: "|") + "|" + t.store.commandNames(ofSession: s).joined(separator: ",")
        }
        let a = (0..<ours.store.sessionCount).map { signature(ours, $0) }
        let b = (0..<golden.store.sessionCount).map { signature(golden, $0) }
        #expect(a.count == 400)
        #expect(Set(a) == Set(b))
        #expect(a.sorted() == b.sorted())
        // Under the default kql boundary the same data may split differently only at exact limits.
        let kql = try SessionLoader().load([data]).table
        #expect(kql.store.eventCount == 1334)
    }
}

/// The reader parses a block while the previous one is absorbed on another thread: many
/// small blocks must give what one block gives, and the first bad row is still the one named.
@Suite("Event logs over many blocks")
struct EventReaderBlockTests {
    static func log(rows: Int, badRows: Set<Int> = []) -> String {
        var text = officeActivityHeader
        for row in 0..<rows {
            let time =
                badRows.contains(row)
                ? "not a time"
                : "2024-01-01T00:\(String(format: "%02d", row / 60 % 60)):\(String(format: "%02d", row % 60))Z"
            text +=
                "\(time),user\(row % 37)@contoso.com,10.0.\(row % 7).1:\(40_000 + row),Op-\(row % 11),"
                + "\"[{\"\"Name\"\": \"\"Identity\"\", \"\"Value\"\": \"\"id-\(row)\"\"}, {\"\"Name\"\": \"\"Mode\"\", \"\"Value\"\": \"\"m\(row % 3)\"\"}]\"\n"
        }
        return text
    }

    func read(_ text: String, blockSize: Int, threads: Int, policy: BadRowPolicy = .fail) throws -> EventReader {
        let reader = EventReader(policy: policy)
        reader.blockSize = blockSize
        try reader.read(path: writeTemporary("blocks.csv", text), execution: ExecutionOptions(threads: threads))
        return reader
    }

    @Test("2,000 rows in blocks of 4 KiB equal one block, on 1 and 3 threads", arguments: [1, 3])
    func sameEvents(threads: Int) throws {
        let text = Self.log(rows: 2_000)
        let whole = try read(text, blockSize: 48 << 20, threads: 1)
        let blocks = try read(text, blockSize: 4_096, threads: threads)
        let a = whole.events, b = blocks.events
        #expect(a.count == 2_000 && b.count == a.count && a.times == b.times && a.keys == b.keys)
        #expect(a.columns.commandIDs == b.columns.commandIDs && a.columns.valueIDs == b.columns.valueIDs)
        #expect(a.columns.values == b.columns.values && a.columns.commands == b.columns.commands)
        #expect(whole.keyRanks() == blocks.keyRanks() && blocks.report.bytesRead == whole.report.bytesRead)
    }

    @Test("bad rows in several blocks: the first is named; skipped, each is counted", arguments: [1, 2])
    func firstError(threads: Int) throws {
        let text = Self.log(rows: 2_000, badRows: [1_500, 700, 1_900])
        let failed = #expect(throws: InputError.self) { try read(text, blockSize: 4_096, threads: threads) }
        #expect(
            failed?.description.contains(":702: unparseable time \"not a time\"") == true,
            "\(String(describing: failed))")
        let skipped = try read(text, blockSize: 4_096, threads: threads, policy: .skip)
        #expect(skipped.events.count == 1_997 && skipped.report.skippedByCause["unparseable time"] == 3)
    }
}
