import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO

/// `--fail-on-anomaly`: an exit status for automation (CI jobs, schedulers) when a session is rarer than a threshold.
struct AnomalyThreshold: ParsableArguments {
    @Option(
        name: .customLong("fail-on-anomaly"),
        help: ArgumentHelp(
            "Exit with status 1, after writing every output, when a session's rarest-window likelihood (the first --window) is below this.",
            valueName: "likelihood"))
    var threshold: Double?

    func validate() throws {
        if let threshold, !(threshold > 0 && threshold <= 1) {
            throw ValidationError("--fail-on-anomaly must be above 0 and at most 1")
        }
    }

    /// Exits with status 1 and one line on stderr when a session scores below the threshold.
    func check(_ scores: SessionScores) throws {
        guard let threshold, let column = scores.rarestWindows.first else { return }
        let bound = log(threshold)
        let below = column.logLikelihood.indices.filter { column.logLikelihood[$0] < bound }
        guard let rarest = below.min(by: { column.logLikelihood[$0] < column.logLikelihood[$1] }) else { return }
        FileHandle.standardError.write(
            Data(
                ("seqhunt: \(below.count) session\(below.count == 1 ? "" : "s") scored below --fail-on-anomaly "
                    + String(
                        format: "%g (the rarest: session_id %d at %.3e)\n", threshold, rarest + 1,
                        exp(column.logLikelihood[rarest]))).utf8))
        throw ExitCode(1)
    }
}
