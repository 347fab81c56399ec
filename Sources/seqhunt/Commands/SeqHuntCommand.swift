import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntSupport

@main
struct SeqHuntCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seqhunt",
        abstract: "Find anomalous sequences of commands in security logs.",
        discussion: """
            SeqHunt models sessions of commands (for example Exchange admin cmdlets) as a \
            Markov chain and ranks each session by the likelihood of its rarest window: \
            the lowest scores are the sessions worth a look. Scores agree with msticpy's \
            anomalous_sequence.

            Exit status: 0 success; 1 a session scored below --fail-on-anomaly (score, run); \
            2 bad input, or an output that cannot be written; 64 a usage mistake (an unknown \
            command or flag, a bad value); 130 and 143 interrupted (SIGINT, SIGTERM), with no \
            output left behind.
            """,
        version: SeqHuntCommand.version,
        subcommands: commands)

    #if Timelines
    static let drawing: [any ParsableCommand.Type] = [RunCommand.self, PlotCommand.self, DemoCommand.self]
    #else
    /// The build without Cairo (`make dist`, for Spark executors) has no command that draws.
    static let drawing: [any ParsableCommand.Type] = []
    #endif
    #if Queries
    static let querying: [any ParsableCommand.Type] = [QueryCommand.self, KQLCommand.self]
    #else
    /// `make dist` has no FoundationNetworking: no command that queries a workspace.
    static let querying: [any ParsableCommand.Type] = []
    #endif
    static let commands: [any ParsableCommand.Type] =
        [
            ScoreCommand.self, ExplainCommand.self, SessionizeCommand.self, TrainCommand.self,
            MergeCommand.self, InspectCommand.self
        ] + drawing + querying

    /// The version `seqhunt --version` prints.
    static let version = "0.15.0"

    /// Runs the command line. A usage mistake (a bad flag or value) is one line on stderr,
    /// `seqhunt: error: ...`, and exit status 64, like every other failure's one line;
    /// help and version requests print as usual.
    static func main() {
        TemporaryFiles.removeOnSignals()
        if let mistake = unknownCommand(in: Array(CommandLine.arguments.dropFirst())) {
            FileHandle.standardError.write(Data("seqhunt: error: \(oneLine(mistake)) (see 'seqhunt help')\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            guard code == .validationFailure else { exit(withError: error) }
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            let subcommand = CommandLine.arguments.dropFirst().first { !$0.hasPrefix("-") }
                .flatMap { name in
                    configuration.subcommands.first { $0.configuration.commandName == name }?.configuration.commandName
                }
            let hint = subcommand.map { "see 'seqhunt help \($0)'" } ?? "see 'seqhunt help'"
            FileHandle.standardError.write(Data("seqhunt: error: \(oneLine(message)) (\(hint))\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}

extension SeqHuntCommand {
    /// The names of the subcommands.
    static var commandNames: [String] { configuration.subcommands.compactMap { $0.configuration.commandName } }

    /// What is wrong when the first word is no command (`seqhunt scroe x.csv`, `seqhunt help
    /// nonsense`), with the nearest command when one is close; `nil` when it is one, or a flag.
    static func unknownCommand(in arguments: [String]) -> String? {
        var words = arguments[...]
        if words.first == "help" { words = words.dropFirst() }
        guard let word = words.first, !word.hasPrefix("-") else { return nil }
        let names = commandNames + ["help"]
        guard !names.contains(word) else { return nil }
        let nearest = names.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 }
        if let nearest, nearest.1 <= max(1, nearest.0.count / 3) {
            return "unknown command '\(word)'; did you mean '\(nearest.0)'?"
        }
        return "unknown command '\(word)'; the commands are " + commandNames.joined(separator: ", ")
    }

    /// The edit distance between two words: insertions, deletions, substitutions and swaps of
    /// two neighbours (`scroe` is one step from `score`).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}

/// Runs `body`, turning known failures into one line on stderr and a non-zero exit.
@discardableResult
func reportingFailures<R>(_ body: () throws -> R) throws -> R {
    do {
        return try body()
    } catch ModelError.modellableMismatch {
        throw fail(ModelError.modellableMismatch.description + ": choose the set with --modellable-params")
    } catch let error as any SeqHuntError {
        throw fail(error.description)
    }
}

/// Prints `message` as one line on stderr and returns the exit code to throw.
func fail(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("seqhunt: error: \(oneLine(message))\n".utf8))
    return ExitCode(2)
}

/// Prints `message` on stderr unless quiet.
func note(_ message: String, quiet: Bool) {
    if !quiet { FileHandle.standardError.write(Data((message + "\n").utf8)) }
}
