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
        subcommands: [ScoreCommand.self, SessionizeCommand.self, RunCommand.self, TrainCommand.self, MergeCommand.self,
                      InspectCommand.self, PlotCommand.self, DemoCommand.self])
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
