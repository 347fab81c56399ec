import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO

extension SessionType: ExpressibleByArgument {}

/// Model and scoring flags shared by the commands that score.
struct ScoringArguments: ParsableArguments {
    @OptionGroup var training: TrainingArguments

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Score against this saved model (see `seqhunt train`) instead of training on the input.", valueName: "file"),
        completion: .file())
    var model: String?

    @Option(
        name: .customLong("window"),
        help: ArgumentHelp(
            "Length of the sliding window whose rarest instance is reported; repeat for several.", valueName: "k"))
    var windows: [Int] = []

    @Flag(name: .customLong("no-tokens"), help: "Do not use the START and END states.")
    var noTokens = false

    @Flag(name: .customLong("geo-mean"), help: "Raise each window likelihood to 1/k before comparing.")
    var geoMean = false

    func validate() throws {
        for k in windows where k < 1 { throw ValidationError("--window must be at least 1, got \(k)") }
    }

    var execution: ExecutionOptions { training.execution }

    var options: ScoringOptions {
        ScoringOptions(
            windowLengths: windows.isEmpty ? [3] : windows, usesStartEndTokens: !noTokens,
            windowGeometricMean: geoMean)
    }

    /// The model and the scores of `table`: the saved model, or one trained on the table, and
    /// its scores (stages `train` and `score` recorded in `stats`). An input with no session
    /// (header only, or nothing left after the filters) gives no model and empty scores, as
    /// msticpy gives an empty frame: there is nothing to train on.
    func modelAndScores(of table: SessionTable, saved: Model?, recordingIn stats: inout RunStatistics) throws -> (
        Model?, SessionScores
    ) {
        guard table.store.sessionCount > 0 else {
            stats.sessionsScored = 0
            return (saved, SessionScores.empty(options))
        }
        let model = try saved ?? stats.measure("train") { try training.train(table.store) }
        let scores = try stats.measure("score") { try model.score(table.store, options: options, execution: execution) }
        stats.sessionsScored = scores.count
        return (model, scores)
    }

    /// The saved model of `--model` (its loading time recorded as `load_model`), or
    /// nil when the input is to be trained on.
    func loadModel(recordingIn stats: inout RunStatistics) throws -> Model? {
        guard let model else { return nil }
        return try stats.measure("load_model") { try training.load(model) }
    }
}
