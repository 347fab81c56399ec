import SeqHunt

/// Parses the times of SPEC 7 to microseconds since the Unix epoch, from bytes.
///
/// Accepted: ISO 8601 `YYYY-MM-DDTHH:MM:SS` with an optional fraction (any number of
/// digits; kept to the microsecond) and an optional `Z` or `±HH:MM` / `±HHMM`
/// offset (none means UTC), and the same with a space instead of `T`. Years 0001
/// to 9999. Anything else, or an impossible date such as February 30, is `nil`.
public enum TimeParser {
    /// Microseconds since 1970-01-01T00:00:00Z, or `nil` when `bytes` is not a time.
    public static func microseconds(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var p = 0
        let n = bytes.count
        // Trim surrounding spaces.
        var end = n
        while p < end && bytes[p] == 0x20 { p += 1 }
        while end > p && bytes[end - 1] == 0x20 { end -= 1 }
        @inline(__always) func digits(_ count: Int) -> Int? {
            guard p + count <= end else { return nil }
            var value = 0
            for i in 0..<count {
                let d = Int(bytes[p + i]) &- 48
                guard d >= 0 && d <= 9 else { return nil }
                value = value * 10 + d
            }
            p += count
            return value
        }
        @inline(__always) func expect(_ c: UInt8) -> Bool {
            guard p < end, bytes[p] == c else { return false }
            p += 1
            return true
        }
        guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2) else { return nil }
        guard p < end, bytes[p] == UInt8(ascii: "T") || bytes[p] == UInt8(ascii: "t") || bytes[p] == 0x20 else { return nil }
        p += 1
        guard let hour = digits(2), expect(0x3A), let minute = digits(2), expect(0x3A), let second = digits(2) else { return nil }
        var micros = 0
        if p < end && (bytes[p] == 0x2E || bytes[p] == 0x2C) {
            p += 1
            var scale = 100_000
            var any = false
            while p < end, bytes[p] >= 0x30 && bytes[p] <= 0x39 {
                micros += Int(bytes[p] - 0x30) * scale
                scale /= 10
                p += 1
                any = true
            }
            guard any else { return nil }
        }
        var offsetSeconds = 0
        if p < end {
            switch bytes[p] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                p += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign = bytes[p] == UInt8(ascii: "-") ? -1 : 1
                p += 1
                guard let oh = digits(2) else { return nil }
                _ = expect(0x3A)
                guard let om = digits(2), oh <= 23, om <= 59 else { return nil }
                offsetSeconds = sign * (oh * 3600 + om * 60)
            default:
                return nil
            }
        }
        guard p == end else { return nil }
        guard year >= 1, (1...12).contains(month), day >= 1, day <= daysInMonth(year, month),
              hour <= 23, minute <= 59, second <= 60 else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return seconds * 1_000_000 + Int64(micros)
    }

    /// Parses a `String` (convenience for tests and flags).
    public static func microseconds(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { microseconds(UnsafeRawBufferPointer($0)) }
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// ISO 8601 UTC text of `micros`: `YYYY-MM-DDTHH:MM:SSZ`, with a fraction only when
    /// it is not zero (trailing zeros dropped).
    public static func isoText(_ micros: Int64) -> String {
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 { fraction += 1_000_000; seconds -= 1 }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        let (year, month, day) = CivilDate.date(days: days)
        // Formatted into a fixed byte buffer: this runs twice per session when writing millions.
        var out = [UInt8](repeating: 0x30, count: 27)
        func put(_ value: Int64, at offset: Int, width: Int) {
            var v = value
            for i in stride(from: offset + width - 1, through: offset, by: -1) {
                out[i] = UInt8(48 + v % 10)
                v /= 10
            }
        }
        let fourDigitYear = (0...9999).contains(year)
        if fourDigitYear { put(year, at: 0, width: 4) }
        out[4] = 0x2D
        put(month, at: 5, width: 2); out[7] = 0x2D
        put(day, at: 8, width: 2); out[10] = UInt8(ascii: "T")
        put(secondOfDay / 3600, at: 11, width: 2); out[13] = 0x3A
        put(secondOfDay / 60 % 60, at: 14, width: 2); out[16] = 0x3A
        put(secondOfDay % 60, at: 17, width: 2)
        var length = 19
        if fraction != 0 {
            out[19] = 0x2E
            put(fraction, at: 20, width: 6)
            length = 26
            while out[length - 1] == 0x30 { length -= 1 }
        }
        out[length] = UInt8(ascii: "Z")
        // Years outside 0...9999 (only from the library API, never parsed) keep all their digits.
        return fourDigitYear ? String(decoding: out[0...length], as: UTF8.self)
                             : String(year) + String(decoding: out[4...length], as: UTF8.self)
    }}
