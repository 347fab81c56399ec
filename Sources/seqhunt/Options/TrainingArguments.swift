import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO

/// What to model: the flags shared by every command that trains.
struct TrainingArguments: ParsableArguments {
    @Option(
        name: .long,
        help:
            "What to model: cmds (names only), params (names + parameter sets), values (+ parameter values). Default: values, or a loaded model's type."
    )
    var type: SessionType?

    @Option(
        name: .customLong("modellable-params"),
        help: ArgumentHelp(
            "Comma-separated parameters whose values to model (values type); default: the msticpy heuristic.",
            valueName: "a,b"))
    var modellableParams: String?

    @Option(
        name: .long,
        help: "Worker threads (default: every core; at most 4 per core, more are capped). Results never depend on it.")
    var threads: Int?

    /// `--threads` as the engine takes it.
    var execution: ExecutionOptions { ExecutionOptions(threads: threads) }

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// The session type to train (values unless given).
    var sessionType: SessionType { type ?? .values }

    var modellableParameters: Set<String>? { Self.parameterSet(modellableParams) }

    /// The names of a comma-separated `--modellable-params` list.
    static func parameterSet(_ list: String?) -> Set<String>? {
        list.map {
            Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
    }

    /// Trains on `store`, continuing `baseline` when one is given.
    func train(_ store: SessionStore, continuing baseline: Model? = nil) throws -> Model {
        guard let baseline else {
            return try Model(
                training: store, type: sessionType, modellableParameters: modellableParameters, execution: execution)
        }
        try checkCompatible(with: baseline, path: nil)
        return try Model(training: store, continuing: baseline, execution: execution)
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
            throw ModelFileError(
                path: path ?? "model",
                cause: "--type \(type.rawValue) given, but \(source) is of type \(model.type.rawValue)")
        }
        if modellableParams != nil {
            throw ModelFileError(
                path: path ?? "model",
                cause: "--modellable-params cannot change \(source): the set is chosen when it is trained")
        }
    }
}
