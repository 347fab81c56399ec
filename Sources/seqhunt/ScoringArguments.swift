import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO

extension SessionType: ExpressibleByArgument {}

/// What to model: the flags shared by every command that trains.
struct TrainingArguments: ParsableArguments {
    @Option(name: .long, help: "What to model: cmds (names only), params (names + parameter sets), values (+ parameter values). Default: values, or a loaded model's type.")
    var type: SessionType?

    @Option(name: .customLong("modellable-params"), help: ArgumentHelp("Comma-separated parameters whose values to model (values type); default: the msticpy heuristic.", valueName: "a,b"))
    var modellableParams: String?

    @Option(name: .long, help: "Worker threads (default: every core; at most 4 per core, more are capped). Results never depend on it.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// The session type to train (values unless given).
    var sessionType: SessionType { type ?? .values }

    var modellableParameters: Set<String>? { Self.parameterSet(modellableParams) }

    /// The names of a comma-separated `--modellable-params` list.
    static func parameterSet(_ list: String?) -> Set<String>? {
        list.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }) }
    }

    /// Trains on `store`, continuing `baseline` when one is given.
    func train(_ store: SessionStore, continuing baseline: Model? = nil) throws -> Model {
        guard let baseline else {
            return try Model(training: store, type: sessionType, modellableParameters: modellableParameters, threads: threads)
        }
        try checkCompatible(with: baseline, path: nil)
        return try Model(training: store, continuing: baseline, threads: threads)
    }

    /// Loads the model at `path` and checks that the flags given agree with it.
    func load(_ path: String) throws -> Model {
        let model = try Model(contentsOf: path)
        try checkCompatible(with: model, path: path)
        return model
    }

    /// A loaded model fixes the type and the modellable parameters: flags may repeat them, not change them.
    func checkCompatible(with model: Model, path: String?) throws {
        let source = path.map { "the model \($0)" } ?? "the baseline model"
        if let type, type != model.type {
            throw ModelFileError(path: path ?? "model", cause: "--type \(type.rawValue) given, but \(source) is of type \(model.type.rawValue)")
        }
        if modellableParams != nil {
            throw ModelFileError(path: path ?? "model", cause: "--modellable-params cannot change \(source): the set is chosen when it is trained")
        }
    }
}

/// Model and scoring flags shared by the commands that score.
struct ScoringArguments: ParsableArguments {
    @OptionGroup var training: TrainingArguments

    @Option(name: .long, help: ArgumentHelp("Score against this saved model (see `seqhunt train`) instead of training on the input.", valueName: "file"), completion: .file())
    var model: String?

    @Option(name: .customLong("window"), help: ArgumentHelp("Length of the sliding window whose rarest instance is reported; repeat for several.", valueName: "k"))
    var windows: [Int] = []

    @Flag(name: .customLong("no-tokens"), help: "Do not use the START and END states.")
    var noTokens = false

    @Flag(name: .customLong("geo-mean"), help: "Raise each window likelihood to 1/k before comparing.")
    var geoMean = false

    func validate() throws {
        for k in windows where k < 1 { throw ValidationError("--window must be at least 1, got \(k)") }
    }

    var threads: Int? { training.threads }

    var options: ScoringOptions {
        ScoringOptions(windowLengths: windows.isEmpty ? [3] : windows, usesStartEndTokens: !noTokens,
                       windowGeometricMean: geoMean, threads: threads)
    }

    /// The saved model of `--model` (its loading time recorded as `load_model`), or
    /// nil when the input is to be trained on.
    func loadModel(recordingIn stats: inout RunStatistics) throws -> Model? {
        guard let model else { return nil }
        return try stats.measure("load_model") { try training.load(model) }
    }
}

/// `--fail-on-anomaly`: an exit status for automation (CI jobs, schedulers) when a session is rarer than a threshold.
struct AnomalyThreshold: ParsableArguments {
    @Option(name: .customLong("fail-on-anomaly"), help: ArgumentHelp(
        "Exit with status 1, after writing every output, when a session's rarest-window likelihood (the first --window) is below this.",
        valueName: "likelihood"))
    var threshold: Double?

    func validate() throws {
        if let threshold, !(threshold > 0 && threshold <= 1) { throw ValidationError("--fail-on-anomaly must be above 0 and at most 1") }
    }

    /// Exits with status 1 and one line on stderr when a session scores below the threshold.
    func check(_ scores: SessionScores) throws {
        guard let threshold, let column = scores.rarestWindows.first else { return }
        let bound = log(threshold)
        let below = column.logLikelihood.indices.filter { column.logLikelihood[$0] < bound }
        guard let rarest = below.min(by: { column.logLikelihood[$0] < column.logLikelihood[$1] }) else { return }
        FileHandle.standardError.write(Data(("seqhunt: \(below.count) session\(below.count == 1 ? "" : "s") scored below --fail-on-anomaly "
            + String(format: "%g (the rarest: session_id %d at %.3e)\n", threshold, rarest + 1, exp(column.logLikelihood[rarest]))).utf8))
        throw ExitCode(1)
    }
}
