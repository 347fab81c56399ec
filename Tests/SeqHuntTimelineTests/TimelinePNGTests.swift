import CCairo
import Foundation
import SeqHunt
import SeqHuntTimeline
import Testing

/// Decodes PNG bytes with Cairo and reads pixels back.
final class DecodedPNG {
    let surface: OpaquePointer
    let width: Int, height: Int

    init(_ bytes: [UInt8]) throws {
        final class Source {
            var bytes: [UInt8]
            var offset = 0
            init(_ b: [UInt8]) { bytes = b }
        }
        let source = Source(bytes)
        let surface = cairo_image_surface_create_from_png_stream(
            { closure, data, length in
                let source = Unmanaged<Source>.fromOpaque(closure!).takeUnretainedValue()
                let n = Int(length)
                guard source.offset + n <= source.bytes.count else { return CAIRO_STATUS_READ_ERROR }
                source.bytes.withUnsafeBufferPointer { data!.update(from: $0.baseAddress! + source.offset, count: n) }
                source.offset += n
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(source).toOpaque())!
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else { throw CocoaError(.fileReadCorruptFile) }
        self.surface = surface
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
    }

    deinit { cairo_surface_destroy(surface) }

    /// (red, green, blue) of the pixel at (x, y), 0...255.
    func pixel(_ x: Double, _ y: Double) -> (Int, Int, Int) {
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        let offset = Int(y.rounded(.down)) * stride + Int(x.rounded(.down)) * 4
        let value = UnsafeRawPointer(data + offset).loadUnaligned(as: UInt32.self)  // premultiplied ARGB, native endian
        return (Int(value >> 16 & 0xFF), Int(value >> 8 & 0xFF), Int(value & 0xFF))
    }
}

@Suite("Timeline PNG")
struct TimelinePNGTests {
    let base: Int64 = 1_700_000_000_000_000  // 2023-11-14T22:13:20Z

    func points() -> [TimelinePoint] {
        [
            TimelinePoint(time: .microseconds(base), logLikelihood: log(1e-3), key: "a", window: ["A", "B"]),
            TimelinePoint(
                time: .microseconds(base + 3_600_000_000), logLikelihood: log(1e-9), key: "evil",
                window: ["Set-Mailbox", "New-InboxRule"],
                sessionID: 2, rank: 1),
            TimelinePoint(time: .microseconds(base + 7_200_000_000), logLikelihood: log(1e-5), key: "b", window: ["C"]),
            TimelinePoint(time: .microseconds(base + 1_800_000_000), logLikelihood: .nan, key: "short", window: [])
        ]
    }

    @Test("the PNG has the requested size and markers sit where the axis math says")
    func markersWhereExpected() throws {
        var options = TimelineOptions()
        options.width = 800
        options.height = 500
        options.top = 1
        let bytes = try TimelinePNG.render(points(), options: options)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let image = try DecodedPNG(bytes)
        #expect(image.width == 800 && image.height == 500)
        let layout = TimelinePNG.scene(points(), options: options).layout
        // A plain point: its centre is blue-ish, not white.
        let a = image.pixel(layout.x(base), layout.y(logLikelihood: log(1e-3)))
        #expect(a.2 > a.0 + 40, "point at 1e-3 is \(a)")
        // The rarest point (1e-9) is ringed in red 6 points from its centre (left of it: its leader goes right).
        let x = layout.x(base + 3_600_000_000), y = layout.y(logLikelihood: log(1e-9))
        let ring = image.pixel(x - 6, y)
        #expect(ring.0 > 150 && ring.1 < 100, "ring is \(ring)")
        // The log axis spreads 1e-9 and 1e-5 far apart (msticpy's linear axis would not).
        #expect(layout.y(logLikelihood: log(1e-9)) - layout.y(logLikelihood: log(1e-5)) > layout.plot.height / 3)
        // Empty plot area far from everything stays white.
        let empty = image.pixel(layout.x(base + 5_350_000_000), layout.y(logLikelihood: log(pow(10, -7.5))))
        #expect(empty.0 > 240 && empty.1 > 240 && empty.2 > 240, "background is \(empty)")
    }

    @Test("scale doubles the pixels; bad sizes are refused; an empty timeline still draws")
    func sizes() throws {
        var options = TimelineOptions()
        options.width = 600
        options.height = 300
        options.scale = 2
        let image = try DecodedPNG(try TimelinePNG.render(points(), options: options))
        #expect(image.width == 1200 && image.height == 600)
        options.width = 10
        #expect(throws: TimelinePNG.RenderError.self) { try TimelinePNG.render(points(), options: options) }
        _ = try DecodedPNG(try TimelinePNG.render([], options: TimelineOptions()))
    }

    @Test("many points render (a million take about a second in a release build)")
    func manyPoints() throws {
        var points: [TimelinePoint] = []
        points.reserveCapacity(200_000)
        var state: UInt64 = 1
        for i in 0..<200_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            points.append(
                TimelinePoint(
                    time: .microseconds(base + Int64(i) * 60_000_000),
                    logLikelihood: -Double(state >> 40 % 40) / 1e6 - 1,
                    key: "k\(i % 7)", window: ["A"], group: "k\(i % 7)"))
        }
        let image = try DecodedPNG(try TimelinePNG.render(points, options: TimelineOptions()))
        #expect(image.width == 1400)
    }

    /// `count` marked points crowded into one corner of time and score, ranks 1...count.
    func crowded(_ count: Int, reasons: Bool) -> [TimelinePoint] {
        var points: [TimelinePoint] = []
        var state: UInt64 = 7
        for i in 0..<400 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let rare = i < count
            points.append(
                TimelinePoint(
                    time: .microseconds(base + Int64(state >> 44) * 1_000_000 % 86_400_000_000 / (rare ? 8 : 1)),
                    logLikelihood: rare ? -20 - Double(i % 5) * 0.01 : -Double(state >> 60) - 1,
                    key: "user\(i)@a-rather-long-tenant-name.onmicrosoft.com / 10.0.\(i % 250).\(i % 7)",
                    window: ["Add-MailboxPermission", "Add-MailboxPermission", "New-InboxRule"],
                    sessionID: i + 1, rank: rare ? i + 1 : nil,
                    reason: reasons ? "New-InboxRule after Add-MailboxPermission never seen (UNK)" : ""))
        }
        return points
    }

    @Test(
        "every marked point gets a label; no two labels overlap, no leader crosses another or a label, keys are whole",
        arguments: [(10, true), (15, true), (18, false), (30, true)])
    func labels(count: Int, reasons: Bool) throws {
        let points = crowded(count, reasons: reasons)
        let scene = TimelinePNG.scene(points)
        let labels = scene.labels.labels
        #expect(Set(labels.map(\.rank)) == Set(1...count), "labelled \(labels.map(\.rank).sorted())")
        for (i, a) in labels.enumerated() {
            #expect(a.box.x >= scene.layout.plot.x + scene.layout.plot.width, "label \(a.rank) is over the plot")
            let plotTop: Double = scene.layout.plot.y,
                plotBottom: Double = scene.layout.plot.y + scene.layout.plot.height
            let top: Double = a.box.y, bottom: Double = a.box.y + a.box.height
            #expect(top >= plotTop - 0.001 && bottom <= plotBottom + 0.001)
            for b in labels[(i + 1)...] {
                let otherTop: Double = b.box.y, otherBottom: Double = b.box.y + b.box.height
                let apart = bottom <= otherTop + 0.001 || otherBottom <= top + 0.001
                #expect(apart, "labels \(a.rank) and \(b.rank) overlap")
                #expect(!LabelColumn.leadersCross(a, b), "leaders \(a.rank) and \(b.rank) cross")
            }
            // A leader runs from its point, left of the column, to the column's edge: it cannot enter a label.
            #expect(a.pointX < a.anchorX)
            // The key is never cut: it is whole in the label.
            let key = points[a.rank - 1].key
            #expect(scene.lines[a.rank]?.first?.contains(key) == true, "\(scene.lines[a.rank] ?? [])")
        }
        // Reasons are shown when two lines fit.
        if reasons && count <= 15 { #expect(labels.allSatisfy { scene.lines[$0.rank]?.count == 2 }) }
        _ = try DecodedPNG(try TimelinePNG.render(points))
    }

    @Test("the range strip and the margin under it take at most 12% of the height", arguments: [300, 500, 700, 1200])
    func stripHeight(height: Int) {
        var options = TimelineOptions()
        options.height = height
        let layout = TimelinePNG.scene(points(), options: options).layout
        let share: Double = (Double(height) - layout.strip.y) / Double(height)
        #expect(share <= 0.12 + 1e-9, "strip from \(layout.strip.y) of \(height)")
        let plotBottom: Double = layout.plot.y + layout.plot.height
        #expect(layout.strip.y > plotBottom + 40)
    }
}
