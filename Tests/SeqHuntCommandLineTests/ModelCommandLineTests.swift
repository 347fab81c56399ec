import Foundation
import SeqHuntTestSupport
import Testing

@Suite("seqhunt train, merge, inspect and score --model")
struct ModelCommandLineTests {
    static let sessions = goldenDirectory + "/demo.sessions.jsonl"

    /// Writes the demo sessions split into two shards (first 150 lines, the rest).
    func shards(in dir: String) throws -> (String, String) {
        let lines = try String(contentsOfFile: Self.sessions, encoding: .utf8).split(separator: "\n")
        let a = dir + "/a.jsonl", b = dir + "/b.jsonl"
        try (lines[..<150].joined(separator: "\n") + "\n").write(toFile: a, atomically: true, encoding: .utf8)
        try (lines[150...].joined(separator: "\n") + "\n").write(toFile: b, atomically: true, encoding: .utf8)
        return (a, b)
    }

    @Test("a saved model scores exactly like training in place; merged shards score like the union")
    func trainScoreMerge() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let train = try runSeqHunt(["train", Self.sessions, "--model-out", dir + "/all.seqhunt"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stderr.contains("saved a values model of 400 sessions (1334 events"))
        let inPlace = try runSeqHunt(["score", Self.sessions, "--out", dir + "/in-place.csv", "--quiet"])
        let saved = try runSeqHunt([
            "score", Self.sessions, "--model", dir + "/all.seqhunt", "--out", dir + "/saved.csv", "--quiet"
        ])
        #expect(inPlace.status == 0 && saved.status == 0, "\(saved.stderr)")
        let expected = try Data(contentsOf: URL(fileURLWithPath: dir + "/in-place.csv"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/saved.csv")) == expected)

        let (a, b) = try shards(in: dir)
        #expect(try runSeqHunt(["train", a, "--model-out", dir + "/a.seqhunt", "--quiet"]).status == 0)
        #expect(try runSeqHunt(["train", b, "--model-out", dir + "/b.seqhunt", "--quiet"]).status == 0)
        let merge = try runSeqHunt(["merge", dir + "/a.seqhunt", dir + "/b.seqhunt", "--out", dir + "/merged.seqhunt"])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stderr.contains("merged 2 models"))
        _ = try runSeqHunt([
            "score", Self.sessions, "--model", dir + "/merged.seqhunt", "--out", dir + "/merged.csv", "--quiet"
        ])
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/merged.csv")) == expected)
        // Model files are canonical: the merged shards are the very bytes of the model of all.
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: dir + "/merged.seqhunt"))
                == Data(contentsOf: URL(fileURLWithPath: dir + "/all.seqhunt")))

        let continued = try runSeqHunt([
            "train", b, "--continue-from", dir + "/a.seqhunt", "--model-out", dir + "/cont.seqhunt", "--quiet"
        ])
        #expect(continued.status == 0, "\(continued.stderr)")
        _ = try runSeqHunt([
            "score", Self.sessions, "--model", dir + "/cont.seqhunt", "--out", dir + "/cont.csv", "--quiet"
        ])
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/cont.csv")) == expected)

        let inspect = try runSeqHunt(["inspect", dir + "/merged.seqhunt", "--top", "3"])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.contains("type              values"))
        #expect(inspect.stdout.contains("sessions          400"))
        #expect(inspect.stdout.contains("Set-ConditionalAccessPolicy → Set-ConditionalAccessPolicy"))
        #expect(inspect.stdout.contains("modellable        by the heuristic: "))
    }

    @Test("flags that contradict a saved model are refused")
    func contradictions() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try runSeqHunt(["train", Self.sessions, "--model-out", dir + "/cmds.seqhunt", "--type", "cmds", "--quiet"])
        let type = try runSeqHunt([
            "score", Self.sessions, "--model", dir + "/cmds.seqhunt", "--type", "values", "--out", dir + "/s.csv"
        ])
        #expect(type.status == 2)
        #expect(
            type.stderr
                == "seqhunt: error: \(dir)/cmds.seqhunt: --type values given, but the model \(dir)/cmds.seqhunt is of type cmds\n"
        )
        #expect(!FileManager.default.fileExists(atPath: dir + "/s.csv"))
        let sets = try runSeqHunt([
            "score", Self.sessions, "--model", dir + "/cmds.seqhunt", "--param-sets", dir + "/p.jsonl", "--out",
            dir + "/s.csv"
        ])
        #expect(sets.status == 2 && sets.stderr.contains("--param-sets needs a params or values model"))
    }

    /// Damaged model files: each gives one line naming the file and the cause, exit 2, and no output.
    static let damages: [(name: String, damage: @Sendable (inout [UInt8]) -> Void, expected: String)] = [
        ("truncated", { $0.removeLast(100) }, "truncated: "),
        ("flipped", { $0[$0.count / 2] ^= 0x10 }, "checksum mismatch: the file is damaged"),
        ("magic", { $0[0] = UInt8(ascii: "X") }, "not a SeqHunt model file (wrong magic number)"),
        ("version", { $0[8] = 2 }, "format version 2 is newer than this seqhunt reads (1); upgrade seqhunt"),
        ("empty", { $0 = [] }, "empty file, not a SeqHunt model"),
        (
            "newer-short",
            {
                $0 = Array($0[0..<12])
                $0[8] = 7
            }, "format version 7 is newer than this seqhunt reads (1)"
        )
    ]

    @Test("a damaged model file: one clear line, exit 2, nothing written", arguments: 0..<6)
    func damagedModel(index: Int) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try runSeqHunt(["train", Self.sessions, "--model-out", dir + "/m.seqhunt", "--quiet"])
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/m.seqhunt")))
        let (name, damage, expected) = Self.damages[index]
        damage(&bytes)
        let path = dir + "/\(name).seqhunt"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        for arguments in [
            ["score", Self.sessions, "--model", path, "--out", dir + "/s.csv"],
            ["inspect", path], ["merge", dir + "/m.seqhunt", path, "--out", dir + "/out.seqhunt"],
            ["train", Self.sessions, "--continue-from", path, "--model-out", dir + "/out.seqhunt"]
        ] {
            let result = try runSeqHunt(arguments)
            #expect(result.status == 2, "\(arguments[0]) \(name)")
            #expect(
                result.stderr.hasPrefix("seqhunt: error: \(path): ") && result.stderr.contains(expected),
                "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(result.stdout.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/s.csv"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.seqhunt"))
    }

    @Test("merging models of different types names both and writes nothing")
    func mergeTypeMismatch() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try runSeqHunt(["train", Self.sessions, "--model-out", dir + "/v.seqhunt", "--quiet"])
        _ = try runSeqHunt(["train", Self.sessions, "--model-out", dir + "/c.seqhunt", "--type", "cmds", "--quiet"])
        let result = try runSeqHunt(["merge", dir + "/v.seqhunt", dir + "/c.seqhunt", "--out", dir + "/m.seqhunt"])
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "seqhunt: error: \(dir)/c.seqhunt: is a cmds model, but \(dir)/v.seqhunt is values: only models of one session type can be merged\n"
        )
        #expect(!FileManager.default.fileExists(atPath: dir + "/m.seqhunt"))
        let same = try runSeqHunt(["merge", dir + "/v.seqhunt", "--out", dir + "/v.seqhunt"])
        #expect(same.status == 2 && same.stderr.contains("refusing to overwrite an input file"))
        // Nor may scores or statistics replace the model they were scored with.
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/v.seqhunt"))
        for arguments in [
            ["--out", dir + "/v.jsonl", "--stats", dir + "/v.seqhunt"],
            ["--out", dir + "/s.csv", "--stats", dir + "/v.seqhunt"]
        ] {
            let result = try runSeqHunt(["score", Self.sessions, "--model", dir + "/v.seqhunt"] + arguments)
            #expect(
                result.status == 2 && result.stderr.contains("refusing to overwrite an input file"), "\(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/v.seqhunt")) == before)
        #expect(!FileManager.default.fileExists(atPath: dir + "/s.csv"), "a refused run writes nothing")
    }
}
