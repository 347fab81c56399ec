import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntSupport

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe a saved model: type, counts, vocabularies, likeliest transitions.",
        discussion: """
            The whole file is checked before anything is printed (magic number, version, \
            checksum and every count), so `inspect` also tells whether a model is usable.

            Example: seqhunt inspect baseline.seqhunt --top 20
            """)

    @Argument(help: "A model file saved by `seqhunt train` or `seqhunt merge`.", completion: .file())
    var model: String

    @Option(name: .long, help: "How many of the likeliest transitions to list.")
    var top: Int = 10

    func validate() throws {
        if top < 0 { throw ValidationError("--top must not be negative") }
    }

    func run() throws {
        try reportingFailures {
            let loaded = try Model(contentsOf: model)
            print(ModelSummary(model: loaded, path: model).render(top: top))
        }
    }
}

/// The text `seqhunt inspect` prints for a model.
struct ModelSummary {
    let model: Model
    let path: String

    func render(top: Int) -> String {
        let counts = model.counts
        // Counted straight from the counts: every stored name or pair has a count.
        let transitionCells = counts.transitions.nonZeroCount
        var modellable = "none"
        if !model.modellableParameters.isEmpty {
            modellable =
                (model.modellableParametersFixed ? "fixed: " : "by the heuristic: ")
                + model.modellableParameters.sorted().map { printable($0) }.joined(separator: ", ")
        } else if model.modellableParametersFixed {
            modellable = "fixed: none"
        }
        var facts: [(String, String)] = [
            ("type", model.type.rawValue),
            ("format version", "\(ModelFile.formatVersion)"),
            ("sessions", "\(counts.sessionCount)"),
            ("events", "\(counts.eventCount)"),
            ("commands", "\(model.commandCount) (plus START, END and UNK)"),
            ("transitions seen", "\(transitionCells)")
        ]
        if model.type.usesParameters {
            facts.append(("parameters", "\(counts.parameterCounts().filter { $0 > 0 }.count)"))
        }
        if model.type.usesValues {
            facts.append(("value pairs", "\(counts.valueCounts.filter { $0 > 0 }.count) (parameter, value)"))
            facts.append(("modellable", modellable))
        }
        var lines = ["\(printable(path, limit: 200))"]
        lines += facts.map { "  " + $0.0.padding(toLength: 18, withPad: " ", startingAt: 0) + $0.1 }
        guard top > 0 else { return lines.joined(separator: "\n") }

        // The likeliest transitions: every seen cell, by probability, then count, then names.
        func state(_ id: Int32) -> CommandState {
            switch id {
            case CommandToken.start: return .start
            case CommandToken.end: return .end
            default: return .command(counts.commands[id])
            }
        }
        let ranked = counts.transitions.entries
            .map { (entry: $0, p: model.transitionProbability(from: state($0.row), to: state($0.column))) }
            .sorted {
                ($0.p, $0.entry.count, $1.entry.row, $1.entry.column) > (
                    $1.p, $1.entry.count, $0.entry.row, $0.entry.column
                )
            }
            .prefix(top)
        lines.append("")
        lines.append("Likeliest transitions (of \(transitionCells)):")
        lines.append("  probability       count  from → to")
        for (entry, p) in ranked {
            let from = printable(counts.commands[entry.row]), to = printable(counts.commands[entry.column])
            lines.append("  " + String(format: "%11.4f  %10.0f", p, entry.count) + "  \(from) → \(to)")
        }
        return lines.joined(separator: "\n")
    }
}
