import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain one session's score: every term of its rarest window, and the training counts behind them.",
        discussion: """
            INPUT is a scores file (it keeps each session's cmds and params), a sessions file or \
            an event log, as for `seqhunt score`. --session takes the session_id that the table, \
            the scores file and the timelines show (the session's place in the input, from 1).

            The model is trained on the input, as `score` does, or loaded with --model; give the \
            same --type, --window, --no-tokens and --geo-mean as the run that scored it. Each row \
            is one term of the window's log likelihood: the first state (START → command, or its \
            prior), each transition, and for params and values each parameter of the command \
            present or absent, each modelled value, and parameters the model ignores. UNK marks a \
            term whose training count is zero. The contributions add up to the window's log likelihood.

            Example: seqhunt explain hunt/scores.csv --session 120
            """)

    @Argument(help: "A scores file, sessions file or event log.", completion: .file())
    var input: String

    @Option(name: .long, help: ArgumentHelp("The session_id of the session to explain.", valueName: "id"))
    var session: Int

    @OptionGroup var scoring: ScoringArguments
    @OptionGroup(title: "Event logs") var events: EventArguments

    func run() throws {
        try reportingFailures {
            var stats = RunStatistics()
            let saved = try scoring.loadModel(recordingIn: &stats)
            let table = try events.load([input], execution: scoring.execution, quiet: true, recordingIn: &stats).table
            let store = table.store
            guard session >= 1 && session <= store.sessionCount else {
                throw InputError(
                    file: input, line: 0,
                    cause:
                        "there is no session \(session): the input has \(store.sessionCount) sessions (ids 1 to \(store.sessionCount))"
                )
            }
            let model = try saved ?? scoring.training.train(store)
            print(
                try ExplanationTable(table: table, model: model, options: scoring.options).render(session: session - 1))
        }
    }
}
