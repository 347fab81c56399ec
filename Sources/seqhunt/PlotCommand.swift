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

    @Argument(help: "A scores file (.csv or .jsonl).")
    var scores: String

    @OptionGroup var timeline: TimelineArguments

    func run() throws {
        try reportingFailures {
            guard timeline.png != nil || timeline.html != nil else { throw ValidationError("give --png OUT.png and/or --html OUT.html") }
            try OutputPlan.check(outputs: [timeline.png, timeline.html].compactMap { $0 }, inputs: [scores])
            let (points, undated) = try TimelinePoints.from(scoresFile: scores, window: timeline.window, colorBy: timeline.colorBy)
            try timeline.write(points, undated: undated, inputs: [scores])
        }
    }
}

/// Timeline flags shared by `plot`, `run` and `demo`.
struct TimelineArguments: ParsableArguments {
    @Option(name: .long, help: "Write the timeline as a PNG here.")
    var png: String?

    @Option(name: .long, help: "Write the timeline as an interactive, self-contained HTML page here.")
    var html: String?

    @Option(name: .customLong("window"), help: ArgumentHelp("Which rarest-window length to plot (default: the first in the file).", valueName: "k"))
    var window: Int?

    @Option(name: .customLong("upper-bound"), help: ArgumentHelp("Plot only sessions whose likelihood is at most this.", valueName: "x"))
    var upperBound: Double?

    @Option(name: .customLong("top"), help: "How many of the rarest sessions to mark and label.")
    var top: Int = 10

    @Flag(name: .long, help: "A linear y axis, as msticpy draws it, instead of a log axis.")
    var linear = false

    @Option(name: .customLong("color-by"), help: ArgumentHelp("Colour points by this column, with a legend.", valueName: "column"))
    var colorBy: String?

    @Option(name: .long, help: "Image width in points.")
    var width: Int = 1400

    @Option(name: .long, help: "Image height in points.")
    var height: Int = 700

    @Option(name: .long, help: "Pixels per inch (72 gives one pixel per point).")
    var dpi: Double = 72

    @Option(name: .long, help: "The title.")
    var title: String?

    func validate() throws {
        if let upperBound, !(upperBound > 0) { throw ValidationError("--upper-bound must be above 0") }
        if top < 0 { throw ValidationError("--top must not be negative") }
        if !(dpi >= 36 && dpi <= 576) { throw ValidationError("--dpi must be between 36 and 576") }
        if !(width >= 200 && width <= 20_000) || !(height >= 150 && height <= 20_000) {
            throw ValidationError("--width must be between 200 and 20000 and --height between 150 and 20000")
        }
        if Double(width) * Double(height) * (dpi / 72) * (dpi / 72) > 100e6 {
            throw ValidationError("--width, --height and --dpi make more than 100 million pixels")
        }
        if let window, window < 1 { throw ValidationError("--window must be at least 1") }
    }

    var options: TimelineOptions {
        var options = TimelineOptions()
        options.width = width
        options.height = height
        options.scale = dpi / 72
        options.logarithmic = !linear
        options.top = top
        options.upperBound = upperBound
        options.legendTitle = colorBy
        if let title { options.title = title }
        return options
    }

    /// Renders and writes the PNG and the HTML page (atomically) where asked, or to the default paths.
    func write(_ points: [TimelinePoint], undated: Int, inputs: [String], defaultPNG: String? = nil, defaultHTML: String? = nil) throws {
        var options = self.options
        options.undated = undated
        if let path = png ?? defaultPNG {
            let bytes: [UInt8]
            do {
                bytes = try TimelinePNG.render(points, options: options)
            } catch let error as TimelinePNG.RenderError {
                throw OutputError(path: path, cause: error.description)
            }
            let writer = try AtomicFileWriter(path: path, inputs: inputs)
            try writer.write(bytes: bytes)
            try writer.commit()
        }
        if let path = html ?? defaultHTML {
            let writer = try AtomicFileWriter(path: path, inputs: inputs)
            try writer.write(TimelineHTML.render(points, options: options))
            try writer.commit()
        }
    }
}

/// Timeline points from scores, in memory or read back from a file.
enum TimelinePoints {
    static let descriptive: Set<String> = ["begin", "end", "duration", "nCmds", "nDistinctCmds"]

    /// The key values that are not empty, joined; "(empty key)" when all are empty.
    static func keyText(_ values: [String?]) -> String {
        let present = values.compactMap { $0 }.filter { !$0.isEmpty }
        return present.isEmpty ? "(empty key)" : present.joined(separator: " / ")
    }

    /// From a scored session table (what `run` and `demo` hold in memory). Only the
    /// sessions an HTML page can hold (the rarest) carry their commands, so that a
    /// million-session run makes a million light points, not a million command lists.
    /// The points, and how many sessions had no start time to place them by.
    static func from(table: SessionTable, scores: SessionScores, window: Int?, colorBy: String?) throws -> ([TimelinePoint], undated: Int) {
        guard let column = window.map({ scores.rarestWindows(length: $0) }) ?? scores.rarestWindows.first else {
            throw ValidationError("no rarest-window column of length \(window ?? 0) was scored")
        }
        let keys = table.columns.indices.filter { !descriptive.contains(table.columns[$0]) }
        guard let begin = table.columns.firstIndex(of: "begin") else { return ([], table.store.sessionCount) }
        let group = colorBy.flatMap { table.columns.firstIndex(of: $0) }
        let logs = column.logLikelihood
        var detailed = [Bool](repeating: false, count: logs.count)
        for i in logs.indices.filter({ logs[$0].isFinite }).sorted(by: { logs[$0] < logs[$1] }).prefix(TimelineHTML.maximumPoints) {
            detailed[i] = true
        }
        func cell(_ row: [String?], _ c: Int) -> String? { c < row.count ? row[c] : nil }
        let points = (0..<table.store.sessionCount).compactMap { session -> TimelinePoint? in
            let row = table.rows[session]
            guard let time = cell(row, begin).flatMap({ TimeParser.ticks($0) }).map({ $0 / 10 }) else { return nil }
            var point = TimelinePoint(time: time, logLikelihood: logs[session], key: "", window: [],
                                      group: colorBy.map { _ in group.flatMap { cell(row, $0) } ?? "" })
            if detailed[session] {
                let commands = table.store.commandNames(ofSession: session)
                if let window = column.window(ofSession: session, commands: commands.count) { point.window = Array(commands[window.commandRange]) }
                point.session = commands
                point.key = keyText(keys.map { cell(row, $0) })
            }
            return point
        }
        return (points, table.store.sessionCount - points.count)
    }

    /// The columns a scores file is plotted from, found from its header (or first record).
    struct FileColumns {
        var begin: Int, score: Int, window: Int?, session: Int?, group: Int?, keys: [Int]

        init(_ columns: [String], file: String, window: Int?, colorBy: String?) throws {
            func column(_ name: String) -> Int? { columns.firstIndex(of: name) }
            guard let begin = column("begin") else {
                throw InputError(file: file, line: 1, cause: "missing column \"begin\": the sessions need start times to be plotted")
            }
            let k = window ?? columns.compactMap { name -> Int? in
                guard name.hasPrefix("rarest_window"), name.hasSuffix("_log_likelihood") else { return nil }
                return Int(name.dropFirst("rarest_window".count).dropLast("_log_likelihood".count))
            }.first
            guard let k, let score = column("rarest_window\(k)_log_likelihood") else {
                throw InputError(file: file, line: 1, cause: "no rarest_window\(window.map(String.init) ?? "K")_log_likelihood column to plot")
            }
            self.begin = begin
            self.score = score
            self.window = column("rarest_window\(k)")
            self.session = column("session")
            group = try colorBy.map { name -> Int in
                guard let c = column(name) else { throw InputError(file: file, line: 1, cause: "no column \"\(name)\" to colour by") }
                return c
            }
            keys = (0..<(session ?? columns.count)).filter { !descriptive.contains(columns[$0]) }
        }
    }

    /// From a scores file, streamed: each row keeps its time, score and colour group, and
    /// the bytes of its key and command lists; only the rarest sessions (as many as an HTML
    /// page shows, chosen as for a run in memory) have those turned into text.
    static func from(scoresFile path: String, window: Int?, colorBy: String?) throws -> ([TimelinePoint], undated: Int) {
        var plan: FileColumns? = nil
        var times: [Int64] = [], logs: [Double] = [], groups: [Int32] = []
        var groupNames: [String] = [], groupIDs: [String: Int32] = [:]
        // Per dated row, the end of its key, window and session bytes in `arena`.
        var arena: [UInt8] = [], ends: [(key: Int, window: Int, session: Int)] = []
        var rows = 0
        var number: [UInt8] = []
        let columns = try ScoresReader.forEachRow(path: path) { row in
            rows += 1
            if plan == nil { plan = try FileColumns(row.columns, file: path, window: window, colorBy: colorBy) }
            let plan = plan!
            guard let time = try row.withCell(plan.begin, { $0.flatMap { TimeParser.ticks($0)?.ticks } }) else { return }
            times.append(time / 10)
            logs.append(try row.withCell(plan.score) { bytes in
                // strtod on a terminated copy, whole cell only, no leading space (as Double(String) reads it).
                guard let bytes, let first = bytes.first, first > 0x20, bytes.count < 64 else { return .nan }
                number.removeAll(keepingCapacity: true)
                number.append(contentsOf: bytes)
                number.append(0)
                return number.withUnsafeBufferPointer { text in
                    text.withMemoryRebound(to: CChar.self) { text in
                        var end: UnsafeMutablePointer<CChar>? = nil
                        let value = strtod(text.baseAddress!, &end)
                        return end.map { UnsafePointer($0) } == text.baseAddress! + bytes.count ? value : .nan
                    }
                }
            })
            if let group = plan.group {
                let name = try row.withCell(group) { $0.map { String(decoding: $0, as: UTF8.self) } } ?? ""
                let id = groupIDs[name] ?? { groupIDs[name] = Int32(groupNames.count); groupNames.append(name); return Int32(groupNames.count - 1) }()
                groups.append(id)
            }
            // The key: its non-empty values joined, as keyText joins them.
            let keyStart = arena.count
            for c in plan.keys {
                try row.withCell(c) { bytes in
                    guard let bytes else { return }
                    if arena.count > keyStart { arena.append(contentsOf: " / ".utf8) }
                    arena.append(contentsOf: bytes)
                }
            }
            let keyEnd = arena.count
            if let c = plan.window { try row.withCell(c) { if let bytes = $0 { arena.append(contentsOf: bytes) } } }
            let windowEnd = arena.count
            if let c = plan.session { try row.withCell(c) { if let bytes = $0 { arena.append(contentsOf: bytes) } } }
            ends.append((keyEnd, windowEnd, arena.count))
        }
        if plan == nil { _ = try FileColumns(columns, file: path, window: window, colorBy: colorBy) }
        var detailed = [Bool](repeating: false, count: logs.count)
        for i in logs.indices.filter({ logs[$0].isFinite }).sorted(by: { logs[$0] < logs[$1] }).prefix(TimelineHTML.maximumPoints) {
            detailed[i] = true
        }
        func names(_ range: Range<Int>) -> [String] {
            guard !range.isEmpty, case .array(let items)? = try? JSONParser.parse(String(decoding: arena[range], as: UTF8.self)) else { return [] }
            return items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
        }
        let points = logs.indices.map { i -> TimelinePoint in
            var point = TimelinePoint(time: times[i], logLikelihood: logs[i], key: "", window: [],
                                      group: plan?.group == nil ? nil : groupNames[Int(groups[i])])
            if detailed[i] {
                let start = i == 0 ? 0 : ends[i - 1].session
                let key = String(decoding: arena[start..<ends[i].key], as: UTF8.self)
                point.key = key.isEmpty ? "(empty key)" : key
                point.window = names(ends[i].key..<ends[i].window)
                point.session = names(ends[i].window..<ends[i].session)
            }
            return point
        }
        return (points, rows - points.count)
    }
}
