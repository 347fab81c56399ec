import Foundation
import SeqHuntTestSupport
import Testing

@Suite("Command-line conventions")
struct CommandLineConventionsTests {
    @Test("a mistyped command is named, with the nearest one; help for no command fails; --version answers")
    func unknownCommands() throws {
        let typo = try runSeqHunt(["scroe", "x.csv", "--out", "y.csv"])
        #expect(typo.status == 64)
        #expect(typo.stderr == "seqhunt: error: unknown command 'scroe'; did you mean 'score'? (see 'seqhunt help')\n")
        let help = try runSeqHunt(["help", "nonsense"])
        #expect(
            help.status == 64
                && help.stderr.hasPrefix("seqhunt: error: unknown command 'nonsense'; the commands are score, explain"))
        let version = try runSeqHunt(["--version"])
        #expect(version.status == 0 && version.stdout.split(separator: ".").count == 3)
        let overview = try runSeqHunt(["--help"])
        #expect(overview.stdout.contains("Exit status: 0 success; 1 a session scored below --fail-on-anomaly"))
        let missing = try runSeqHunt(["score", "nonexistent.csv", "--out", "x.csv"])
        #expect(missing.status == 2 && missing.stderr == "seqhunt: error: nonexistent.csv: no such file\n")
    }

    @Test("--fail-on-anomaly: exit 1 after writing every output when a session is rarer, else 0")
    func failOnAnomaly() throws {
        let dir = try temporaryDirectory()
        let sessions = goldenDirectory + "/demo.sessions.jsonl"
        let rare = try runSeqHunt(["score", sessions, "--out", dir + "/a.csv", "--quiet", "--fail-on-anomaly", "1e-6"])
        #expect(rare.status == 1)
        #expect(
            rare.stderr.hasPrefix("seqhunt: 5 sessions scored below --fail-on-anomaly 1e-06 (the rarest: session_id "),
            "\(rare.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/a.csv"))
        let calm = try runSeqHunt(["score", sessions, "--out", dir + "/b.csv", "--quiet", "--fail-on-anomaly", "1e-12"])
        #expect(calm.status == 0 && calm.stderr.isEmpty)
        let bad = try runSeqHunt(["score", sessions, "--out", dir + "/c.csv", "--fail-on-anomaly", "2"])
        #expect(bad.status == 64 && !FileManager.default.fileExists(atPath: dir + "/c.csv"))
    }

    @Test("shell completions complete file names for file arguments and options", arguments: ["bash", "zsh", "fish"])
    func completions(shell: String) throws {
        let script = try runSeqHunt(["--generate-completion-script", shell])
        #expect(script.status == 0)
        switch shell {
        case "bash": #expect(script.stdout.contains("'--out')\n        __seqhunt_add_completions -f"))
        case "zsh": #expect(script.stdout.contains("--out[") && script.stdout.contains(":_files"))
        default:
            #expect(
                script.stdout.contains(
                    "\"seqhunt score\" out' -l 'out' -d 'Where to write the scores (.csv or .jsonl; - for standard output, with --format).' -rF"
                ))
        }
    }
}
