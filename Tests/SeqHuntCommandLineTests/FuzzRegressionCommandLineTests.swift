import Foundation
import SeqHuntIO
import SeqHuntTestSupport
import Testing

/// Inputs the fuzzers (`make fuzz`) once crashed on, kept in `Tests/Regressions/<target>/`
/// and replayed through the command line: each must work (exit 0) or fail with exactly one
/// line on stderr (exit 2).
@Suite("Fuzzer regressions, replayed through seqhunt")
struct FuzzRegressionCommandLineTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Regressions").path

    static func inputs(_ target: String) -> [String] {
        let dir = directory + "/" + target
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.sorted().map { dir + "/" + $0 }
    }

    func expectCleanOutcome(_ arguments: [String], _ input: String) throws {
        let result = try runSeqHunt(arguments)
        #expect(result.status == 0 || result.status == 2, "\(input): status \(result.status)")
        if result.status == 2 {
            #expect(
                result.stderr.hasPrefix("seqhunt: error: ") && result.stderr.split(separator: "\n").count == 1,
                "\(input): \(result.stderr)")
        }
    }

    @Test("event logs and Parameters cells")
    func events() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for input in Self.inputs("FuzzEvents") {
            for policy in ["fail", "skip"] {
                try expectCleanOutcome(["sessionize", input, "--out", dir + "/s.jsonl", "--on-error", policy], input)
            }
        }
        for input in Self.inputs("FuzzParameters") {
            var line = Array(
                #"{"TimeGenerated":"2020-01-01T00:00:00Z","UserId":"u","Operation":"A","Parameters":"#.utf8)
            line += try Data(contentsOf: URL(fileURLWithPath: input))
            line += Array("}\n".utf8)
            try Data(line).write(to: URL(fileURLWithPath: dir + "/p.jsonl"))
            try expectCleanOutcome(["sessionize", dir + "/p.jsonl", "--out", dir + "/s.jsonl"], input)
        }
    }

    @Test("sessions files and model files")
    func sessionsAndModels() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for input in Self.inputs("FuzzSessions") {
            for suffix in ["jsonl", "csv"] {
                try FileManager.default.copyItem(atPath: input, toPath: dir + "/in." + suffix)
                try expectCleanOutcome(["score", dir + "/in." + suffix, "--out", dir + "/scores.csv"], input)
                try FileManager.default.removeItem(atPath: dir + "/in." + suffix)
            }
        }
        for input in Self.inputs("FuzzModel") {
            try expectCleanOutcome(["inspect", input], input)
        }
        for input in Self.inputs("FuzzTime") {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: input))
            if let parsed = bytes.withUnsafeBytes({ TimeParser.ticks($0) }) {
                #expect(TimeParser.ticks(TimeParser.isoText(ticks: parsed.ticks)) == parsed.ticks, "\(input)")
            }
        }
    }
}
