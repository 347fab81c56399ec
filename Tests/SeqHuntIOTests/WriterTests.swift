import Foundation
import SeqHunt
import SeqHuntTestSupport
import Testing

@_spi(Internals) @testable import SeqHuntFormats
@testable import SeqHuntIO

/// The writers, called directly: the atomic file under every output, the sessions writer and the
/// scores writer (until now reached only through the binary), and the JSON scanner that reads
/// what they write.
@Suite("Writers and the JSON scanner, directly")
struct WriterTests {
    static let sessions = """
        {"UserId":"alice","ClientIP":"10.0.0.1","begin":"2020-04-18T04:50:30Z","end":"2020-04-18T04:51:00Z",\
        "cmds":["Set-Mailbox","New-InboxRule","Set-Mailbox"],\
        "params":[{"Set-Mailbox":{"Identity":"a"}},{"New-InboxRule":{"Name":"=cmd|' /C calc'!A0"}},{"Set-Mailbox":{}}]}
        {"UserId":"bob, \\"the admin\\"","ClientIP":null,"begin":"2020-04-18T05:00:00Z","end":"2020-04-18T05:00:00Z",\
        "cmds":["Get-Mailbox"],"params":[{"Get-Mailbox":{"Identity":"caf\\u00e9\\n"}}]}

        """

    func table() throws -> SessionTable { try SessionReader.read(bytes: Array(Self.sessions.utf8), file: "mem") }

    func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// The names in `dir` other than `kept`: any is a temporary file left behind.
    func strays(_ dir: String, kept: Set<String>) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { !kept.contains($0) }
    }

    @Test("an atomic file appears whole on commit; until then, and after an abort, the old file is untouched")
    func atomicFile() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/out.csv"
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)

        let writer = try AtomicFileWriter(path: path)
        try writer.write("new,")
        try writer.write(bytes: Array(repeating: 0x41, count: 200_000))  // past the buffer: written straight through
        try writer.write("\n")
        #expect(try contents(path) == "old\n", "the final name changed before commit")
        #expect(try strays(dir, kept: ["out.csv"]).count == 1, "the temporary file is beside the output")
        try writer.commit()
        let written = try contents(path)
        #expect(written.hasPrefix("new,AAAA") && written.utf8.count == 4 + 200_000 + 1)
        #expect(try strays(dir, kept: ["out.csv"]).isEmpty)

        let aborted = try AtomicFileWriter(path: path)
        try aborted.write("half a row")
        aborted.abort()
        #expect(try contents(path) == written)
        do {
            let dropped = try AtomicFileWriter(path: path)
            try dropped.write("never committed")
        }
        #expect(try contents(path) == written, "a writer dropped without commit must discard its file")
        #expect(try strays(dir, kept: ["out.csv"]).isEmpty)
    }

    @Test("an atomic file replaces what a symbolic link names and keeps the link; inputs and folders are refused")
    func atomicFileRefusals() throws {
        let dir = try temporaryDirectory()
        let target = dir + "/target.jsonl", link = dir + "/link.jsonl"
        try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let writer = try AtomicFileWriter(path: link)
        try writer.write("new\n")
        try writer.commit()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try contents(target) == "new\n")

        #expect(throws: OutputError.self) { try AtomicFileWriter(path: link, inputs: [target]) }
        #expect(throws: OutputError.self) { try AtomicFileWriter(path: dir) }
        #expect(try contents(target) == "new\n")
        #expect(try strays(dir, kept: ["target.jsonl", "link.jsonl"]).isEmpty)
    }

    @Test("sessions written as JSON Lines and as CSV read back as the same sessions, and write again to the same bytes")
    func sessionsRoundTrip() throws {
        let dir = try temporaryDirectory()
        let table = try table()
        for ext in ["jsonl", "csv"] {
            let path = dir + "/sessions." + ext
            try SessionWriter.write(table, to: path)
            let back = try SessionReader.read(paths: [path])
            #expect(back.store.sessionCount == 2)
            for s in 0..<2 {
                #expect(back.store.commandNames(ofSession: s) == table.store.commandNames(ofSession: s))
                for column in ["UserId", "ClientIP", "begin", "end"] {
                    // CSV has no null: a missing value reads back empty.
                    let expected = table.value(column, session: s) ?? (ext == "csv" ? "" : nil)
                    #expect(back.value(column, session: s) == expected, "\(ext) \(column)")
                }
            }
            // Written again from what was read: the same bytes.
            let again = dir + "/again." + ext
            try SessionWriter.write(back, to: again)
            #expect(try contents(again) == contents(path))
        }
        let jsonl = try contents(dir + "/sessions.jsonl")
        #expect(jsonl.hasPrefix(#"{"UserId":"alice","ClientIP":"10.0.0.1","begin":"2020-04-18T04:50:30Z""#))
        #expect(jsonl.contains(#""UserId":"bob, \"the admin\"","ClientIP":null"#))
        // Parameters in msticpy's form, whichever form they were read in.
        #expect(jsonl.contains(#""params":[{"Get-Mailbox":[{"Name":"Identity","Value":"café\n"}]}]}"#))
        let csv = try contents(dir + "/sessions.csv")
        #expect(csv.hasPrefix("UserId,ClientIP,begin,end,cmds,params\n"))
        #expect(csv.contains("\n" + #""bob, ""the admin""",,2020-04-18T05:00:00Z,"#))
        #expect(
            csv.hasSuffix(
                #","[""Get-Mailbox""]","[{""Get-Mailbox"":[{""Name"":""Identity"",""Value"":""café\n""}]}]""# + "\n"))
    }

    @Test("scores: the header is columnNames, one row per session, the wide columns only when asked for")
    func scores() throws {
        let dir = try temporaryDirectory()
        let table = try table()
        let model = try Model(training: table.store, type: .commands)
        let scores = try model.score(table.store, options: ScoringOptions(windowLengths: [2]))
        let cases: [(ScoreColumns, [String])] = [
            (.narrow, []),
            (.standard, ["cmds", "params", "rarest_window2_events"]),
            ([.standard, .explanations], ["cmds", "params", "rarest_window2_events", "rarest_window2_explanation"])
        ]
        for (columns, wide) in cases {
            let names = ScoreWriter.columnNames(table: table, scores: scores, columns: columns)
            for name in ["cmds", "params", "rarest_window2_events", "rarest_window2_explanation"] {
                #expect(names.contains(name) == wide.contains(name), "\(columns) \(name)")
            }
            let csvPath = dir + "/scores.csv", jsonlPath = dir + "/scores.jsonl"
            try ScoreWriter.write(table: table, scores: scores, model: model, columns: columns, to: csvPath)
            try ScoreWriter.write(table: table, scores: scores, model: model, columns: columns, to: jsonlPath)
            let csvLines = try contents(csvPath).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(csvLines.first.map(String.init) == names.joined(separator: ","))
            #expect(csvLines.count == 1 + 2 + 1, "a header, two rows and the final newline")
            let rows = try contents(jsonlPath).split(separator: "\n").map { try JSONParser.parse(String($0)) }
            #expect(rows.count == 2)
            for (s, row) in rows.enumerated() {
                guard case .object(let members) = row else {
                    Issue.record("row \(s) is not an object")
                    continue
                }
                #expect(members.map(\.0) == names)
                let rarest = scores.rarestWindows[0].logLikelihood[s]
                if case .number(let text)? = row["rarest_window2_log_likelihood"], let value = Double(text) {
                    #expect(value == rarest, "the log likelihood is written to round-trip")
                } else {
                    Issue.record("row \(s): \(String(describing: row["rarest_window2_log_likelihood"])), not \(rarest)")
                }
            }
            #expect(rows[1]["UserId"] == .string(#"bob, "the admin""#))
        }
    }

    @Test("the JSON scanner: spans, members by name and dotted path, canonical text, and errors with offsets")
    func jsonScanner() throws {
        let text = Array(#" {"a": [1, -2.5e3, true, null], "b.c": "x", "b": {"c": "\u0041\/b", "d": {}}} "#.utf8)
        try text.withUnsafeBytes { bytes in
            var scanner = JSONScanner(bytes)
            let object = try scanner.scanValue()
            #expect(object.kind == .object && scanner.atEnd())
            func text(_ span: JSONScanner.Span?) throws -> String? {
                guard let span else { return nil }
                var out: [UInt8] = []
                guard try scanner.appendText(of: span, to: &out) else { return "null" }
                return String(decoding: out, as: UTF8.self)
            }
            #expect(try text(scanner.member(at: ArraySlice("a".utf8), in: object)) == "[1,-2.5e3,true,null]")
            // A member whose own name is the whole dotted path wins over the nested one.
            #expect(try text(scanner.member(at: ArraySlice("b.c".utf8), in: object)) == "x")
            #expect(try text(scanner.member(at: ArraySlice("b.d".utf8), in: object)) == "{}")
            #expect(try scanner.member(at: ArraySlice("b.e".utf8), in: object) == nil)
            let found = try scanner.members([Array("b".utf8), Array("z".utf8)], in: object)
            #expect(found[1] == nil)
            var canonical: [UInt8] = []
            try scanner.appendCanonical(found[0]!, to: &canonical)
            #expect(String(decoding: canonical, as: UTF8.self) == #"{"c":"A/b","d":{}}"#)
        }
        for (bad, offset) in [(#"{"a":1,}"#, 7), (#"["\u12"]"#, 3), ("[1 2]", 3), ("\"a\u{01}\"", 2), ("tru", 0)] {
            let result: Result<JSONScanner.Span, JSONScanner.SyntaxError> = Array(bad.utf8).withUnsafeBytes { bytes in
                var scanner = JSONScanner(bytes)
                do throws(JSONScanner.SyntaxError) { return .success(try scanner.scanValue()) } catch {
                    return .failure(error)
                }
            }
            guard case .failure(let error) = result else {
                Issue.record("\(bad) scanned")
                continue
            }
            #expect(error.offset == offset, "\(bad): \(error.cause)")
        }
    }
}
