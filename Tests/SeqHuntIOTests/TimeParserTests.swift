import SeqHunt
import SeqHuntDemo
import Testing

@testable import SeqHuntFormats
@testable import SeqHuntIO

/// The bytes form of `TimeParser.ticks`, on a `String`.
private func parsed(_ text: String, order: TimeParser.DateOrder = .monthFirst)
    -> (ticks: Int64, evidence: TimeParser.DateOrderEvidence)?
{
    Array(text.utf8).withUnsafeBytes { TimeParser.ticks($0, order: order) }
}

/// `cell` read with the format `pattern`.
private func formatted(_ pattern: String, _ cell: String) throws -> Int64? {
    let format = try TimeFormat(pattern)
    return Array(cell.utf8).withUnsafeBytes { format.ticks($0) }
}

/// Ticks of a whole number of seconds.
private func seconds(_ s: Int64) -> Int64 { s * TimeParser.ticksPerSecond }

@Suite("Event times")
struct TimeParserTests {
    static let april18 = seconds(1_587_185_430)  // 2020-04-18T04:50:30Z

    @Test("ISO 8601: separators, fractions, zones")
    func iso() {
        #expect(TimeParser.ticksPerSecond == 10_000_000)
        #expect(TimeParser.ticks("1970-01-01T00:00:00Z") == 0)
        #expect(TimeParser.ticks("2020-04-18T04:50:30Z") == 15_871_854_300_000_000)
        for same in [
            "2020-04-18T04:50:30", "2020-04-18 04:50:30", "2020-04-18t04:50:30z",
            "  2020-04-18T04:50:30Z  ", "2020-04-18T06:50:30+02:00", "2020-04-18T06:50:30+0200",
            "2020-04-18T06:50:30+02", "2020-04-18T01:20:30-03:30", "2020-04-18 04:50:30 UTC",
            "2020-04-18 04:50:30 +00:00", "2020-04-18T04:50:30.000Z", "2020-04-18T04:50:30,0"
        ] {
            #expect(TimeParser.ticks(same) == Self.april18, "\(same)")
        }
        #expect(TimeParser.ticks("2020-04-18T04:50:30.1234567Z") == 15_871_854_301_234_567)
        #expect(TimeParser.ticks("2020-04-18T04:50:30.123456789Z") == 15_871_854_301_234_567)
        #expect(TimeParser.ticks("2020-04-18T04:50:30.99999999999999999999999999Z") == 15_871_854_309_999_999)
        #expect(TimeParser.ticks("2020-04-18T04:50:30,25") == 15_871_854_302_500_000)
        #expect(TimeParser.ticks("2020-04-18T04:50:30.5+01:00") == Self.april18 - seconds(3600) + 5_000_000)
        #expect(TimeParser.ticks("2016-12-31T23:59:60Z") == TimeParser.ticks("2017-01-01T00:00:00Z"))
        for bad in [
            "2020-02-30T00:00:00Z", "2021-02-29T00:00:00Z", "2020-04-18", "2020-04-18T25:00:00Z",
            "2020-04-18T04:60:00Z", "2020-04-18T04:50:61Z", "2020-13-01T00:00:00Z", "0000-01-01T00:00:00Z",
            "yesterday", "2020-04-18T04:50:30Zjunk", "2020-04-18T04:50:30.Z", "2020-04-18T04:50:30+24:00",
            "2020-04-18T04:50:30+02:60", "2020-04-18T04:50:30+2", "2020-4-18T04:50:30Z", "2020-04-18T4:50:30Z",
            "2020-04-18X04:50:30", "2020-04-18T04:50:30 PST", "2020-04-18T04:50:30 AM"
        ] {
            #expect(TimeParser.ticks(bad) == nil, "\(bad)")
        }
        #expect(parsed("2020-04-18T04:50:30Z")! == (Self.april18, .none))
    }

    @Test("the calendar's ends, and before 1970")
    func extremes() {
        #expect(TimeParser.ticks("9999-12-31T23:59:59.9999999Z") == 2_534_023_007_999_999_999)
        #expect(TimeParser.ticks("9999-12-31T23:59:59Z") == seconds(253_402_300_799))
        #expect(TimeParser.ticks("0001-01-01T00:00:00Z") == seconds(-62_135_596_800))
        #expect(TimeParser.ticks("0001-01-01T00:00:00+00:01") == seconds(-62_135_596_860))
        #expect(TimeParser.ticks("1969-12-31T23:59:59Z") == -10_000_000)
        #expect(TimeParser.ticks("1969-12-31T23:59:59.9999999Z") == -1)
        #expect(TimeParser.ticks("1969-07-20T20:17:40Z") == seconds(-14_182_940))
        #expect(TimeParser.ticks("1900-02-29T00:00:00Z") == nil)
        #expect(TimeParser.ticks("2000-02-29T00:00:00Z") == seconds(951_782_400))
    }

    @Test("Azure portal dates: order evidence, comma, fraction, AM/PM")
    func portal() {
        let april21 = seconds(1_745_228_754)  // 2025-04-21T09:45:54Z
        #expect(parsed("21/04/2025, 09:45:54.000")! == (april21, .dayFirst))
        #expect(parsed("21/04/2025, 09:45:54.000", order: .monthFirst)! == (april21, .dayFirst))
        #expect(parsed("21/4/2025 9:45:54")! == (april21, .dayFirst))
        #expect(parsed("21/04/2025,9:45:54")! == (april21, .dayFirst))
        #expect(parsed("4/18/2020, 4:50:30.000 AM")! == (Self.april18, .monthFirst))
        #expect(parsed("4/18/2020, 4:50:30.000 AM", order: .dayFirst)! == (Self.april18, .monthFirst))
        #expect(parsed("04/18/2020 04:50:30am")! == (Self.april18, .monthFirst))
        #expect(parsed("4/18/2020 4:50:30.1234567 AM")! == (Self.april18 + 1_234_567, .monthFirst))
        #expect(parsed("4/18/2020 4:50:30.123456789 AM")! == (Self.april18 + 1_234_567, .monthFirst))
        #expect(parsed("4/18/2020 4:50 AM")! == (Self.april18 - seconds(30), .monthFirst))
        #expect(parsed("4/18/2020 4:50:30 PM")! == (Self.april18 + seconds(12 * 3600), .monthFirst))
        #expect(parsed("4/18/2020 4:50:30 pM")! == (Self.april18 + seconds(12 * 3600), .monthFirst))

        let april5 = seconds(1_586_044_800), may4 = seconds(1_588_550_400)
        #expect(parsed("4/5/2020, 12:00:00 AM")! == (april5, .ambiguous))
        #expect(parsed("4/5/2020, 12:00:00 AM", order: .monthFirst)! == (april5, .ambiguous))
        #expect(parsed("4/5/2020, 12:00:00 AM", order: .dayFirst)! == (may4, .ambiguous))
        #expect(TimeParser.ticks("4/5/2020, 12:00:00 AM", order: .dayFirst) == may4)
        #expect(parsed("5/5/2020 1:14:15 PM")! == (seconds(1_588_684_455), .none))
        #expect(parsed("5/5/2020 1:14:15 PM", order: .dayFirst)! == (seconds(1_588_684_455), .none))

        // Dotted dates are day-first, whatever the order.
        #expect(parsed("21.04.2025 09:45:54")! == (april21, .none))
        #expect(parsed("5.4.2020 00:00", order: .monthFirst)! == (april5, .none))

        for bad in [
            "31/02/2020 1:00", "13/13/2020 1:00", "0/5/2020 1:00", "4/18/20 4:50", "4/18/2020",
            "4/18/2020 4", "4/18/2020 4:5", "4/18/2020 4:50:3", "4/18/2020 4:50:30.", "4/18/2020 24:00",
            "4/18/2020 4:50:30 XM", "4/18/2020 4:50:30 AMX", "123/4/2020 1:00", "4-18-2020 1:00",
            "4/18/2020, 4:50:30 AM,", "4/18.2020 1:00", "4/18/2020  ,4:50"
        ] {
            #expect(parsed(bad) == nil, "\(bad)")
        }
    }

    @Test("12 AM is midnight, 12 PM noon; AM/PM needs hours 1...12")
    func meridiem() {
        let midnight = seconds(1_587_168_000)  // 2020-04-18T00:00:00Z
        #expect(TimeParser.ticks("4/18/2020 12:00 AM") == midnight)
        #expect(TimeParser.ticks("4/18/2020 12:30 AM") == midnight + seconds(1800))
        #expect(TimeParser.ticks("4/18/2020 12:00 PM") == midnight + seconds(12 * 3600))
        #expect(TimeParser.ticks("4/18/2020 11:59:59 PM") == midnight + seconds(86_399))
        #expect(TimeParser.ticks("4/18/2020 1:00 AM") == midnight + seconds(3600))
        #expect(TimeParser.ticks("4/18/2020 12:00") == midnight + seconds(12 * 3600))
        #expect(TimeParser.ticks("4/18/2020 13:00") == midnight + seconds(13 * 3600))
        #expect(TimeParser.ticks("4/18/2020 13:00 PM") == nil)
        #expect(TimeParser.ticks("4/18/2020 0:00 AM") == nil)
        #expect(TimeParser.ticks("4/18/2020 00:30 PM") == nil)
    }

    @Test("epoch numbers: the unit from the magnitude, fractions, overflow")
    func epoch() {
        let units = ["1587185430", "1587185430000", "1587185430000000", "1587185430000000000"]
        for text in units {
            #expect(parsed(text)! == (Self.april18, .none), "\(text)")
        }
        #expect(TimeParser.ticks("1587185430.5") == Self.april18 + 5_000_000)
        #expect(TimeParser.ticks("1587185430.123456789") == Self.april18 + 1_234_567)
        #expect(TimeParser.ticks("1587185430123.5") == Self.april18 + 1_235_000)
        #expect(TimeParser.ticks("1587185430123.45678") == Self.april18 + 1_234_567)
        #expect(TimeParser.ticks("1587185430123456.7") == Self.april18 + 1_234_567)
        #expect(TimeParser.ticks("1587185430123456789") == Self.april18 + 1_234_567)
        #expect(TimeParser.ticks("1587185430123456789.9") == Self.april18 + 1_234_567)
        #expect(TimeParser.ticks("0") == 0)
        #expect(TimeParser.ticks("  0001587185430  ") == Self.april18)
        // Edges of the units.
        #expect(TimeParser.ticks("99999999999") == seconds(99_999_999_999))
        #expect(TimeParser.ticks("100000000000") == seconds(100_000_000))
        #expect(TimeParser.ticks("100000000000000") == seconds(100_000_000))
        #expect(TimeParser.ticks("100000000000000000") == seconds(100_000_000))
        #expect(TimeParser.ticks("9223372036854775807") == 92_233_720_368_547_758)
        for bad in [
            "9223372036854775808", "99999999999999999999", String(repeating: "9", count: 1000),
            "-1587185430", "+1587185430", "1587185430.", ".5", "1587185430.5.5", "1e9", "1587185430 5",
            "0x10", "1_000"
        ] {
            #expect(TimeParser.ticks(bad) == nil, "\(bad)")
        }
        #expect(TimeParser.ticks(String(repeating: "0", count: 1000) + "1") == seconds(1))
        #expect(TimeParser.ticks("1." + String(repeating: "9", count: 1000)) == seconds(1) + 9_999_999)
    }

    @Test("hostile cells never trap")
    func hostile() throws {
        let cells = [
            "", " ", "   \t ", "//", ":", "-", ".", ",", "/", "1/", "1//", "1/2/", "1/2/2020,",
            "2020-", "2020-01-01T", "2020-01-01T00:00:00+", "2020-01-01T00:00:00.", "AM", "12:00 PM",
            String(repeating: "1", count: 1000), String(repeating: "/", count: 1000),
            "1/1/2020 1:00:00." + String(repeating: "5", count: 1000) + "Q",
            "\u{0}", "\u{FF}\u{FE}", "99/99/9999 99:99:99 PM", "9999-99-99T99:99:99.9+99:99"
        ]
        let format = try TimeFormat("%Y-%m-%d %H:%M:%S.%f %z %s %b %B %p")
        for cell in cells {
            _ = parsed(cell, order: .dayFirst)
            _ = parsed(cell)
            _ = Array(cell.utf8).withUnsafeBytes { format.ticks($0) }
        }
        for cell in cells where !cell.allSatisfy(\.isNumber) {
            #expect(parsed(cell) == nil, "\(cell)")
        }
        // Every byte string of length up to 2 over a small alphabet, and extreme swaps.
        let alphabet: [UInt8] = Array("0129/.:-+ TZAPM,".utf8)
        for a in alphabet { for b in alphabet { _ = [a, b].withUnsafeBytes { TimeParser.ticks($0) } } }
        for t in [Int64.min, Int64.max, Int64.min + 1, Int64.max - 1] {
            _ = TimeParser.swappingDayAndMonth(t)
            _ = TimeParser.isoText(ticks: t)
        }
    }

    @Test("swapping day and month")
    func swapping() {
        let april5 = TimeParser.ticks("2020-04-05T13:14:15.1234567Z")!
        let may4 = TimeParser.ticks("2020-05-04T13:14:15.1234567Z")!
        #expect(TimeParser.swappingDayAndMonth(april5) == may4)
        #expect(TimeParser.swappingDayAndMonth(may4) == april5)
        #expect(
            TimeParser.swappingDayAndMonth(TimeParser.ticks("1960-02-11T00:00:00Z")!)
                == TimeParser.ticks("1960-11-02T00:00:00Z"))
        #expect(
            TimeParser.swappingDayAndMonth(TimeParser.ticks("1960-11-02T23:59:59.9999999Z")!)
                == TimeParser.ticks("1960-02-11T23:59:59.9999999Z"))
        #expect(
            TimeParser.swappingDayAndMonth(TimeParser.ticks("2020-05-05T01:00:00Z")!)
                == TimeParser.ticks("2020-05-05T01:00:00Z"))
        #expect(TimeParser.swappingDayAndMonth(TimeParser.ticks("2020-01-31T00:00:00Z")!) == nil)
        #expect(TimeParser.swappingDayAndMonth(TimeParser.ticks("2020-12-13T00:00:00Z")!) == nil)
        // Every ambiguous portal cell read one way swaps to the other reading.
        for month in 1...12 {
            for day in 1...12 where day != month {
                let cell = "\(month)/\(day)/2021, 7:08:09 PM"
                let monthFirst = parsed(cell, order: .monthFirst)!
                let dayFirst = parsed(cell, order: .dayFirst)!
                #expect(monthFirst.evidence == .ambiguous && dayFirst.evidence == .ambiguous)
                #expect(TimeParser.swappingDayAndMonth(monthFirst.ticks) == dayFirst.ticks, "\(cell)")
                #expect(TimeParser.swappingDayAndMonth(dayFirst.ticks) == monthFirst.ticks, "\(cell)")
            }
        }
    }

    @Test("isoText: fractions trimmed, 7 digits, years outside 0...9999")
    func isoText() {
        #expect(TimeParser.isoText(ticks: 0) == "1970-01-01T00:00:00Z")
        #expect(TimeParser.isoText(ticks: Self.april18) == "2020-04-18T04:50:30Z")
        #expect(TimeParser.isoText(ticks: Self.april18 + 2_500_000) == "2020-04-18T04:50:30.25Z")
        #expect(TimeParser.isoText(ticks: Self.april18 + 1_234_567) == "2020-04-18T04:50:30.1234567Z")
        #expect(TimeParser.isoText(ticks: Self.april18 + 1) == "2020-04-18T04:50:30.0000001Z")
        #expect(TimeParser.isoText(ticks: Self.april18 + 1_000_000) == "2020-04-18T04:50:30.1Z")
        #expect(TimeParser.isoText(ticks: -10_000_000) == "1969-12-31T23:59:59Z")
        #expect(TimeParser.isoText(ticks: -1) == "1969-12-31T23:59:59.9999999Z")
        #expect(TimeParser.isoText(ticks: seconds(-14_182_940)) == "1969-07-20T20:17:40Z")
        #expect(TimeParser.isoText(ticks: 2_534_023_007_999_999_999) == "9999-12-31T23:59:59.9999999Z")
        #expect(TimeParser.isoText(ticks: seconds(-62_135_596_800)) == "0001-01-01T00:00:00Z")
        #expect(TimeParser.isoText(ticks: seconds(-62_135_596_801)) == "0000-12-31T23:59:59Z")
        #expect(TimeParser.isoText(ticks: seconds(253_402_300_800)) == "10000-01-01T00:00:00Z")
        #expect(TimeParser.isoText(ticks: Int64.max) == "31197-09-14T02:48:05.4775807Z")
        #expect(TimeParser.isoText(ticks: Int64.min) == "-27258-04-19T21:11:54.5224192Z")
    }

    @Test("isoText round trips through ticks across years 1...9999")
    func isoRoundTrip() {
        var random = SplitMix64(seed: 20_250_421)
        let first = TimeParser.ticks("0001-01-01T00:00:00Z")!
        let last = TimeParser.ticks("9999-12-31T23:59:59.9999999Z")!
        for _ in 0..<5000 {
            let ticks = Int64.random(in: first...last, using: &random)
            let text = TimeParser.isoText(ticks: ticks)
            #expect(TimeParser.ticks(text) == ticks, "\(text)")
            // Whole seconds, too, where no fraction is written.
            let whole =
                ticks - ((ticks % TimeParser.ticksPerSecond) + TimeParser.ticksPerSecond) % TimeParser.ticksPerSecond
            #expect(TimeParser.ticks(TimeParser.isoText(ticks: whole)) == whole)
        }
        for edge in [first, last, 0, -1, 1] {
            #expect(TimeParser.ticks(TimeParser.isoText(ticks: edge)) == edge)
        }
    }

    @Test("--time-format: each directive")
    func formatDirectives() throws {
        let april18 = Self.april18
        #expect(try formatted("%Y-%m-%dT%H:%M:%SZ", "2020-04-18T04:50:30Z") == april18)
        #expect(try formatted("%F %T", "2020-04-18 04:50:30") == april18)
        #expect(try formatted("%Y%m%d%H%M%S", "20200418045030") == april18)
        #expect(try formatted("%d/%m/%Y %H:%M:%S", "18/4/2020 4:50:30") == april18)
        #expect(try formatted("%m/%d/%y %H:%M:%S", "04/18/20 04:50:30") == april18)
        #expect(try formatted("%y", "69") == TimeParser.ticks("1969-01-01T00:00:00Z"))
        #expect(try formatted("%y", "99") == TimeParser.ticks("1999-01-01T00:00:00Z"))
        #expect(try formatted("%y", "00") == TimeParser.ticks("2000-01-01T00:00:00Z"))
        #expect(try formatted("%y", "68") == TimeParser.ticks("2068-01-01T00:00:00Z"))
        #expect(try formatted("%y", "6") == nil)
        #expect(try formatted("%Y", "20") == nil)
        #expect(try formatted("%b %e %T %Y", "Apr 18 04:50:30 2020") == april18)
        #expect(try formatted("%b %e %T %Y", "apr  8 04:50:30 2020") == april18 - seconds(10 * 86_400))
        #expect(try formatted("%b%e %T %Y", "APR 8 04:50:30 2020") == april18 - seconds(10 * 86_400))
        #expect(try formatted("%h %d %Y %T", "Apr 18 2020 04:50:30") == april18)
        #expect(try formatted("%d %B %Y %T", "18 April 2020 04:50:30") == april18)
        #expect(try formatted("%d %B %Y %T", "18 aPRIL 2020 04:50:30") == april18)
        #expect(try formatted("%d %B %Y %T", "18 Apr 2020 04:50:30") == nil)
        #expect(try formatted("%d %b %Y %T", "18 April 2020 04:50:30") == nil)
        #expect(try formatted("%B", "September") == TimeParser.ticks("1970-09-01T00:00:00Z"))
        #expect(try formatted("%B %d", "May 4") == TimeParser.ticks("1970-05-04T00:00:00Z"))
        #expect(try formatted("%b", "Dec") == TimeParser.ticks("1970-12-01T00:00:00Z"))
        #expect(try formatted("%b", "Foo") == nil)
        #expect(try formatted("%T.%f", "04:50:30.1234567") == seconds(17_430) + 1_234_567)
        #expect(try formatted("%T.%f", "04:50:30.123456789") == seconds(17_430) + 1_234_567)
        #expect(try formatted("%T.%f", "04:50:30.5") == seconds(17_430) + 5_000_000)
        #expect(try formatted("%T.%f", "04:50:30.") == nil)
        #expect(try formatted("%S", "60") == seconds(60))
        #expect(try formatted("%S", "61") == nil)
        #expect(try formatted("%H", "24") == nil)
        #expect(try formatted("%M", "60") == nil)
        #expect(try formatted("%H%%", "4%") == seconds(4 * 3600))
        #expect(try formatted("", "") == 0)
        // Defaults: 1970-01-01T00:00:00 UTC.
        #expect(try formatted("%H:%M", "04:50") == seconds(17_400))
        #expect(try formatted("%Y", "2020") == TimeParser.ticks("2020-01-01T00:00:00Z"))
        // Impossible dates.
        #expect(try formatted("%F", "2020-02-30") == nil)
        #expect(try formatted("%F", "2021-02-29") == nil)
        #expect(try formatted("%F", "2020-00-10") == nil)
        #expect(try formatted("%F", "2020-02-29") == TimeParser.ticks("2020-02-29T00:00:00Z"))
        // The whole cell, surrounding spaces trimmed.
        #expect(try formatted("%F", "  2020-04-18  ") == TimeParser.ticks("2020-04-18T00:00:00Z"))
        #expect(try formatted("%F", "2020-04-18x") == nil)
        #expect(try formatted("%F %T", "2020-04-18") == nil)
    }

    @Test("--time-format: %s, %I with %p, %z, whitespace")
    func formatFields() throws {
        let april18 = Self.april18
        #expect(try formatted("%s", "1587185430") == april18)
        #expect(try formatted("%s.%f", "1587185430.25") == april18 + 2_500_000)
        #expect(try formatted("%s", "922337203685") == seconds(922_337_203_685))
        #expect(try formatted("%s", "922337203686") == nil)
        #expect(try formatted("%s", String(repeating: "9", count: 1000)) == nil)
        #expect(try formatted("%s", "-1") == nil)

        #expect(try formatted("%m/%d/%Y %I:%M:%S %p", "4/18/2020 4:50:30 AM") == april18)
        #expect(try formatted("%m/%d/%Y %I:%M:%S %p", "4/18/2020 4:50:30 pm") == april18 + seconds(12 * 3600))
        #expect(try formatted("%m/%d/%Y %I:%M:%S%p", "4/18/2020 4:50:30PM") == april18 + seconds(12 * 3600))
        #expect(try formatted("%I %p", "12 AM") == 0)
        #expect(try formatted("%I %p", "12 PM") == seconds(12 * 3600))
        #expect(try formatted("%I %p", "13 PM") == nil)
        #expect(try formatted("%I %p", "0 AM") == nil)
        #expect(try formatted("%I %p", "1 XM") == nil)
        #expect(try formatted("%I", "12") == 0)  // %I alone is AM
        #expect(try formatted("%H %p", "16 PM") == seconds(16 * 3600))  // %p only affects %I

        let zoned = "%Y-%m-%dT%H:%M:%S%z"
        for cell in [
            "2020-04-18T04:50:30Z", "2020-04-18T06:50:30+02:00", "2020-04-18T06:50:30+0200",
            "2020-04-18T06:50:30+02", "2020-04-18T01:20:30-03:30", "2020-04-18T04:50:30z"
        ] {
            #expect(try formatted(zoned, cell) == april18, "\(cell)")
        }
        for cell in [
            "2020-04-18T04:50:30", "2020-04-18T04:50:30+2", "2020-04-18T04:50:30+24:00", "2020-04-18T04:50:30 PST"
        ] {
            #expect(try formatted(zoned, cell) == nil, "\(cell)")
        }
        #expect(try formatted("%F %T %z", "2020-04-18 06:50:30 +02:00") == april18)

        // A whitespace character matches zero or more spaces or tabs; runs match as one.
        let spaced = "%F %T"
        for cell in ["2020-04-18 04:50:30", "2020-04-1804:50:30", "2020-04-18 \t  04:50:30"] {
            #expect(try formatted(spaced, cell) == april18, "\(cell)")
        }
        #expect(try formatted("%F  \t %T", "2020-04-18 04:50:30") == april18)
        #expect(try formatted("%F %T", "2020-04-18x04:50:30") == nil)
        #expect(try formatted("%FT%T", "2020-04-18 04:50:30") == nil)
        #expect(try formatted("[%d/%b/%Y:%T %z]", "[18/Apr/2020:06:50:30 +0200]") == april18)
        #expect(try formatted("ts=%s é", "ts=1587185430 é") == april18)
    }

    @Test("--time-format: bad patterns name the directive; formats compare by pattern")
    func formatErrors() throws {
        for (pattern, directive) in [
            ("%Q", "%Q"), ("%Y-%m-%d %H:%M:%S %j", "%j"), ("%Y%", "%"), ("%", "%"), ("%é", "%é")
        ] {
            do {
                _ = try TimeFormat(pattern)
                Issue.record("accepted \(pattern)")
            } catch {
                let message = "\(error)"
                #expect(message.contains(directive), "\(message)")
                #expect(message.contains("--time-format \"\(pattern)\""), "\(message)")
            }
        }
        #expect(throws: TimeFormat.PatternError(description: "unknown directive %Q in --time-format \"%Y %Q\"")) {
            try TimeFormat("%Y %Q")
        }
        #expect(try TimeFormat("%F %T") == TimeFormat("%F %T"))
        #expect(try TimeFormat("%F %T") != TimeFormat("%F  %T"))
        #expect(try TimeFormat("%F %T").pattern == "%F %T")
    }
}
