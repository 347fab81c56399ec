import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Add up models trained on shards of the same data into one.",
        discussion: """
            The counts of every model are summed, so the result is the model that training \
            on all the shards' sessions at once would give, bit for bit. All models must be \
            of the same session type. The modellable parameters are chosen again from the \
            summed counts, unless the models fixed a set at training (they must agree) or \
            --modellable-params names one.

            Example: seqhunt merge shard-*.seqhunt --out tenant.seqhunt
            """)

    @Argument(help: "Model files saved by `seqhunt train` or `seqhunt merge`.", completion: .file())
    var models: [String]

    @Option(name: .long, help: ArgumentHelp("Where to save the merged model.", valueName: "file"), completion: .file())
    var out: String

    @Option(
        name: .customLong("modellable-params"),
        help: ArgumentHelp("Comma-separated parameters whose values to model (values type).", valueName: "a,b"))
    var modellableParams: String?

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if models.isEmpty { throw ValidationError("name at least one model to merge") }
    }

    func run() throws {
        try reportingFailures {
            try OutputPlan.check(outputs: [out], inputs: models)
            // The same file twice would count every session twice.
            var seen: [FileIdentity: String] = [:]
            for path in models {
                guard let identity = FileIdentity(path: path), identity.exists else { continue }
                if let first = seen[identity] {
                    throw ModelFileError(
                        path: path,
                        cause: "is the same file as \(first): merging it twice would count its sessions twice")
                }
                seen[identity] = path
            }
            let files = try models.map { try ModelFile.read($0) }
            // Two copies of one model: the same checksum, and (checked, since a checksum is no proof) the same bytes.
            var firstWithChecksum: [ArraySlice<UInt8>: Int] = [:]
            for (index, bytes) in files.enumerated() where bytes.count >= 8 {
                if let first = firstWithChecksum[bytes.suffix(8)], files[first] == bytes {
                    note(
                        "warning: \(models[index]) holds the same model as \(models[first]) (same checksum): its counts are added twice",
                        quiet: false)
                }
                firstWithChecksum[bytes.suffix(8)] = firstWithChecksum[bytes.suffix(8)] ?? index
            }
            let loaded = try zip(models, files).map { try ModelFile.decode($1, path: $0) }
            for (path, model) in zip(models, loaded) where model.type != loaded[0].type {
                throw ModelFileError(
                    path: path,
                    cause: "is a \(model.type.rawValue) model, but \(models[0]) is \(loaded[0].type.rawValue): "
                        + "only models of one session type can be merged")
            }
            let fixed = TrainingArguments.parameterSet(modellableParams)
            let merged = try Model.merged(loaded, modellableParameters: fixed)
            try merged.save(to: out, inputs: models)
            note(
                "merged \(models.count) models into \(out): \(merged.counts.sessionCount) sessions, "
                    + "\(merged.counts.eventCount) events, \(merged.commandCount) commands", quiet: quiet)
        }
    }
}
