import CCairo
import Foundation
import SeqHuntTimeline
import Testing

/// Decodes PNG bytes with Cairo and reads pixels back.
final class DecodedPNG {
    let surface: OpaquePointer
    let width: Int, height: Int

    init(_ bytes: [UInt8]) throws {
        final class Source { var bytes: [UInt8]; var offset = 0; init(_ b: [UInt8]) { bytes = b } }
        let source = Source(bytes)
        let surface = cairo_image_surface_create_from_png_stream({ closure, data, length in
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
        let value = UnsafeRawPointer(data + offset).loadUnaligned(as: UInt32.self)   // premultiplied ARGB, native endian
        return (Int(value >> 16 & 0xFF), Int(value >> 8 & 0xFF), Int(value & 0xFF))
    }
}

@Suite("Timeline PNG")
struct TimelinePNGTests {
    let base: Int64 = 1_700_000_000_000_000   // 2023-11-14T22:13:20Z

    func points() -> [TimelinePoint] {
        [TimelinePoint(time: base, logLikelihood: log(1e-3), key: "a", window: ["A", "B"]),
         TimelinePoint(time: base + 3_600_000_000, logLikelihood: log(1e-9), key: "evil", window: ["Set-Mailbox", "New-InboxRule"]),
         TimelinePoint(time: base + 7_200_000_000, logLikelihood: log(1e-5), key: "b", window: ["C"]),
         TimelinePoint(time: base + 1_800_000_000, logLikelihood: .nan, key: "short", window: [])]
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
        let scored = points().filter { $0.logLikelihood.isFinite }
        let layout = TimelineLayout(options: options, times: scored.map(\.time).min()!...scored.map(\.time).max()!,
                                    logs: scored.map(\.logLikelihood).min()!...scored.map(\.logLikelihood).max()!)
        // A plain point: its centre is blue-ish, not white.
        let a = image.pixel(layout.x(base), layout.y(logLikelihood: log(1e-3)))
        #expect(a.2 > a.0 + 40, "point at 1e-3 is \(a)")
        // The rarest point (1e-9) is ringed in red 6 points from its centre.
        let x = layout.x(base + 3_600_000_000), y = layout.y(logLikelihood: log(1e-9))
        let ring = image.pixel(x + 6, y)
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
            points.append(TimelinePoint(time: base + Int64(i) * 60_000_000, logLikelihood: -Double(state >> 40 % 40) / 1e6 - 1,
                                        key: "k\(i % 7)", window: ["A"], group: "k\(i % 7)"))
        }
        let image = try DecodedPNG(try TimelinePNG.render(points, options: TimelineOptions()))
        #expect(image.width == 1400)
    }
}
