import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntTimeline

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Sessionize event logs, train, score, and show the rarest sessions.",
        discussion: """
            Writes DIR/sessions.jsonl and DIR/scores.csv, and prints the rarest sessions.

            Example (the seed query over an OfficeActivity export):
              seqhunt run OfficeActivity.csv --out hunt --record-type ExchangeAdmin \\
                --exclude-user-prefix "NT AUTHORITY" --exclude-user-substring prod.outlook.com
            """)

    @Argument(help: "Event logs (CSV or JSON Lines).")
    var inputs: [String]

    @Option(name: .long, help: "The output directory (created when missing).")
    var out: String

    @OptionGroup var events: EventArguments
    @OptionGroup var scoring: ScoringArguments

    @Option(name: .long, help: "How many of the rarest sessions to print.")
    var top: Int = 10

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        try reportingFailures {
            try Pipeline(inputs: inputs, events: events, scoring: scoring, quiet: quiet)
                .run(outputDirectory: out, top: top)
        }
    }
}

/// Sessionize → train → score → write → show, shared by `run` and `demo`.
struct Pipeline {
    let inputs: [String]
    let events: EventArguments
    let scoring: ScoringArguments
    let quiet: Bool
    var extraColumn: ((Sessionizer.Result?, SessionTable) -> (title: String, value: (Int) -> String))? = nil

    @discardableResult
    func run(outputDirectory: String, top: Int) throws -> (table: SessionTable, ranking: [Int]) {
        let saved = try scoring.loadModel()
        let progress = ProgressLine(quiet: quiet)
        var loader = try events.loader(threads: scoring.threads)
        loader.progress = progress.update
        let loaded = try loader.load(inputs)
        progress.finish()
        // Created only once the input has been read without error: bad input leaves nothing.
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: outputDirectory, cause: "cannot create the directory")
        }
        let table = loaded.table
        let clock = ContinuousClock()
        var model: Model!
        let trainTime = try clock.measure {
            model = try scoring.model(for: table.store, loaded: saved)
        }
        var scores: SessionScores!
        let scoreTime = try clock.measure { scores = try model.score(table.store, options: scoring.options) }
        // The timeline is drawn on its own thread while the files are written: the writers
        // wait on the kernel's copies part of the time.
        let scored: SessionScores = scores, inputs = self.inputs
        let plot = BackgroundWork { () throws -> Duration in
            try clock.measure {
                if table.columns.contains("begin") {
                    let points = try TimelinePoints.from(table: table, scores: scored, window: nil, colorBy: nil)
                    try TimelineArguments.parse([]).write(points, inputs: inputs, defaultPNG: outputDirectory + "/timeline.png",
                                                          defaultHTML: outputDirectory + "/timeline.html")
                }
            }
        }
        let writeTime = try clock.measure {
            if loaded.kind == .events {
                try SessionWriter.write(table, to: outputDirectory + "/sessions.jsonl", inputs: inputs)
            }
            try ScoreWriter.write(table: table, scores: scores, to: outputDirectory + "/scores.csv", inputs: inputs)
        }
        let plotTime = try plot.wait()
        printReport(loaded.report, sessions: table.store.sessionCount, quiet: quiet)
        note(String(format: "read %.2f s, sessionize %.2f s, train %.3f s, score %.3f s, write %.2f s, plot %.2f s",
                    loaded.readSeconds, loaded.sessionizeSeconds, trainTime.seconds, scoreTime.seconds, writeTime.seconds,
                    plotTime.seconds),
             quiet: quiet)
        var ranked = RankedTable(table: table, scores: scores)
        if let extraColumn { ranked.extraColumn = extraColumn(nil, table) }
        if !quiet {
            print(ranked.render(top: top))
            let written = (loaded.kind == .events ? ["sessions.jsonl"] : []) + ["scores.csv"]
                + (table.columns.contains("begin") ? ["timeline.png", "timeline.html"] : [])
            print("\nwrote " + written.map { "\(outputDirectory)/\($0)" }.joined(separator: ", "))
        }
        return (table, ranked.ranking())
    }
}

/// Work started on a background thread now and joined later; its error is rethrown on join.
final class BackgroundWork<Result>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Swift.Result<Result, Error>?

    init(_ body: @escaping @Sendable () throws -> Result) {
        let thread = Thread { [self] in
            outcome = Swift.Result { try body() }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the work and returns its result (or rethrows its error).
    func wait() throws -> Result {
        done.wait()
        return try outcome!.get()
    }
}
