// The commands that draw timelines are left out of the build without the Timelines trait (Package.swift).
#if Timelines
import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntTimeline

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw the scored sessions as a timeline: start time against rarest-window likelihood.",
        discussion: """
            SCORES is a file written by `seqhunt score` or `seqhunt run` (it needs a begin column). \
            The y axis is logarithmic by default, so that 1e-4 and 1e-9 are told apart; the \
            rarest sessions are marked and labelled, and a strip below shows the whole time span.

            Example: seqhunt plot hunt/scores.csv --png timeline.png --top 15 --color-by UserId
            """)

    @Argument(help: "A scores file (.csv or .jsonl).", completion: .file())
    var scores: String

    @OptionGroup var timeline: TimelineArguments

    func run() throws {
        try reportingFailures {
            guard timeline.png != nil || timeline.html != nil else {
                throw ValidationError("give --png OUT.png and/or --html OUT.html")
            }
            try OutputPlan.check(outputs: [timeline.png, timeline.html].compactMap { $0 }, inputs: [scores])
            let drawn = try TimelinePoints.from(
                scoresFile: scores, window: timeline.window, colorBy: timeline.colorBy, top: timeline.top)
            try timeline.write(drawn, inputs: [scores])
        }
    }
}
#endif
