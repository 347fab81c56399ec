import Foundation

/// Where things go on a timeline image: the plot and range-strip rectangles and the
/// mapping from (time, score) to points. Exposed so that tests can check pixels.
package struct TimelineLayout: Sendable {
    package struct Rect: Sendable, Equatable {
        package var x: Double, y: Double, width: Double, height: Double
        func intersects(_ o: Rect) -> Bool {
            x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height
        }
        func inside(_ o: Rect) -> Bool {
            x >= o.x && y >= o.y && x + width <= o.x + o.width && y + height <= o.y + o.height
        }
    }

    package let plot: Rect
    package let strip: Rect
    /// The column beside the plot where the marked sessions' labels go (zero width when none).
    package let labels: Rect
    package let timeRange: ClosedRange<Int64>
    /// The y range: log10 decades (logarithmic) or likelihoods (linear).
    package let valueRange: ClosedRange<Double>
    package let logarithmic: Bool

    /// A layout for points with times in `times` and log likelihoods in `logs`, with a
    /// column `labelWidth` wide right of the plot for labels.
    ///
    /// From the top: the title, the plot, its time labels and axis title, the range
    /// strip's caption, and the strip at the bottom; the strip and the margin under it
    /// take at most 12% of the height.
    package init(options: TimelineOptions, times: ClosedRange<Int64>, logs: ClosedRange<Double>, labelWidth: Double = 0)
    {
        let w = Double(options.width), h = Double(options.height)
        let stripHeight = max(6, min(70, h * 0.12 - 6))
        let right = labelWidth > 0 ? labelWidth + 20 : 30
        strip = Rect(x: 90, y: h - 6 - stripHeight, width: w - 90 - right, height: stripHeight)
        plot = Rect(x: 90, y: 50, width: w - 90 - right, height: max(20, strip.y - 16 - 40 - 50))
        labels = Rect(x: plot.x + plot.width + 12, y: plot.y, width: max(0, labelWidth), height: plot.height)
        // Pad a zero-length span so that single points sit in the middle.
        let pad: Int64 =
            times.lowerBound == times.upperBound ? 3_600_000_000 : (times.upperBound - times.lowerBound) / 50
        timeRange = (times.lowerBound - pad)...(times.upperBound + pad)
        logarithmic = options.logarithmic
        if logarithmic {
            let low = floor(logs.lowerBound / log(10)), high = min(0, ceil(logs.upperBound / log(10)))
            valueRange = min(low, high - 1)...high
        } else {
            valueRange = 0...max(exp(logs.upperBound) * 1.05, 1e-300)
        }
    }

    /// The x of `time` in the plot (and in the strip, which spans the same times).
    package func x(_ time: Int64, in rect: Rect? = nil) -> Double {
        let r = rect ?? plot
        let f = Double(time - timeRange.lowerBound) / Double(max(1, timeRange.upperBound - timeRange.lowerBound))
        return r.x + f * r.width
    }

    /// The y of a score given as a natural log.
    package func y(logLikelihood: Double) -> Double {
        let v = logarithmic ? logLikelihood / log(10) : exp(logLikelihood)
        let f = (v - valueRange.lowerBound) / (valueRange.upperBound - valueRange.lowerBound)
        return plot.y + plot.height * (1 - f)
    }
}
