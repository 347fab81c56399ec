import CCairo
import Foundation
import SeqHunt
import SeqHuntSupport

/// Draws a timeline as a PNG with Cairo: session start time on x (UTC), the
/// rarest-window likelihood on y (log axis by default, so 1e-4 and 1e-9 are told
/// apart), the rarest sessions marked and labelled without overlaps, and a range
/// strip below with the whole time span and the plotted range.
public enum TimelinePNG {
    /// Why a timeline could not be drawn.
    public struct RenderError: SeqHuntError {
        /// What was wrong, on one line.
        public var description: String
    }

    static let palette: [(Double, Double, Double)] = [
        (0.12, 0.47, 0.71), (1.00, 0.50, 0.05), (0.17, 0.63, 0.17), (0.58, 0.40, 0.74), (0.55, 0.34, 0.29),
        (0.89, 0.47, 0.76), (0.50, 0.50, 0.50), (0.74, 0.74, 0.13), (0.09, 0.75, 0.81), (0.84, 0.15, 0.16)
    ]
    /// The colour of marked (rarest) sessions.
    static let marked = (0.84, 0.10, 0.11)

    /// What is drawn where: the points that are plotted, the layout, and the labels of
    /// the marked sessions with their lines of text.
    package struct Scene {
        package let plotted: [TimelinePoint]
        package let scored: [TimelinePoint]
        package let unscored: Int
        package let allTimes: [Int64]
        package let layout: TimelineLayout
        /// The marked sessions that are plotted, by rank.
        package let marked: [TimelinePoint]
        package let labels: LabelColumn
        /// Per rank, the label's lines (the window shortened to fit; the reason when there is room).
        package let lines: [Int: [String]]
        package let fontSize: Double
        package let rowHeight: Double

        init(_ points: [TimelinePoint], options: TimelineOptions, canvas: Canvas) {
            unscored = points.filter { !$0.logLikelihood.isFinite }.count
            let bound = options.upperBound.map { log($0) } ?? .infinity
            scored = points.filter { $0.logLikelihood.isFinite }
            let plotted = scored.filter { $0.logLikelihood <= bound }
            self.plotted = plotted
            allTimes = points.map(\.microseconds)
            let marked = plotted.filter { $0.rank != nil }.sorted { $0.rank! < $1.rank! }
            self.marked = marked
            let times = plotted.isEmpty ? allTimes : plotted.map(\.microseconds)
            let timeRange = (times.min() ?? 0)...(times.max() ?? 0)
            let logs = plotted.map(\.logLikelihood)
            let logRange = (logs.min() ?? -1)...(logs.max() ?? 0)
            // The label column: as wide as the widest label, at most 40% of the image.
            func head(_ p: TimelinePoint) -> String {
                "\(p.rank!). " + (p.sessionID.map { "#\($0) " } ?? "") + printable(p.key, limit: .max)
            }
            func tail(_ p: TimelinePoint) -> String { ": " + printable(p.window.joined(separator: " → "), limit: .max) }
            let natural =
                marked.map { p in
                    max(
                        canvas.measure(head(p) + tail(p), size: 11).width,
                        canvas.measure(printable(p.reason, limit: .max), size: 10).width)
                }.max() ?? 0
            let width = marked.isEmpty ? 0 : min(natural + 8, Double(options.width) * 0.4)
            let layout = TimelineLayout(options: options, times: timeRange, logs: logRange, labelWidth: width)
            self.layout = layout
            // Two lines (with the reason) when they fit, else one, else smaller type.
            let count = Double(marked.count)
            let reasons = marked.contains { !$0.reason.isEmpty }
            var size = 11.0, rows = reasons && count * 28 <= layout.labels.height ? 28.0 : 16.0
            while count * rows > layout.labels.height && size > 7 {
                size -= 1
                rows = size + 4
            }
            fontSize = size
            rowHeight = rows
            labels = LabelColumn(
                points: marked.map { ($0.rank!, layout.x($0.microseconds), layout.y(logLikelihood: $0.logLikelihood)) },
                column: layout.labels, rowHeight: rows)
            // Fit each label to the column: whole key parts only, then as much of the window and reason as fits.
            var lines: [Int: [String]] = [:]
            let room = layout.labels.width - 6
            func fitted(_ text: String, size: Double) -> String {
                guard canvas.measure(text, size: size).width > room else { return text }
                var characters = Array(text)
                while !characters.isEmpty && canvas.measure(String(characters) + "…", size: size).width > room {
                    characters.removeLast(max(1, characters.count / 8))
                }
                return characters.isEmpty ? "" : String(characters) + "…"
            }
            for p in marked {
                var parts = printable(p.key, limit: .max).components(separatedBy: " / ")
                var line = head(p)
                while canvas.measure(line, size: size).width > room && parts.count > 1 {
                    parts.removeLast()
                    line =
                        "\(p.rank!). " + (p.sessionID.map { "#\($0) " } ?? "") + parts.joined(separator: " / ") + " / …"
                }
                let full = line + tail(p)
                let window = fitted(full, size: size)
                // Never cut the key: when even the key does not fit, it is shown whole.
                var entry = [window.count < line.count ? line : window]
                if rows >= 28 && !p.reason.isEmpty { entry.append(fitted(printable(p.reason, limit: .max), size: 10)) }
                lines[p.rank!] = entry
            }
            self.lines = lines
        }
    }

    /// The scene of a timeline without drawing it (for tests that read the layout back).
    package static func scene(_ points: [TimelinePoint], options: TimelineOptions = TimelineOptions()) -> Scene {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)!
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        return Scene(points, options: options, canvas: Canvas(cr: cr))
    }

    /// The PNG bytes of a timeline of `points`.
    /// - Complexity: O(n) for n points, plus the marked ones' labels; a million points draw in seconds.
    public static func render(_ points: [TimelinePoint], options: TimelineOptions = TimelineOptions()) throws -> [UInt8]
    {
        guard options.width >= 200, options.height >= 150, options.width <= 20_000, options.height <= 20_000,
            options.scale > 0, options.scale <= 8
        else {
            throw RenderError(
                description: "image size \(options.width)×\(options.height) at scale \(options.scale) is out of range")
        }
        let pixelsWide = Int32((Double(options.width) * options.scale).rounded())
        let pixelsHigh = Int32((Double(options.height) * options.scale).rounded())
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pixelsWide, pixelsHigh),
            cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS
        else {
            throw RenderError(description: "cannot create a \(pixelsWide)×\(pixelsHigh) image")
        }
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        cairo_scale(cr, options.scale, options.scale)
        let canvas = Canvas(cr: cr)
        let scene = Scene(points, options: options, canvas: canvas)
        let layout = scene.layout, plotted = scene.plotted, scored = scene.scored

        // Background, title.
        canvas.fill(
            TimelineLayout.Rect(x: 0, y: 0, width: Double(options.width), height: Double(options.height)), (1, 1, 1))
        canvas.text(options.title, x: layout.plot.x, y: 30, size: 17, bold: true)

        // Y axis: decades (log) or evenly spaced values (linear).
        canvas.stroke(layout.plot, (0.3, 0.3, 0.3), width: 1)
        for (value, label) in yTicks(layout) {
            let y =
                layout.plot.y + layout.plot.height
                * (1 - (value - layout.valueRange.lowerBound)
                    / (layout.valueRange.upperBound - layout.valueRange.lowerBound))
            canvas.line(layout.plot.x, y, layout.plot.x + layout.plot.width, y, (0.9, 0.9, 0.9), width: 1)
            canvas.text(label, x: layout.plot.x - 8, y: y + 4, size: 11, align: .right)
        }
        canvas.text(
            options.yLabel + (options.logarithmic ? " (log scale)" : ""), x: 18,
            y: layout.plot.y + layout.plot.height / 2,
            size: 12, rotate: true)

        // X axis: UTC times.
        for tick in TimeAxis.ticks(from: layout.timeRange.lowerBound, to: layout.timeRange.upperBound) {
            let x = layout.x(tick.time)
            canvas.line(x, layout.plot.y, x, layout.plot.y + layout.plot.height, (0.93, 0.93, 0.93), width: 1)
            canvas.text(tick.label, x: x, y: layout.plot.y + layout.plot.height + 16, size: 11, align: .center)
        }
        canvas.text(
            "session start (UTC)", x: layout.plot.x + layout.plot.width / 2, y: layout.plot.y + layout.plot.height + 34,
            size: 12, align: .center)

        // Points, coloured by group: stamped straight into the pixels (a Cairo path per
        // point would take seconds for a million points).
        let groups = groupColours(plotted)
        DotStamper(surface: surface, scale: options.scale).draw(
            plotted.lazy.map { point in
                (
                    layout.x(point.microseconds), layout.y(logLikelihood: point.logLikelihood),
                    point.group.flatMap { groups.colour[$0] } ?? palette[0]
                )
            }, radius: 3, alpha: 0.65)

        // The marked sessions: ringed, and labelled in the column beside the plot.
        for p in scene.marked {
            canvas.ring(layout.x(p.microseconds), layout.y(logLikelihood: p.logLikelihood), radius: 6, marked, width: 2)
        }
        for label in scene.labels.labels {
            canvas.line(label.pointX, label.pointY, label.anchorX, label.anchorY, marked, width: 0.8)
            let lines = scene.lines[label.rank] ?? []
            for (n, text) in lines.enumerated() {
                let baseline = label.box.y + (n == 0 ? scene.fontSize + 1 : scene.fontSize + 14)
                canvas.text(
                    text, x: label.box.x + 4, y: baseline, size: n == 0 ? scene.fontSize : 10,
                    colour: n == 0 ? (0.45, 0.05, 0.05) : (0.3, 0.3, 0.3))
            }
        }

        // Legend for groups.
        if !groups.order.isEmpty {
            var y = layout.plot.y + 16
            let x = layout.plot.x + layout.plot.width - 230
            canvas.fill(
                TimelineLayout.Rect(
                    x: x - 8, y: y - 14, width: 230,
                    height: Double(groups.order.count) * 16 + (options.legendTitle == nil ? 8 : 24)),
                (1, 1, 1), alpha: 0.85)
            if let title = options.legendTitle {
                canvas.text(title, x: x, y: y, size: 11, bold: true)
                y += 16
            }
            for name in groups.order {
                canvas.circle(x + 5, y - 4, radius: 4, groups.colour[name] ?? palette[6], alpha: 1)
                canvas.text(printable(name.isEmpty ? "(empty)" : name, limit: 32), x: x + 14, y: y, size: 11)
                y += 16
            }
        }

        // Range strip: every scored session over the whole span, the plotted range marked.
        let logs = plotted.map(\.logLikelihood)
        canvas.stroke(layout.strip, (0.5, 0.5, 0.5), width: 1)
        let allRange = (scene.allTimes.min() ?? 0)...(scene.allTimes.max() ?? 0)
        let stripLayout = TimelineLayout(
            options: options, times: allRange, logs: (logs.min() ?? -1)...(logs.max() ?? 0),
            labelWidth: layout.labels.width)
        let selected = TimelineLayout.Rect(
            x: stripLayout.x(layout.timeRange.lowerBound, in: layout.strip), y: layout.strip.y,
            width: stripLayout.x(layout.timeRange.upperBound, in: layout.strip)
                - stripLayout.x(layout.timeRange.lowerBound, in: layout.strip),
            height: layout.strip.height)
        canvas.fill(selected, (0.85, 0.90, 0.97))
        let lowest = scored.map(\.logLikelihood).min() ?? -1, highest = scored.map(\.logLikelihood).max() ?? 0
        DotStamper(surface: surface, scale: options.scale).draw(
            scored.lazy.map { point in
                let f = highest > lowest ? (point.logLikelihood - lowest) / (highest - lowest) : 0.5
                return (
                    stripLayout.x(point.microseconds, in: layout.strip),
                    layout.strip.y + 2 + (layout.strip.height - 4) * (1 - f),
                    (0.3, 0.3, 0.3)
                )
            }, radius: 1.2, alpha: 0.5)

        // The strip's caption says what is not plotted, and how many more tie with the last mark.
        var notes: [String] = ["whole time span (plotted range shaded)", "\(plotted.count) sessions plotted"]
        if scene.unscored > 0 {
            notes.append("\(scene.unscored) without a score (shorter than the window) not plotted")
        }
        if options.undated > 0 { notes.append("\(options.undated) without a start time not plotted") }
        if scored.count > plotted.count {
            notes.append("\(scored.count - plotted.count) above the upper bound not plotted")
        }
        if let more = options.unmarkedTies {
            notes.append("+\(more.count) more at \(String(format: "%.1e", exp(more.logLikelihood))) not marked")
        }
        let unlabelled = scene.marked.count - scene.labels.labels.count
        if unlabelled > 0 { notes.append("\(unlabelled) marked without a label (no room)") }
        canvas.text(
            notes.joined(separator: "; "), x: layout.strip.x, y: layout.strip.y - 5, size: 10,
            colour: (0.35, 0.35, 0.35))

        return try pngBytes(surface)
    }

    /// Y ticks: every decade (thinned to at most 10) on a log axis; 5 steps on a linear one.
    static func yTicks(_ layout: TimelineLayout) -> [(Double, String)] {
        let low = layout.valueRange.lowerBound, high = layout.valueRange.upperBound
        if layout.logarithmic {
            let decades = Int(high - low)
            let step = max(1, (decades + 9) / 10)
            return stride(from: Int(high), through: Int(low), by: -step).map { (Double($0), $0 == 0 ? "1" : "1e\($0)") }
        }
        return (0...5).map { i in
            let v = low + (high - low) * Double(i) / 5
            return (v, String(format: "%.3g", v))
        }
    }

    /// Colours for the most common groups; the rest share grey.
    static func groupColours(_ points: [TimelinePoint]) -> (order: [String], colour: [String: (Double, Double, Double)])
    {
        var counts: [String: Int] = [:]
        for p in points { if let g = p.group { counts[g, default: 0] += 1 } }
        guard !counts.isEmpty else { return ([], [:]) }
        let order = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        var colour: [String: (Double, Double, Double)] = [:]
        for (i, name) in order.enumerated() { colour[name] = i < 9 ? palette[i] : palette[6] }
        return (Array(order.prefix(9)), colour)
    }

    static func pngBytes(_ surface: OpaquePointer) throws -> [UInt8] {
        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        let status = cairo_surface_write_to_png_stream(
            surface,
            { closure, data, length in
                let sink = Unmanaged<Sink>.fromOpaque(closure!).takeUnretainedValue()
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(sink).toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else { throw RenderError(description: "PNG encoding failed") }
        return sink.bytes
    }
}

/// Draws filled dots straight into an ARGB32 image surface (premultiplied alpha),
/// with one coverage mask per call: fast enough for millions of points.
struct DotStamper {
    let surface: OpaquePointer
    let scale: Double

    func draw<S: Sequence>(_ dots: S, radius: Double, alpha: Double)
    where S.Element == (Double, Double, (Double, Double, Double)) {
        cairo_surface_flush(surface)
        defer { cairo_surface_mark_dirty(surface) }
        guard let data = cairo_image_surface_get_data(surface) else { return }
        let stride = Int(cairo_image_surface_get_stride(surface))
        let width = Int(cairo_image_surface_get_width(surface)), height = Int(cairo_image_surface_get_height(surface))
        let r = radius * scale
        let reach = Int(r.rounded(.up)) + 1
        // Coverage of each pixel offset, sampled 4×4 within the pixel.
        let side = 2 * reach + 1
        var maskValues = [Double](repeating: 0, count: side * side)
        for dy in -reach...reach {
            for dx in -reach...reach {
                var covered = 0
                for sy in 0..<4 {
                    for sx in 0..<4 {
                        let x = Double(dx) + (Double(sx) + 0.5) / 4 - 0.5, y = Double(dy) + (Double(sy) + 0.5) / 4 - 0.5
                        if x * x + y * y <= r * r { covered += 1 }
                    }
                }
                maskValues[(dy + reach) * side + dx + reach] = Double(covered) / 16 * alpha
            }
        }
        // Weights in 1/65536ths: each channel blends as integers, rounded to nearest.
        let mask = maskValues.map { UInt32(($0 * 65536).rounded()) }
        // Each dot's centre pixel and colour (0...255 per channel), worked out once.
        let scale = self.scale
        var centres = [(x: Int32, y: Int32)](), colours = [(r: UInt32, g: UInt32, b: UInt32)]()
        centres.reserveCapacity(dots.underestimatedCount)
        colours.reserveCapacity(dots.underestimatedCount)
        for (x, y, colour) in dots {
            // Far outside the image (or not a number): never drawn, and kept out of Int32's range.
            let cx = (x * scale).rounded(), cy = (y * scale).rounded()
            guard cx > -1e6, cx < 1e6, cy > -1e6, cy < 1e6 else { continue }
            centres.append((Int32(cx), Int32(cy)))
            func channel(_ c: Double) -> UInt32 { UInt32((min(max(c, 0), 1) * 255).rounded()) }
            colours.append((channel(colour.0), channel(colour.1), channel(colour.2)))
        }
        // Horizontal bands, eight per worker (the dots crowd some heights), taken by whichever
        // worker is free. Each band gets the dots that reach into it, in their order (a
        // counting sort), so each pixel blends its dots in input order: the image is the same
        // whatever the band count.
        let bands = max(1, min(8 * Parallel.defaultThreadCount, height / 16, centres.count / 10_000))
        func band(ofRow y: Int) -> Int {
            var b = min(bands - 1, max(0, y * bands / height))
            while b > 0 && height * b / bands > y { b -= 1 }
            while b < bands - 1 && height * (b + 1) / bands <= y { b += 1 }
            return b
        }
        var bandStart = [Int](repeating: 0, count: bands + 1)
        func bandsReached(by i: Int) -> ClosedRange<Int>? {
            let (cx, cy) = (Int(centres[i].x), Int(centres[i].y))
            guard cx + reach >= 0, cx - reach < width, cy + reach >= 0, cy - reach < height else { return nil }
            return band(ofRow: max(0, cy - reach))...band(ofRow: min(height - 1, cy + reach))
        }
        for i in centres.indices { if let touched = bandsReached(by: i) { for b in touched { bandStart[b + 1] += 1 } } }
        for b in 0..<bands { bandStart[b + 1] += bandStart[b] }
        var next = bandStart
        var members = [Int32](repeating: 0, count: bandStart[bands])
        for i in centres.indices {
            if let touched = bandsReached(by: i) {
                for b in touched {
                    members[next[b]] = Int32(i)
                    next[b] += 1
                }
            }
        }
        let pixels = PixelRows(data: data)
        Parallel.run(chunks: bands) { [centres, colours, members, bandStart] band in
            let top = height * band / bands, bottom = height * (band + 1) / bands
            for m in bandStart[band]..<bandStart[band + 1] {
                let i = Int(members[m])
                let cx = Int(centres[i].x), cy = Int(centres[i].y), colour = colours[i]
                for dy in -reach...reach {
                    let py = cy + dy
                    guard py >= top && py < bottom else { continue }
                    let row = UnsafeMutableRawPointer(pixels.data + py * stride)
                    for dx in -reach...reach {
                        let px = cx + dx
                        let a = mask[(dy + reach) * side + dx + reach]
                        guard a > 0, px >= 0, px < width else { continue }
                        let pixel = row.load(fromByteOffset: px * 4, as: UInt32.self)
                        let keep = 65536 - a
                        func mix(_ shift: UInt32, _ c: UInt32) -> UInt32 {
                            (((pixel >> shift & 0xFF) * keep + c * a + 32768) >> 16) << shift
                        }
                        row.storeBytes(
                            of: mix(24, 255) | mix(16, colour.r) | mix(8, colour.g) | mix(0, colour.b),
                            toByteOffset: px * 4, as: UInt32.self)
                    }
                }
            }
        }
    }
}

/// The image's pixel rows, handed to the band workers. (Unchecked `Sendable`: each worker
/// writes only the rows of its own band.)
private struct PixelRows: @unchecked Sendable {
    let data: UnsafeMutablePointer<UInt8>
}
