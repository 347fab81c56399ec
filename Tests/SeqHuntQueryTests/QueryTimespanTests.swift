import SeqHunt
import SeqHuntIO
import SeqHuntSupport
import Testing

@testable import SeqHuntQuery

@Suite("Query time spans and slices")
struct QueryTimespanTests {
    static let second: Int64 = 10_000_000
    static let day: Int64 = 86_400 * second
    static let march1 = TimeParser.timestamp("2020-03-01T00:00:00Z")!
    static let epoch = Timestamp(ticks: 0)

    @Test("ISO 8601 durations: weeks, days and time parts, fractions, either case")
    func durations() throws {
        let cases: [(String, Int64)] = [
            ("P60D", 60 * Self.day), ("PT12H", 12 * 3_600 * Self.second),
            ("P1DT12H", Self.day + 12 * 3_600 * Self.second),
            ("P2W", 14 * Self.day), ("PT30M", 30 * 60 * Self.second), ("PT0.5S", Self.second / 2),
            ("pt1h30m", 90 * 60 * Self.second), ("PT1,5S", 3 * Self.second / 2),
            ("P1DT1H1M1.0000001S", Self.day + 3_661 * Self.second + 1)
        ]
        for (text, ticks) in cases {
            #expect(try QueryTimespan(text).form == .lookback(Duration(ticks: ticks)), "\(text)")
        }
    }

    @Test("what is not a time span says why, on one line")
    func refused() {
        let cases: [(String, String)] = [
            ("P1M", "years and months vary in length"), ("P1Y", "years and months vary in length"),
            ("60d", "neither a time nor an ISO 8601 duration"), ("P", "has no length"), ("PT", "has no length"),
            ("P1H", "a unit ISO 8601 durations do not have there"),
            ("PT1D", "a unit ISO 8601 durations do not have there"),
            ("P1D1D", "gives D twice"), ("PT0S", "zero long"), ("P1DTT1H", "a second T"),
            ("2020-03-02T00:00:00Z/2020-03-01T00:00:00Z", "ends before it starts"),
            ("a/b", "neither side of '/' is a time"), ("P1D/P2D", "neither side of '/' is a time"),
            ("P1D/2020-03-01T00:00:00Z/P1D", "one '/'"), ("P99999999999999D", "too long"),
            ("P1D\n", "not an ISO 8601 duration")
        ]
        for (text, fragment) in cases {
            do {
                _ = try QueryTimespan(text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.description.contains(fragment), "\(text): \(error)")
                #expect(!error.description.contains("\n"))
            }
        }
    }

    @Test("intervals, a start with a duration, a duration up to a time; all half-open")
    func intervals() throws {
        let end = Self.march1 + .seconds(7 * 86_400)
        #expect(
            try QueryTimespan("2020-03-01T00:00:00Z/2020-03-08T00:00:00Z").resolved(now: Self.epoch) == Self
                .march1..<end)
        #expect(try QueryTimespan("2020-03-01T00:00:00Z/P7D").resolved(now: Self.epoch) == Self.march1..<end)
        #expect(try QueryTimespan("P7D/2020-03-08T00:00:00Z").resolved(now: Self.epoch) == Self.march1..<end)
        #expect(try QueryTimespan("P7D").resolved(now: end) == Self.march1..<end)
        let nearMin = Timestamp(ticks: .min + 5)
        #expect(try QueryTimespan("P7D").resolved(now: nearMin) == Timestamp.min..<nearMin)
        #expect(
            QueryTimespan.text(of: Self.march1..<(end + Duration(ticks: 1)))
                == "2020-03-01T00:00:00Z/2020-03-08T00:00:00.0000001Z")
    }

    @Test(
        "slices cover the range exactly: each ends where the next starts, the last may be shorter",
        arguments: [60, 7 * 60 + 1, 24 * 3_600, 86_400 * 7, 86_400 * 90])
    func slices(seconds: Int) throws {
        let range = try QueryTimespan("2020-03-01T00:00:00Z/2020-05-30T07:00:00Z").resolved(now: Self.epoch)
        let slices = QueryTimespan.slices(of: range, length: .seconds(seconds))
        #expect(slices.first?.lowerBound == range.lowerBound && slices.last?.upperBound == range.upperBound)
        for (a, b) in zip(slices, slices.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
        #expect(slices.dropLast().allSatisfy { $0.upperBound - $0.lowerBound == .seconds(seconds) })
        #expect(slices.allSatisfy { !$0.isEmpty })
        // Meeting ends, the first start and the last end make the slices a partition of the
        // range: every instant falls in exactly one slice. Checked directly on a few instants.
        let tick = Duration(ticks: 1)
        for t in [range.lowerBound, range.lowerBound + tick, range.upperBound - tick, slices.last!.lowerBound] {
            #expect(slices.filter { $0.contains(t) }.count == 1)
        }
        #expect(!slices.contains { $0.contains(range.upperBound) || $0.contains(range.lowerBound - tick) })
    }

    @Test("halving: two half-open halves that meet; a one-tick slice cannot be cut")
    func halving() {
        let (a, b) = QueryTimespan.halves(of: ticks(10..<21))!
        #expect(a == ticks(10..<15) && b == ticks(15..<21))
        #expect(QueryTimespan.halves(of: ticks(10..<11)) == nil)
        let (low, high) = QueryTimespan.halves(of: Timestamp.min..<Timestamp.max)!
        #expect(low.lowerBound == .min && low.upperBound == high.lowerBound && high.upperBound == .max)
        #expect(
            QueryTimespan.slices(of: ticks((Int64.max - 3)..<Int64.max), length: .seconds(1)) == [
                ticks((Int64.max - 3)..<Int64.max)
            ])
    }
}
