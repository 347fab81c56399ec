import ArgumentParser
import Foundation
import SeqHunt

extension SessionType: ExpressibleByArgument {}

/// Model and scoring flags shared by the commands that score.
struct ScoringArguments: ParsableArguments {
    @Option(name: .long, help: "What to model: cmds (names only), params (names + parameter sets), values (+ parameter values).")
    var type: SessionType = .values

    @Option(name: .customLong("window"), help: ArgumentHelp("Length of the sliding window whose rarest instance is reported; repeat for several.", valueName: "k"))
    var windows: [Int] = []

    @Flag(name: .customLong("no-tokens"), help: "Do not use the START and END states.")
    var noTokens = false

    @Flag(name: .customLong("geo-mean"), help: "Raise each window likelihood to 1/k before comparing.")
    var geoMean = false

    @Option(name: .customLong("modellable-params"), help: ArgumentHelp("Comma-separated parameters whose values to model (values type); default: the msticpy heuristic.", valueName: "a,b"))
    var modellableParams: String?

    @Option(name: .long, help: "Worker threads (default: every core). Results never depend on it.")
    var threads: Int?

    func validate() throws {
        for k in windows where k < 1 { throw ValidationError("--window must be at least 1, got \(k)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    var options: ScoringOptions {
        ScoringOptions(windowLengths: windows.isEmpty ? [3] : windows, usesStartEndTokens: !noTokens,
                       windowGeometricMean: geoMean, threads: threads)
    }

    var modellableParameters: Set<String>? {
        modellableParams.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }) }
    }
}
