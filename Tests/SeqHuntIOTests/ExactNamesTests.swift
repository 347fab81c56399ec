import Foundation
import SeqHunt
@testable import SeqHuntIO
import SeqHuntTestSupport
import Testing

/// Names are equal when their UTF-8 bytes are, as in msticpy (Python) and Kusto.
@Suite("Exact names")
struct ExactNamesTests {
    static let nfc = "Set-Caf\u{E9}"          // é precomposed
    static let nfd = "Set-Cafe\u{301}"        // e + combining acute accent

    @Test("NFC and NFD spellings are two commands: the attacker's spelling stands alone, and outputs keep its bytes")
    func normalisation() throws {
        #expect(Self.nfc == Self.nfd)   // Swift's String equality would merge them
        var lines: [String] = []
        for i in 0..<21 { lines.append("{\"UserId\":\"admin\(i)\",\"cmds\":[\"Get-Mailbox\",\"\(Self.nfc)\",\"Get-Mailbox\"]}") }
        lines.append("{\"UserId\":\"attacker\",\"cmds\":[\"Get-Mailbox\",\"\(Self.nfd)\",\"Get-Mailbox\"]}")
        let text = lines.joined(separator: "\n") + "\n"
        let table = try SessionReader.read(bytes: Array(text.utf8), file: "s.jsonl")
        #expect(table.store.commands.count == 3 + 2 + 1)   // START, END, UNK, Get-Mailbox and two spellings
        let model = try Model(training: table.store, type: .commands)
        let scores = try model.score(table.store, options: ScoringOptions(windowLengths: [3]))
        let column = try #require(scores.rarestWindows(length: 3))
        let attacker = column.logLikelihood[21]
        #expect((0..<21).allSatisfy { column.logLikelihood[$0] > attacker })
        // Saved and loaded, the model keeps the two spellings apart.
        let loaded = try ModelFile.decode(ModelFile.encode(model), path: "m")
        let rescored = try loaded.score(table.store, options: ScoringOptions(windowLengths: [3]))
        #expect(rescored.rarestWindows(length: 3)!.logLikelihood == column.logLikelihood)
        // Through the command line, the scores keep the input's bytes.
        let result = try runSeqHunt(["score", "-", "--out", "-", "--format", "jsonl", "--type", "cmds", "--quiet"]) {
            try? $0.write(contentsOf: Data(text.utf8))
        }
        #expect(result.status == 0, "\(result.stderr)")
        let attackerLine = try #require(result.stdout.split(separator: "\n").last)
        #expect(Array(attackerLine.utf8).starts(with: Array("{\"session_id\":22,\"UserId\":\"attacker\",\"cmds\":[\"Get-Mailbox\",\"Set-Cafe\u{301}\"".utf8)),
                "\(attackerLine)")
    }

    @Test("the event reader keeps the spellings apart too, in commands, parameters, values and keys")
    func eventsAreExact() throws {
        let log = "TimeGenerated,UserId,ClientIP,Operation,Parameters\n"
            + "2020-01-01T00:00:00Z,\(Self.nfc),1,\(Self.nfc),\"{\"\"\(Self.nfc)\"\":\"\"\(Self.nfc)\"\"}\"\n"
            + "2020-01-01T00:00:01Z,\(Self.nfd),1,\(Self.nfd),\"{\"\"\(Self.nfd)\"\":\"\"\(Self.nfd)\"\"}\"\n"
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try log.write(toFile: dir + "/log.csv", atomically: true, encoding: .utf8)
        let reader = EventReader()
        try reader.read(path: dir + "/log.csv")
        let columns = reader.events.columns
        #expect(reader.keyCount == 2)
        #expect(columns.commands.count == 3 + 2 && columns.parameters.count == 1 + 2 && columns.values.count == 2)
    }
}
