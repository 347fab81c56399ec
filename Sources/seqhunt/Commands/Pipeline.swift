// The commands that draw timelines are left out of the build without the Timelines trait (Package.swift).
#if Timelines
import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntTimeline
import SeqHuntSupport

/// Sessionize → train → score → write → show, shared by `run` and `demo`.
struct Pipeline {
    let inputs: [String]
    let events: EventArguments
    let scoring: ScoringArguments
    let quiet: Bool
    /// Where to write `--stats`, if anywhere.
    var statsPath: String? = nil
    /// The wide columns of scores.csv: none by default, so that the outputs stay a fraction
    /// of the input (`--wide-scores`, `--explanations`).
    var columns: ScoreColumns = .narrow
    /// Whether to write sessions.jsonl (event inputs only): `--write-sessions`.
    var writeSessions = false
    var extraColumn: ((Sessionizer.Result?, SessionTable) -> (title: String, value: (Int) -> String))? = nil
    #if Queries
    /// A workspace query to read instead of `inputs`.
    var query: QueryArguments? = nil
    #endif

    /// The query file a workspace query reads (never an output).
    var queryFiles: [String] {
        #if Queries
        query?.readPaths ?? []
        #else
        []
        #endif
    }

    /// The files `run` writes in its output folder, and so owns there.
    static let ownedFiles = ["sessions.jsonl", "scores.csv", "timeline.png", "timeline.html"]

    @discardableResult
    func run(outputDirectory: String, top: Int) throws -> (table: SessionTable, scores: SessionScores, ranking: [Int]) {
        let outputs = Self.ownedFiles.map { outputDirectory + "/" + $0 }
        try OutputPlan.check(
            outputs: outputs + [statsPath].compactMap { $0 },
            inputs: inputs + [scoring.model].compactMap { $0 } + queryFiles,
            creating: [outputDirectory])
        var stats = RunStatistics()
        let saved = try scoring.loadModel(recordingIn: &stats)
        #if Queries
        let loaded =
            try query.map {
                try events.load(self.inputs, query: $0, execution: scoring.execution, quiet: quiet, recordingIn: &stats)
            }
            ?? events.load(self.inputs, execution: scoring.execution, quiet: quiet, recordingIn: &stats)
        #else
        let loaded = try events.load(inputs, execution: scoring.execution, quiet: quiet, recordingIn: &stats)
        #endif
        // Created only once the input has been read without error: bad input leaves nothing.
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: outputDirectory, cause: "cannot create the directory")
        }
        let table = loaded.table
        // A sessions input is not written back: it is already a sessions file.
        let writesSessions = writeSessions && loaded.kind == .events
        let (model, scores) = try scoring.modelAndScores(of: table, saved: saved, recordingIn: &stats)
        // The timeline is drawn on its own thread while the files are written: the writers
        // wait on the kernel's copies part of the time.
        let clock = ContinuousClock()
        // Every file this run reads: no output may replace one of them.
        let inputs = self.inputs + [scoring.model].compactMap { $0 } + queryFiles
        let plot = BackgroundWork { () throws -> Duration in
            try clock.measure {
                if table.columns.contains("begin") {
                    var timeline = try TimelineArguments.parse([])
                    timeline.top = top
                    let drawn = try TimelinePoints.from(
                        table: table, scores: scores, model: model, window: nil, colorBy: nil, top: top)
                    try timeline.write(
                        drawn, inputs: inputs, defaultPNG: outputDirectory + "/timeline.png",
                        defaultHTML: outputDirectory + "/timeline.html")
                }
            }
        }
        try stats.measure("write") {
            if writesSessions {
                try SessionWriter.write(table, to: outputDirectory + "/sessions.jsonl", inputs: inputs)
            }
            try ScoreWriter.write(
                table: table, scores: scores, model: model, columns: columns,
                to: outputDirectory + "/scores.csv", inputs: inputs)
        }
        // Drawn alongside the writing: `plot` is the wall time until the drawing is done.
        let plotTime = try plot.wait()
        if table.columns.contains("begin") { stats.record("plot", plotTime.seconds) }
        try stats.write(to: statsPath, inputs: inputs + outputs)
        // The folder's known files that this run did not write are an earlier run's: removed,
        // so that no stale result sits beside the new ones.
        let written =
            (writesSessions ? ["sessions.jsonl"] : []) + ["scores.csv"]
            + (table.columns.contains("begin") ? ["timeline.png", "timeline.html"] : [])
        let stale = Self.ownedFiles.filter { !written.contains($0) }.map { outputDirectory + "/" + $0 }
            .filter { FileIdentity(path: $0)?.kind == .regular }
        for path in stale { SystemCall.unlink(path) }
        stats.printAccounting(quiet: quiet)
        note(stats.summary, quiet: quiet)
        var ranked = RankedTable(table: table, scores: scores, model: model)
        if let extraColumn { ranked.extraColumn = extraColumn(nil, table) }
        if !quiet {
            print(ranked.render(top: top))
            print(
                "\nwrote " + written.map { "\(outputDirectory)/\($0)" }.joined(separator: ", ")
                    + (stale.isEmpty ? "" : "; removed an earlier run's " + stale.joined(separator: ", ")))
        }
        return (table, scores, ranked.ranking(depth: top).order)
    }
}
#endif
