import Foundation
import SeqHuntTestSupport
import Testing

@testable import SeqHuntIO

/// Hostile text in outputs, and extreme flags.
@Suite("Hostile text and extreme flags")
struct HostileFlagsTests {
    @Test(
        "formula cells: the first character that is not white space decides, Unicode white space, BOM and full-width forms included",
        arguments: [
            " =1+1", "\u{A0}=1+1", "\u{3000}=1+1", "\u{FEFF}=1+1", "\u{2007}@SUM(A1)", "\n=1", "\t=1", "\r=1",
            "\u{FF1D}1+1", "\u{FF0B}1", "\u{FF0D}1", "\u{FF20}SUM(A1)", " \u{A0} -2+3", "=1"
        ])
    func formulaStarts(cell: String) {
        var bytes: [UInt8] = []
        bytes.append(csvField: cell)
        #expect(
            bytes.starts(with: Array("\"'".utf8)),
            "\(cell.debugDescription) written as \(String(decoding: bytes, as: UTF8.self).debugDescription)")
    }

    @Test(
        "text that only looks near a formula stays as it is",
        arguments: ["alice", "a=1", "1+1", "x@y.com", "\u{A0}alice", "－".dropFirst().description + "ok"])
    func plainCells(cell: String) {
        var bytes: [UInt8] = []
        bytes.append(csvField: cell)
        #expect(bytes == Array(cell.utf8))
    }

    @Test("column names from a sessions file reach the terminal table without escape sequences")
    func escapesInColumnNames() throws {
        let sessions =
            "{\"cmds\":[\"A\",\"B\"],\"User\\u001b]0;owned\\u0007\\u202eId\":\"alice\"}\n{\"cmds\":[\"A\"],\"User\\u001b]0;owned\\u0007\\u202eId\":\"bob\"}\n"
        let result = try runSeqHunt([
            "score", "-", "--out", "/dev/null", "--format", "csv", "--top", "5", "--type", "cmds"
        ]) {
            try? $0.write(contentsOf: Data(sessions.utf8))
        }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("User?]0;owned??Id"), "\(result.stdout)")
        #expect(!result.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
    }

    /// Every numeric flag of every command, through zero, negative, huge, NaN and text.
    static let numericFlags: [(command: [String], flag: String)] = [
        (["score", "@sessions", "--out", "@out.csv"], "--top"),
        (["score", "@sessions", "--out", "@out.csv"], "--window"),
        (["score", "@sessions", "--out", "@out.csv"], "--threads"), (["run", "@events", "--out", "@hunt"], "--top"),
        (["run", "@events", "--out", "@hunt"], "--window"), (["run", "@events", "--out", "@hunt"], "--threads"),
        (["run", "@events", "--out", "@hunt"], "--max-gap"), (["run", "@events", "--out", "@hunt"], "--max-session"),
        (["sessionize", "@events", "--out", "@s.jsonl"], "--threads"),
        (["sessionize", "@events", "--out", "@s.jsonl"], "--since"),
        (["demo", "--out", "@demo", "--log-only"], "--sessions"),
        (["demo", "--out", "@demo", "--log-only", "--sessions", "20"], "--seed"),
        (["demo", "--out", "@demo", "--sessions", "20"], "--top"), (["inspect", "@model"], "--top"),
        (["plot", "@scores", "--png", "@p.png"], "--top"), (["plot", "@scores", "--png", "@p.png"], "--window"),
        (["plot", "@scores", "--png", "@p.png"], "--upper-bound"), (["plot", "@scores", "--png", "@p.png"], "--width"),
        (["plot", "@scores", "--png", "@p.png"], "--height"), (["plot", "@scores", "--png", "@p.png"], "--dpi"),
        (["train", "@events", "--model-out", "@m.seqhunt"], "--threads")
    ]

    @Test(
        "every numeric flag through 0, -1, huge, NaN and text: a result or one clear line, exit 64 or 2, never a signal",
        arguments: 0..<numericFlags.count)
    func numericFlag(index: Int) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let events = dir + "/events.csv"
        try
            (officeActivityHeader
            + "2020-04-18T04:50:30Z,a,b,Get-Mailbox,\n2020-04-18T04:50:40Z,a,b,Set-Mailbox,\n2020-04-18T05:50:40Z,c,d,Get-Mailbox,\n")
            .write(toFile: events, atomically: true, encoding: .utf8)
        try
            "{\"UserId\":\"a\",\"begin\":\"2020-04-18T04:50:30Z\",\"cmds\":[\"A\",\"B\"]}\n{\"UserId\":\"b\",\"begin\":\"2020-04-18T05:50:30Z\",\"cmds\":[\"A\"]}\n"
            .write(toFile: dir + "/sessions.jsonl", atomically: true, encoding: .utf8)
        #expect(try runSeqHunt(["score", dir + "/sessions.jsonl", "--out", dir + "/scores.csv", "--quiet"]).status == 0)
        #expect(
            try runSeqHunt(["train", dir + "/sessions.jsonl", "--model-out", dir + "/model.seqhunt", "--quiet"]).status
                == 0)
        let (command, flag) = Self.numericFlags[index]
        let arguments = command.map { argument -> String in
            switch argument {
            case "@sessions": return dir + "/sessions.jsonl"
            case "@events": return events
            case "@scores": return dir + "/scores.csv"
            case "@model": return dir + "/model.seqhunt"
            default: return argument.hasPrefix("@") ? dir + "/" + argument.dropFirst() : argument
            }
        }
        for value in [
            "0", "-1", "99999999999999999999", "1e300", "nan", "inf", "abc", "9223372036854775807", "3000000000000h",
            "1e300s"
        ] {
            let result = try runSeqHunt(arguments + ["\(flag)=\(value)", "--quiet"])
            #expect([0, 2, 64].contains(result.status), "\(flag)=\(value): status \(result.status): \(result.stderr)")
            if result.status != 0 {
                #expect(
                    result.stderr.split(separator: "\n").count <= 2 && result.stderr.contains("rror"),
                    "\(flag)=\(value): \(result.stderr)")
            }
        }
    }
}
