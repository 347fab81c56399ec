// The commands that draw timelines are left out of the build without the Timelines trait (Package.swift).
#if Timelines
import ArgumentParser
import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntTimeline

/// Timeline flags shared by `plot`, `run` and `demo`.
struct TimelineArguments: ParsableArguments {
    @Option(name: .long, help: "Write the timeline as a PNG here.", completion: .file())
    var png: String?

    @Option(
        name: .long, help: "Write the timeline as an interactive, self-contained HTML page here.", completion: .file())
    var html: String?

    @Option(
        name: .customLong("window"),
        help: ArgumentHelp("Which rarest-window length to plot (default: the first in the file).", valueName: "k"))
    var window: Int?

    @Option(
        name: .customLong("upper-bound"),
        help: ArgumentHelp("Plot only sessions whose likelihood is at most this.", valueName: "x"))
    var upperBound: Double?

    @Option(name: .customLong("top"), help: "How many of the rarest sessions to mark and label.")
    var top: Int = 10

    @Flag(name: .long, help: "A linear y axis, as msticpy draws it, instead of a log axis.")
    var linear = false

    @Option(
        name: .customLong("color-by"),
        help: ArgumentHelp("Colour points by this column, with a legend.", valueName: "column"))
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
    func write(_ drawn: TimelinePoints.Drawn, inputs: [String], defaultPNG: String? = nil, defaultHTML: String? = nil)
        throws
    {
        var options = self.options
        options.undated = drawn.undated
        options.unmarkedTies = drawn.unmarkedTies
        let points = drawn.points
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
#endif
