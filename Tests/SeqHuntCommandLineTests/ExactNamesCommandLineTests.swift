import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntTestSupport
import Testing

/// Names are equal when their UTF-8 bytes are, as in msticpy (Python) and Kusto: the model keeps
/// the two spellings apart, saved and loaded, and the built `seqhunt` writes the input's bytes.
@Suite("Exact names, through the model and seqhunt")
struct ExactNamesCommandLineTests {
    static let nfc = setCafeNFC  // é precomposed
    static let nfd = setCafeNFD  // e + combining acute accent

    @Test("NFC and NFD spellings are two commands: the attacker's spelling stands alone, and outputs keep its bytes")
    func normalisation() throws {
        #expect(Self.nfc == Self.nfd)  // Swift's String equality would merge them
        var lines: [String] = []
        for i in 0..<21 {
            lines.append("{\"UserId\":\"admin\(i)\",\"cmds\":[\"Get-Mailbox\",\"\(Self.nfc)\",\"Get-Mailbox\"]}")
        }
        lines.append("{\"UserId\":\"attacker\",\"cmds\":[\"Get-Mailbox\",\"\(Self.nfd)\",\"Get-Mailbox\"]}")
        let text = lines.joined(separator: "\n") + "\n"
        let table = try SessionReader.read(bytes: Array(text.utf8), file: "s.jsonl")
        #expect(table.store.commands.count == 3 + 2 + 1)  // START, END, UNK, Get-Mailbox and two spellings
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
        #expect(
            Array(attackerLine.utf8).starts(
                with: Array(
                    "{\"session_id\":22,\"UserId\":\"attacker\",\"cmds\":[\"Get-Mailbox\",\"Set-Cafe\u{301}\"".utf8)),
            "\(attackerLine)")
    }
}
