import SeqHunt
import SeqHuntSupport

/// Parses event times to ticks of 100 ns since the Unix epoch, from bytes.
///
/// A tick is Kusto's: 1970-01-01T00:00:00Z is 0 and one second is 10 000 000 ticks.
/// Fractions keep their first 7 digits; further digits are truncated, never rounded.
///
/// The automatic forms, with surrounding spaces trimmed:
///
/// - ISO 8601 `YYYY-MM-DDTHH:MM:SS` (`T`, `t` or a space between date and time), an
///   optional fraction after `.` or `,`, and an optional zone: `Z`, `UTC`, `±HH:MM`,
///   `±HHMM` or `±HH`, also after a space. No zone means UTC. Years 0001 to 9999; a
///   leap second `:60` reads as the next minute's `:00`.
/// - Dates as the Azure portal writes them in the browser's locale:
///   `21/04/2025, 09:45:54.000` or `4/18/2020, 4:50:30.000 AM` (comma optional),
///   `H:MM` or `H:MM:SS` with an optional fraction and an optional `AM`/`PM`. A slash
///   date is read in the only order that makes sense, or with the given ``DateOrder``
///   when both do (see ``DateOrderEvidence``). Dotted dates (`21.04.2025`) are day-first.
/// - Epoch numbers, digits with an optional `.` fraction, whose unit follows from the
///   magnitude of the integer part: below 1e11 seconds, below 1e14 milliseconds,
///   below 1e17 microseconds, otherwise nanoseconds.
///
/// Anything else, an impossible date such as February 30, or a number that does not
/// fit, is `nil`; no input traps.
public enum TimeParser {
    /// The times every output can write: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z.
    public static let representable: ClosedRange<Int64> = -621_355_968_000_000_000...2_534_023_007_999_999_999

    /// Ticks in one second: 10_000_000.
    public static let ticksPerSecond = Timestamp.ticksPerSecond

    /// Ticks in one day.
    static let ticksPerDay: Int64 = 86_400 * ticksPerSecond

    /// The order of day and month in a slash date such as 04/05/2021.
    public enum DateOrder: Sendable, Equatable {
        /// Month first, as in the United States: 04/05/2021 is April 5.
        case monthFirst
        /// Day first, as in most of Europe: 04/05/2021 is May 4.
        case dayFirst
    }

    /// What one parsed cell says about the order of day and month.
    public enum DateOrderEvidence: Sendable, Equatable {
        /// Not a slash date, or day == month (either order gives the same date).
        case none
        /// A slash date whose first number is > 12: only day-first reads it.
        case dayFirst
        /// A slash date whose second number is > 12: only month-first reads it.
        case monthFirst
        /// Both numbers are <= 12 and different: parsed with the `order` given.
        case ambiguous
    }

    /// Parses one cell in any of the automatic forms.
    ///
    /// A slash date that only one order can read is read that way, whatever `order`
    /// says, and reported as evidence; an ambiguous one is read with `order`.
    ///
    /// - Returns: The ticks and what the cell says about the date order, or `nil` when the
    ///   cell is none of the forms or names an impossible date or time.
    public static func ticks(_ bytes: UnsafeRawBufferPointer, order: DateOrder = .monthFirst)
        -> (ticks: Int64, evidence: DateOrderEvidence)?
    {
        let cell = TimeCursor(bytes)
        let lead = cell.digitRunLength
        guard lead > 0 else { return nil }
        let next = cell.byte(at: lead) ?? 0
        if lead == 4 && next == UInt8(ascii: "-") {
            var c = cell
            return isoTicks(&c).map { ($0, .none) }
        }
        if lead <= 2 && (next == UInt8(ascii: "/") || next == UInt8(ascii: ".")) {
            var c = cell
            if let local = localTicks(&c, separator: next, order: order) { return local }
            // "1.5" is an epoch number, not a broken dotted date.
        }
        var c = cell
        return epochTicks(&c).map { ($0, .none) }
    }

    /// Parses a `String` in any of the automatic forms, ambiguous slash dates month-first
    /// unless `order` says otherwise (a convenience for tests and flags).
    public static func ticks(_ text: String, order: DateOrder = .monthFirst) -> Int64? {
        var copy = text
        return copy.withUTF8 { ticks(UnsafeRawBufferPointer($0), order: order)?.ticks }
    }

    /// Parses a `String` in any of the automatic forms to an instant, ambiguous slash dates
    /// month-first unless `order` says otherwise. `nil` when the text is none of the forms or
    /// names an impossible date or time.
    public static func timestamp(_ text: String, order: DateOrder = .monthFirst) -> Timestamp? {
        ticks(text, order: order).map(Timestamp.init(ticks:))
    }

    /// ISO 8601 UTC text of `instant`, as ``isoText(ticks:)`` writes it.
    public static func isoText(_ instant: Timestamp) -> String { isoText(ticks: instant.ticks) }

    /// The same instant with day and month swapped, for a cell first read as ambiguous in
    /// the other order; `nil` when the swapped date does not exist (its day is above 12, or
    /// the old month is past the end of the new one).
    public static func swappingDayAndMonth(_ ticks: Int64) -> Int64? {
        let (days, tickOfDay) = split(ticks)
        let (year, month, day) = CivilDate.date(days: days)
        guard day <= 12, month <= Int64(daysInMonth(Int(year), Int(day))) else { return nil }
        let swapped = Int64(CivilDate.days(year: Int(year), month: Int(day), day: Int(month)))
        let (start, overflow) = swapped.multipliedReportingOverflow(by: ticksPerDay)
        guard !overflow else { return nil }
        let (result, overflowAgain) = start.addingReportingOverflow(tickOfDay)
        return overflowAgain ? nil : result
    }

    /// ISO 8601 UTC text of `ticks`: `YYYY-MM-DDTHH:MM:SS[.fffffff]Z`, with a fraction of
    /// up to 7 digits only when it is not zero (trailing zeros dropped).
    ///
    /// Years outside 0...9999 (only from the library API, never parsed) keep all their
    /// digits and their sign.
    public static func isoText(ticks: Int64) -> String {
        // Formatted in place into the string's own storage.
        String(unsafeUninitializedCapacity: 32) { isoText(ticks: ticks, into: $0) }
    }

    /// Calls `body` with the bytes of ``isoText(ticks:)``, formatted on the stack: the writers
    /// write two times per session, millions of them.
    package static func withISOText<R>(ticks: Int64, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { out in
            let count = isoText(ticks: ticks, into: out)
            return try body(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: out[..<count])))
        }
    }

    /// Writes ``isoText(ticks:)`` into `out` (at least 32 bytes) and returns its length. The
    /// longest is 30 bytes: "-27258-04-19T21:11:54.5224192Z".
    static func isoText(ticks: Int64, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let (days, tickOfDay) = split(ticks)
        let (year, month, day) = CivilDate.date(days: days)
        let secondOfDay = Int(tickOfDay / ticksPerSecond)
        let fraction = Int(tickOfDay % ticksPerSecond)
        @inline(__always) func put(_ value: Int, at offset: Int, width: Int) {
            var v = value
            for i in stride(from: offset + width - 1, through: offset, by: -1) {
                out[i] = UInt8(truncatingIfNeeded: 48 + v % 10)
                v /= 10
            }
        }
        var i = 0
        if (0...9999).contains(year) {
            put(Int(year), at: 0, width: 4)
            i = 4
        } else {
            if year < 0 {
                out[0] = UInt8(ascii: "-")
                i = 1
            }
            let magnitude = Int(year.magnitude)
            var width = 1
            var rest = magnitude / 10
            while rest > 0 {
                width += 1
                rest /= 10
            }
            put(magnitude, at: i, width: width)
            i += width
        }
        out[i] = UInt8(ascii: "-")
        put(Int(month), at: i + 1, width: 2)
        out[i + 3] = UInt8(ascii: "-")
        put(Int(day), at: i + 4, width: 2)
        out[i + 6] = UInt8(ascii: "T")
        put(secondOfDay / 3600, at: i + 7, width: 2)
        out[i + 9] = UInt8(ascii: ":")
        put(secondOfDay / 60 % 60, at: i + 10, width: 2)
        out[i + 12] = UInt8(ascii: ":")
        put(secondOfDay % 60, at: i + 13, width: 2)
        i += 15
        if fraction != 0 {
            out[i] = UInt8(ascii: ".")
            put(fraction, at: i + 1, width: 7)
            i += 8
            while out[i - 1] == UInt8(ascii: "0") { i -= 1 }
        }
        out[i] = UInt8(ascii: "Z")
        return i + 1
    }

    // MARK: - The forms

    /// `YYYY-MM-DD[Tt ]HH:MM:SS[.f…][zone]`, the cursor at the first digit.
    static func isoTicks(_ c: inout TimeCursor) -> Int64? {
        guard let year = c.digits(4), c.skip(UInt8(ascii: "-")),
            let month = c.digits(2), c.skip(UInt8(ascii: "-")),
            let day = c.digits(2)
        else { return nil }
        guard let separator = c.byte(at: 0),
            separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == 0x20
        else { return nil }
        c.position += 1
        guard let hour = c.digits(2), c.skip(UInt8(ascii: ":")),
            let minute = c.digits(2), c.skip(UInt8(ascii: ":")),
            let second = c.digits(2)
        else { return nil }
        var fraction: Int64 = 0
        if c.skip(UInt8(ascii: ".")) || c.skip(UInt8(ascii: ",")) {
            guard let f = c.fractionTicks() else { return nil }
            fraction = f
        }
        guard year >= 1, let offset = c.trailingZone() else { return nil }
        return compose(
            year: year, month: month, day: day, hour: hour, minute: minute,
            second: second, fraction: fraction, offsetSeconds: offset)
    }

    /// `D/M/YYYY[,] H:MM[:SS[.f…]][ AM|PM]` and the dotted `D.M.YYYY H:MM…`, the cursor at
    /// the first digit.
    static func localTicks(_ c: inout TimeCursor, separator: UInt8, order: DateOrder)
        -> (ticks: Int64, evidence: DateOrderEvidence)?
    {
        guard let first = c.digits(upTo: 2), c.skip(separator),
            let second = c.digits(upTo: 2), c.skip(separator),
            let year = c.digits(4), year >= 1
        else { return nil }
        let comma = c.skip(UInt8(ascii: ","))
        guard c.skipBlanks() || comma else { return nil }
        guard var hour = c.digits(upTo: 2), c.skip(UInt8(ascii: ":")),
            let minute = c.digits(2)
        else { return nil }
        var secondOfMinute = 0
        var fraction: Int64 = 0
        if c.skip(UInt8(ascii: ":")) {
            guard let s = c.digits(2) else { return nil }
            secondOfMinute = s
            if c.skip(UInt8(ascii: ".")) || c.skip(UInt8(ascii: ",")) {
                guard let f = c.fractionTicks() else { return nil }
                fraction = f
            }
        }
        let beforeMeridiem = c.position
        _ = c.skipBlanks()
        if let pm = c.meridiem() {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (pm ? 12 : 0)
        } else {
            c.position = beforeMeridiem
        }
        guard let offset = c.trailingZone() else { return nil }

        let day: Int, month: Int, evidence: DateOrderEvidence
        if separator != UInt8(ascii: "/") {
            (day, month, evidence) = (first, second, .none)
        } else if first > 12 {
            (day, month, evidence) = (first, second, .dayFirst)
        } else if second > 12 {
            (day, month, evidence) = (second, first, .monthFirst)
        } else if first == second {
            (day, month, evidence) = (first, second, .none)
        } else if order == .dayFirst {
            (day, month, evidence) = (first, second, .ambiguous)
        } else {
            (day, month, evidence) = (second, first, .ambiguous)
        }
        guard
            let ticks = compose(
                year: year, month: month, day: day, hour: hour, minute: minute,
                second: secondOfMinute, fraction: fraction, offsetSeconds: offset)
        else { return nil }
        return (ticks, evidence)
    }

    /// Digits with an optional `.` fraction, the unit chosen by the integer's magnitude.
    static func epochTicks(_ c: inout TimeCursor) -> Int64? {
        guard let value = c.integer() else { return nil }
        // Ticks per unit and the fraction digits that still count whole ticks.
        let perUnit: Int64, fractionDigits: Int
        switch value {
        case ..<100_000_000_000: (perUnit, fractionDigits) = (ticksPerSecond, 7)
        case ..<100_000_000_000_000: (perUnit, fractionDigits) = (10_000, 4)
        case ..<100_000_000_000_000_000: (perUnit, fractionDigits) = (10, 1)
        default: (perUnit, fractionDigits) = (0, 0)  // nanoseconds
        }
        // value < 1e17 here, so value * perUnit < 1e18: no overflow.
        var ticks = perUnit == 0 ? value / 100 : value * perUnit
        if c.skip(UInt8(ascii: ".")) {
            guard let fraction = c.fraction(keeping: fractionDigits) else { return nil }
            ticks += fraction
        }
        return c.isAtEnd ? ticks : nil
    }

    // MARK: - Calendar

    /// Ticks of a UTC date and time shifted by a zone offset; `nil` when the date or time
    /// does not exist. Years must be within 0...9999 (callers read at most 4 digits).
    @inline(__always)
    static func compose(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
        fraction: Int64, offsetSeconds: Int
    ) -> Int64? {
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year, month),
            hour <= 23, minute <= 59, second <= 60
        else { return nil }
        let days = Int64(CivilDate.days(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        return seconds * ticksPerSecond + fraction
    }

    /// Whole days since the epoch (rounded down) and the ticks into that day.
    @inline(__always)
    static func split(_ ticks: Int64) -> (days: Int64, tickOfDay: Int64) {
        var days = ticks / ticksPerDay
        var rest = ticks % ticksPerDay
        if rest < 0 {
            rest += ticksPerDay
            days -= 1
        }
        return (days, rest)
    }

    @inline(__always)
    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    @inline(__always)
    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
