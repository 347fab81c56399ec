import SeqHunt
import SeqHuntIO
import SeqHuntSupport

/// The time range of a workspace query, in the ISO 8601 forms that the Log Analytics query API
/// takes as `timespan`: a duration back from now (`P60D`, `PT12H`, `P1DT12H`), an interval
/// (`2020-03-01T00:00:00Z/2020-06-01T00:00:00Z`), or a start with a duration
/// (`2020-03-01T00:00:00Z/P7D`) or a duration that ends at a time (`P7D/2020-03-08T00:00:00Z`).
///
/// Every range is half-open, `[start, end)`, of ``Timestamp``s like event times, so that
/// consecutive slices of it never share a row (see ``slices(of:length:)``). Durations take
/// weeks, days, hours, minutes and seconds; years and months are refused because their length
/// depends on the calendar.
public struct QueryTimespan: Sendable, Equatable {
    /// How the range was given.
    public enum Form: Sendable, Equatable {
        /// The duration up to the moment of the query.
        case lookback(Duration)
        /// From a time to a time.
        case interval(start: Timestamp, end: Timestamp)
        /// From a time, for a duration.
        case from(start: Timestamp, length: Duration)
        /// A duration ending at a time.
        case until(length: Duration, end: Timestamp)
    }

    /// The range as given.
    public let form: Form

    /// Parses `text` (`--timespan`).
    /// - Throws: ``QueryTimespanError`` naming what is wrong, with the text quoted.
    public init(_ text: String) throws(QueryTimespanError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        func fail(_ why: String) -> QueryTimespanError { QueryTimespanError(text: text, cause: why) }
        switch parts.count {
        case 1:
            form = .lookback(try Self.duration(parts[0], in: text))
        case 2:
            let startTime = TimeParser.timestamp(parts[0]), endTime = TimeParser.timestamp(parts[1])
            switch (startTime, endTime) {
            case let (start?, end?):
                guard start < end else { throw fail("the interval ends before it starts") }
                form = .interval(start: start, end: end)
            case let (start?, nil):
                form = .from(start: start, length: try Self.duration(parts[1], in: text))
            case let (nil, end?):
                form = .until(length: try Self.duration(parts[0], in: text), end: end)
            case (nil, nil):
                throw fail("neither side of '/' is a time such as 2020-03-01T00:00:00Z")
            }
        default:
            throw fail("an interval has one '/'")
        }
    }

    /// A range from explicit times, `[start, end)`.
    public init(start: Timestamp, end: Timestamp) {
        precondition(start < end, "QueryTimespan: an empty range")
        form = .interval(start: start, end: end)
    }

    /// The half-open range `[start, end)`; a look-back ends at `now`. Ends that would fall
    /// outside what a ``Timestamp`` holds stop at ``Timestamp/min`` and ``Timestamp/max``.
    public func resolved(now: Timestamp) -> Range<Timestamp> {
        switch form {
        case .lookback(let length): return (now - length)..<now
        case .interval(let start, let end): return start..<end
        case .from(let start, let length): return start..<(start + length)
        case .until(let length, let end): return (end - length)..<end
        }
    }

    /// The `timespan` text of `range` for one request: `start/end`, each in ISO 8601 UTC with
    /// the fraction when there is one.
    public static func text(of range: Range<Timestamp>) -> String {
        TimeParser.isoText(range.lowerBound) + "/" + TimeParser.isoText(range.upperBound)
    }

    /// Consecutive slices of `range`, each `length` long but the last, with no gap and no
    /// overlap: the end of one is the start of the next.
    /// - Precondition: `length` is at least one tick.
    public static func slices(of range: Range<Timestamp>, length: Duration) -> [Range<Timestamp>] {
        let step = length.ticks
        precondition(step >= 1, "QueryTimespan.slices: a slice is at least one tick long")
        var slices: [Range<Timestamp>] = []
        var start = range.lowerBound.ticks
        while start < range.upperBound.ticks {
            let (next, overflow) = start.addingReportingOverflow(step)
            let end = overflow ? range.upperBound.ticks : min(next, range.upperBound.ticks)
            slices.append(Timestamp(ticks: start)..<Timestamp(ticks: end))
            start = end
        }
        return slices
    }

    /// The two halves of `slice`, for a slice whose answer came back partial or too large; `nil`
    /// when it is one tick long and cannot be cut.
    public static func halves(of slice: Range<Timestamp>) -> (Range<Timestamp>, Range<Timestamp>)? {
        // The width as unsigned: exact for any range, even Timestamp.min..<Timestamp.max.
        let width = UInt64(bitPattern: slice.upperBound.ticks &- slice.lowerBound.ticks)
        guard width > 1 else { return nil }
        let middle = Timestamp(ticks: slice.lowerBound.ticks &+ Int64(bitPattern: width / 2))
        return (slice.lowerBound..<middle, middle..<slice.upperBound)
    }

    /// An ISO 8601 duration without years or months: `P[nW][nD][T[nH][nM][n[.f]S]]`.
    static func duration(_ text: String, in whole: String) throws(QueryTimespanError) -> Duration {
        func fail(_ why: String) -> QueryTimespanError { QueryTimespanError(text: whole, cause: why) }
        var bytes = Array(text.utf8)[...]
        guard bytes.first == UInt8(ascii: "P") || bytes.first == UInt8(ascii: "p") else {
            throw fail("'\(text)' is neither a time nor an ISO 8601 duration such as P60D or PT12H")
        }
        bytes = bytes.dropFirst()
        var ticks: Int64 = 0, inTime = false, any = false
        var seen = Set<UInt8>()
        while let first = bytes.first {
            if first == UInt8(ascii: "T") || first == UInt8(ascii: "t") {
                guard !inTime else { throw fail("'\(text)' has a second T") }
                inTime = true
                bytes = bytes.dropFirst()
                continue
            }
            let number = bytes.prefix { ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") }
            bytes = bytes.dropFirst(number.count)
            guard !number.isEmpty, let unit = bytes.first else { throw fail("'\(text)' is not an ISO 8601 duration") }
            bytes = bytes.dropFirst()
            let upper = unit & ~0x20  // ASCII upper case
            let (scale, name): (Int64, String)
            switch (inTime, upper) {
            case (false, UInt8(ascii: "W")): (scale, name) = (7 * 86_400 * TimeParser.ticksPerSecond, "W")
            case (false, UInt8(ascii: "D")): (scale, name) = (86_400 * TimeParser.ticksPerSecond, "D")
            case (true, UInt8(ascii: "H")): (scale, name) = (3_600 * TimeParser.ticksPerSecond, "H")
            case (true, UInt8(ascii: "M")): (scale, name) = (60 * TimeParser.ticksPerSecond, "TM")
            case (true, UInt8(ascii: "S")): (scale, name) = (TimeParser.ticksPerSecond, "S")
            case (false, UInt8(ascii: "Y")), (false, UInt8(ascii: "M")):
                throw fail("years and months vary in length: give days, as in P60D")
            default:
                throw fail("'\(text)' has a unit ISO 8601 durations do not have there")
            }
            guard seen.insert(upper | (inTime ? 0x80 : 0)).inserted else { throw fail("'\(text)' gives \(name) twice") }
            guard
                let value = Double(
                    String(decoding: number.map { $0 == UInt8(ascii: ",") ? UInt8(ascii: ".") : $0 }, as: UTF8.self)),
                value.isFinite
            else { throw fail("'\(text)' has a number that does not read") }
            let part = (value * Double(scale)).rounded(.down)
            guard part < 9e18, Double(ticks) + part < 9e18 else { throw fail("'\(text)' is too long") }
            ticks += Int64(part)
            any = true
        }
        guard any else { throw fail("'\(text)' has no length") }
        guard ticks > 0 else { throw fail("'\(text)' is zero long") }
        return Duration(ticks: ticks)
    }
}

/// Why a `--timespan` cannot be read.
public struct QueryTimespanError: SeqHuntError, Equatable {
    /// The text as given.
    public var text: String
    /// What is wrong with it.
    public var cause: String

    public var description: String { oneLine("timespan '\(text)': \(cause)") }
}
