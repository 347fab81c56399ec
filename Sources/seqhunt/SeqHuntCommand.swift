import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO

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
            """,
        subcommands: [ScoreCommand.self, ExplainCommand.self, SessionizeCommand.self, RunCommand.self, TrainCommand.self, MergeCommand.self,
                      InspectCommand.self, PlotCommand.self, DemoCommand.self])

    /// Runs the command line. A usage mistake (a bad flag or value) is one line on stderr,
    /// `seqhunt: error: ...`, and exit status 64, like every other failure's one line;
    /// help and version requests print as usual.
    static func main() {
        TemporaryFiles.removeOnSignals()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            guard code == .validationFailure else { exit(withError: error) }
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            let subcommand = CommandLine.arguments.dropFirst().first { !$0.hasPrefix("-") }
                .flatMap { name in configuration.subcommands.first { $0.configuration.commandName == name }?.configuration.commandName }
            let hint = subcommand.map { "see 'seqhunt help \($0)'" } ?? "see 'seqhunt help'"
            FileHandle.standardError.write(Data("seqhunt: error: \(oneLine(message)) (\(hint))\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}

/// Runs `body`, turning known failures into one line on stderr and a non-zero exit.
@discardableResult
func reportingFailures<R>(_ body: () throws -> R) throws -> R {
    do {
        return try body()
    } catch let error as InputError {
        throw fail(error.description)
    } catch let error as OutputError {
        throw fail(error.description)
    } catch let error as ScoringError {
        throw fail(error.description)
    } catch let error as ModelError {
        throw fail(error.description)
    } catch let error as SessionStoreError {
        throw fail(error.description)
    } catch let error as ModelFileError {
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
