import SeqHuntSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An instant, in ticks of 100 ns since 1970-01-01T00:00:00Z (UTC): the unit of Kusto's
/// `datetime` and of .NET's ticks, so that every time a log can carry is kept exactly.
///
/// A timestamp is one `Int64`, and arrays of them are arrays of ticks: the readers and the
/// sessionizer work on the ticks, and the public API hands out timestamps. Spans between
/// instants are `Duration`s; the arithmetic saturates at the ends of `Int64` (about 29,000
/// years either side of 1970) rather than trapping on hostile input.
///
/// ```swift
/// let begin = Timestamp(secondsSince1970: 1_587_185_430)  // 2020-04-18T04:50:30Z
/// let end = begin + .seconds(90)
/// end - begin  // 90 seconds
/// ```
public struct Timestamp: Hashable, Comparable, Sendable {
    /// Ticks of 100 ns since 1970-01-01T00:00:00Z; negative before it.
    public var ticks: Int64

    /// Ticks in one second.
    public static let ticksPerSecond: Int64 = 10_000_000

    /// The instant `ticks` ticks of 100 ns after 1970-01-01T00:00:00Z.
    public init(ticks: Int64) { self.ticks = ticks }

    /// The instant `seconds` whole seconds after 1970-01-01T00:00:00Z (saturating).
    public init(secondsSince1970 seconds: Int64) {
        let (ticks, overflow) = seconds.multipliedReportingOverflow(by: Self.ticksPerSecond)
        self.ticks = overflow ? (seconds < 0 ? .min : .max) : ticks
    }

    /// The current instant, from the system's real-time clock.
    public static var now: Timestamp {
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        return Timestamp(secondsSince1970: Int64(clock.tv_sec)) + Duration(ticks: Int64(clock.tv_nsec) / 100)
    }

    /// The earliest instant a timestamp holds, about 29,000 years before 1970.
    public static let min = Timestamp(ticks: .min)
    /// The latest instant a timestamp holds, about 29,000 years after 1970.
    public static let max = Timestamp(ticks: .max)

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.ticks < b.ticks }

    /// The instant `span` after `instant` (before it when `span` is negative), saturating at
    /// ``min`` and ``max``. Exact whenever the result fits, even for spans past `Int64` ticks:
    /// `a + (b - a) == b` for every pair.
    public static func + (instant: Timestamp, span: Duration) -> Timestamp {
        let backwards = span < .zero
        let limit = backwards ? Timestamp.min : Timestamp.max
        // The room left before the limit, as an exact Duration (it may exceed Int64 ticks).
        let room = limit - instant
        if backwards ? span <= room : span >= room { return limit }
        // The sum fits. A span past Int64 ticks is added in two steps that each fit: it can be
        // that long only when `instant` is on the other side of 1970.
        let step = backwards ? Duration(ticks: .min) : Duration(ticks: .max)
        if backwards ? span < step : span > step {
            return Timestamp(ticks: instant.ticks + step.ticks + (span - step).ticks)
        }
        return Timestamp(ticks: instant.ticks + span.ticks)
    }

    /// The instant `span` before `instant`, saturating at ``min`` and ``max``; `instant + (.zero - span)`.
    public static func - (instant: Timestamp, span: Duration) -> Timestamp { instant + (.zero - span) }

    /// The span from `b` to `a` (negative when `a` is earlier). Exact for every pair.
    public static func - (a: Timestamp, b: Timestamp) -> Duration {
        let (difference, overflow) = a.ticks.subtractingReportingOverflow(b.ticks)
        guard overflow else { return Duration(ticks: difference) }
        // Past Int64 ticks (instants ~29,000 years either side of 1970): in two halves.
        return Duration(ticks: a.ticks / 2 - b.ticks / 2) * 2 + Duration(ticks: a.ticks % 2 - b.ticks % 2)
    }
}

/// The instants of a column of ticks (an ``EventStore``'s events, a sessionizer's sessions), as
/// timestamps, without a copy.
public struct Timestamps: RandomAccessCollection, Equatable, Sendable {
    /// The ticks of 100 ns since 1970-01-01T00:00:00Z, one per element.
    package let ticks: ContiguousArray<Int64>

    package init(_ ticks: ContiguousArray<Int64>) { self.ticks = ticks }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ticks.count }
    public subscript(position: Int) -> Timestamp { Timestamp(ticks: ticks[position]) }
}
