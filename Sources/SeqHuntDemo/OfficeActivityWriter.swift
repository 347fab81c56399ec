import SeqHunt
import SeqHuntIO

/// Writes generated sessions as raw events, shaped like the CSV that Log Analytics
/// exports for the `OfficeActivity` table: `TimeGenerated`, `UserId`, `ClientIP`,
/// `Operation`, `Parameters` (a quoted, multi-line JSON array of Name/Value objects)
/// and `RecordType`. A few rows are service noise that the seed query filters out
/// (`NT AUTHORITY` and `*.prod.outlook.com` users, other record types).
public enum OfficeActivityWriter {
    /// Writes `output`'s sessions to `path` (atomically: a failed write leaves no file), with
    /// noise rows drawn from `seed`, and returns the number of rows written, noise included.
    @discardableResult
    public static func write(_ output: DemoGenerator.Output, to path: String, seed: UInt64 = 1) throws -> Int {
        let writer = try AtomicFileWriter(path: path)
        try writer.write("TimeGenerated,UserId,ClientIP,Operation,Parameters,RecordType\n")
        var rng = SplitMix64(seed: seed)
        let store = output.store
        var rows = 0
        var line = ""
        for (session, info) in output.sessions.enumerated() {
            for (i, event) in store.events(ofSession: session).enumerated() {
                let time = Int64(info.begin + DemoGenerator.eventSpacing * i) * TimeParser.ticksPerSecond
                var json = "["
                for (j, occurrence) in store.parameters(ofEvent: event).enumerated() {
                    json += j == 0 ? "\n  {\n    \"Name\": " : ",\n  {\n    \"Name\": "
                    JSONText.appendQuoted(store.parameters[store.parameterIDs[occurrence]], to: &json)
                    json += ",\n    \"Value\": "
                    let v = store.valueIDs[occurrence]
                    JSONText.appendQuoted(v >= 0 ? store.values.valueOfPair[Int(v)] : "", to: &json)
                    json += "\n  }"
                }
                json += json == "[" ? "]" : "\n]"
                line.removeAll(keepingCapacity: true)
                line +=
                    TimeParser.isoText(ticks: time) + "," + CSVText.escaped(info.user) + ","
                    + CSVText.escaped(info.clientIP) + ","
                line +=
                    CSVText.escaped(store.commands[store.commandIDs[event]]) + "," + CSVText.escaped(json)
                    + ",ExchangeAdmin\n"
                try writer.write(line)
                rows += 1
            }
            // Service noise between sessions, one row in fifty.
            if rng.next() % 50 == 0 {
                let time = Int64(info.end + 60) * TimeParser.ticksPerSecond
                let noise = rng.next() % 3
                let user =
                    noise == 0
                    ? "NT AUTHORITY\\SYSTEM (Microsoft.Exchange.ServiceHost)"
                    : noise == 1
                        ? "NAMPR04A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com"
                        : info.user
                let recordType = noise == 2 ? "ExchangeItem" : "ExchangeAdmin"
                line =
                    TimeParser.isoText(ticks: time) + "," + CSVText.escaped(user) + ",,Set-MailboxFolderPermission,"
                    + "\"[{\"\"Name\"\": \"\"Identity\"\", \"\"Value\"\": \"\"Calendar\"\"}]\"," + recordType + "\n"
                try writer.write(line)
                rows += 1
            }
        }
        try writer.commit()
        return rows
    }
}
