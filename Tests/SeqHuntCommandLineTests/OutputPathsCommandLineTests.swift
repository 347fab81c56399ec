import Foundation
import SeqHuntTestSupport
import Testing

/// Outputs never destroy what is not theirs (issue: safe outputs), through the built `seqhunt`:
/// an output that is an input (by identity), special files, checks before writing, stale results,
/// signals, merging a model with itself, and /dev/zero as an input.
@Suite("seqhunt outputs that destroy nothing")
struct OutputPathsCommandLineTests {
    static let sessions =
        "{\"UserId\":\"a\",\"begin\":\"2020-04-18T04:50:30Z\",\"cmds\":[\"A\",\"B\"]}\n{\"UserId\":\"b\",\"begin\":\"2020-04-18T05:50:30Z\",\"cmds\":[\"A\"]}\n"

    @Test(
        "an output that reaches an input through SYMLINK/.. is refused: files are compared by identity, not path text")
    func symlinkDotDot() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/logs/sub", withIntermediateDirectories: true)
        try Self.sessions.write(toFile: dir + "/logs/in.jsonl", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/logs/sub")
        let result = try runSeqHunt(["score", dir + "/logs/in.jsonl", "--out", dir + "/link/../in.jsonl"])
        #expect(result.status == 2 && result.stderr.contains("refusing to overwrite an input file"), "\(result.stderr)")
        #expect(try String(contentsOfFile: dir + "/logs/in.jsonl", encoding: .utf8) == Self.sessions)
        // Through a hard link too.
        #expect(link(dir + "/logs/in.jsonl", dir + "/hard.jsonl") == 0)
        let hard = try runSeqHunt(["score", dir + "/logs/in.jsonl", "--out", dir + "/hard.jsonl"])
        #expect(hard.status == 2 && hard.stderr.contains("refusing to overwrite an input file"), "\(hard.stderr)")
    }

    /// Whether this machine lets the tests make a device node (containers often do not).
    static let deviceNodesAllowed: Bool = {
        let path = NSTemporaryDirectory() + "seqhunt-mknod-\(UUID().uuidString)"
        defer { unlink(path) }
        return (try? runShell("mknod \(path) c 1 3 2>/dev/null")) == 0
    }()

    @Test(
        "a character device or a link to one is written in place, never renamed over; a directory is refused",
        .enabled(if: deviceNodesAllowed, "mknod is not allowed here: no copy of /dev/null can be made"))
    func specialFiles() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.sessions.write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        #expect(try runShell("mknod \(dir)/null c 1 3") == 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/null-link", withDestinationPath: dir + "/null")
        for target in ["/null", "/null-link"] {
            let result = try runSeqHunt([
                "score", dir + "/in.jsonl", "--out", dir + "/s.csv", "--stats", dir + target, "--quiet"
            ])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: dir + "/null")
        #expect(attributes[.type] as? FileAttributeType == .typeCharacterSpecial)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/null-link") == dir + "/null")
        let directory = try runSeqHunt(["score", dir + "/in.jsonl", "--out", dir])
        #expect(directory.status == 2 && directory.stderr.contains("is a directory"), "\(directory.stderr)")
        // A link to a regular file keeps its link; the file it names gets the output.
        try "old".write(toFile: dir + "/real.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: dir + "/scores-link.csv", withDestinationPath: dir + "/real.csv")
        #expect(try runSeqHunt(["score", dir + "/in.jsonl", "--out", dir + "/scores-link.csv", "--quiet"]).status == 0)
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/scores-link.csv") == dir + "/real.csv")
        #expect(
            try String(contentsOfFile: dir + "/real.csv", encoding: .utf8).hasPrefix(
                "session_id,UserId,begin,cmds,params,session,"))
    }

    @Test("every output is checked before any is written")
    func checkedFirst() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.sessions.write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        #expect(try runSeqHunt(["score", dir + "/in.jsonl", "--out", dir + "/scores.csv", "--quiet"]).status == 0)
        let same = try runSeqHunt(["plot", dir + "/scores.csv", "--png", dir + "/x", "--html", dir + "/x"])
        #expect(same.status == 2 && same.stderr.contains("is given as two outputs"), "\(same.stderr)")
        let input = try runSeqHunt([
            "plot", dir + "/scores.csv", "--png", dir + "/new.png", "--html", dir + "/scores.csv"
        ])
        #expect(input.status == 2 && input.stderr.contains("refusing to overwrite an input file"), "\(input.stderr)")
        #expect(
            !FileManager.default.fileExists(atPath: dir + "/x")
                && !FileManager.default.fileExists(atPath: dir + "/new.png"))
        let stats = try runSeqHunt(["run", dir + "/in.jsonl", "--out", dir + "/hunt", "--stats", dir + "/nodir/x.json"])
        #expect(stats.status == 2 && stats.stderr.contains("nodir does not exist"), "\(stats.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/hunt"))
        let twice = try runSeqHunt(["score", dir + "/in.jsonl", "--out", "-", "--format", "csv", "--param-sets", "-"])
        #expect(
            twice.status == 2 && twice.stderr.contains("standard output is named for two outputs"), "\(twice.stderr)")
    }

    @Test("a re-run leaves no stale results: run removes the known files it did not write this time, and says so")
    func staleResults() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let events = InputFormsCommandLineTests.csvLog(30)
        try events.write(toFile: dir + "/events.csv", atomically: true, encoding: .utf8)
        #expect(
            try runSeqHunt(["run", dir + "/events.csv", "--out", dir + "/hunt", "--write-sessions", "--quiet"]).status
                == 0)
        #expect(FileManager.default.fileExists(atPath: dir + "/hunt/sessions.jsonl"))
        try "{\"UserId\":\"a\",\"cmds\":[\"A\",\"B\"]}\n".write(
            toFile: dir + "/sessions.jsonl", atomically: true, encoding: .utf8)
        let rerun = try runSeqHunt(["run", dir + "/sessions.jsonl", "--out", dir + "/hunt"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/hunt") == ["scores.csv"])
        #expect(rerun.stdout.contains("removed an earlier run's \(dir)/hunt/sessions.jsonl"), "\(rerun.stdout)")
    }

    @Test(
        "SIGINT and SIGTERM remove the temporary files and exit 130 and 143",
        arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func signals(signal: Int32, status: Int32) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try runSeqHunt(["demo", "--sessions", "20000", "--log-only", "--out", dir, "--quiet"]).status == 0)
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let binary = [
            directory.appendingPathComponent("seqhunt"),
            directory.deletingLastPathComponent().appendingPathComponent("seqhunt")
        ]
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }!
        // Interrupt while the sessions file is being written, that is once its temporary file exists.
        var caught = false
        for _ in 0..<3 where !caught {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["sessionize", dir + "/OfficeActivity.csv", "--out", dir + "/sessions.jsonl", "--quiet"]
            try process.run()
            while process.isRunning {
                let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
                if files.contains(where: { $0.hasPrefix(".sessions.jsonl.tmp-") }) {
                    kill(process.processIdentifier, signal)
                    caught = true
                    break
                }
                usleep(1_000)
            }
            process.waitUntilExit()
            if caught {
                #expect(process.terminationReason == .exit && process.terminationStatus == status)
                #expect(
                    try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }.isEmpty)
                #expect(!FileManager.default.fileExists(atPath: dir + "/sessions.jsonl"))
            }
            try? FileManager.default.removeItem(atPath: dir + "/sessions.jsonl")
        }
        #expect(caught, "the run always finished before its temporary file was seen")
    }

    @Test(
        "merging a model with itself is refused (by identity, links included); two copies with one checksum are warned about"
    )
    func mergeItself() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.sessions.write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        #expect(
            try runSeqHunt(["train", dir + "/in.jsonl", "--model-out", dir + "/base.seqhunt", "--quiet"]).status == 0)
        try FileManager.default.createSymbolicLink(
            atPath: dir + "/alias.seqhunt", withDestinationPath: dir + "/base.seqhunt")
        for other in ["/base.seqhunt", "/alias.seqhunt"] {
            let result = try runSeqHunt(["merge", dir + "/base.seqhunt", dir + other, "--out", dir + "/m.seqhunt"])
            #expect(result.status == 2 && result.stderr.contains("is the same file as"), "\(result.stderr)")
        }
        try FileManager.default.copyItem(atPath: dir + "/base.seqhunt", toPath: dir + "/copy.seqhunt")
        let copy = try runSeqHunt(["merge", dir + "/base.seqhunt", dir + "/copy.seqhunt", "--out", dir + "/m.seqhunt"])
        #expect(
            copy.status == 0
                && copy.stderr.contains("warning: \(dir)/copy.seqhunt holds the same model as \(dir)/base.seqhunt"),
            "\(copy.stderr)")
    }

    @Test("/dev/zero is refused after its first bytes by every reader")
    func devZero() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for command in [
            ["inspect", "/dev/zero"], ["score", "/dev/zero", "--out", dir + "/s.csv"],
            ["plot", "/dev/zero", "--png", dir + "/p.png"],
            ["score", "/dev/zero", "--model", "/dev/zero", "--out", dir + "/t.csv"]
        ] {
            let result = try runSeqHunt(command)
            #expect(
                result.status == 2 && result.stderr.split(separator: "\n").count == 1, "\(command): \(result.stderr)")
            #expect(
                result.stderr.contains("NUL bytes") || result.stderr.contains("not a SeqHunt model"),
                "\(command): \(result.stderr)")
        }
    }
}
