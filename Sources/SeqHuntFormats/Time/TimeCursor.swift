import SeqHunt

/// A read position in one cell of bytes, surrounding spaces and tabs trimmed, with the
/// small scanners the time forms are made of. Every scanner either consumes what it
/// matched and returns it, or returns `nil`/`false`; a failed scan may have moved the
/// position, so callers that try alternatives keep a copy.
struct TimeCursor {
    let bytes: UnsafeRawBufferPointer
    var position: Int
    let end: Int

    @inline(__always)
    init(_ bytes: UnsafeRawBufferPointer) {
        var start = 0
        var end = bytes.count
        while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
        while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
        self.bytes = bytes
        self.position = start
        self.end = end
    }

    var isAtEnd: Bool {
        @inline(__always) get { position == end }
    }

    /// The byte `offset` places ahead, or `nil` past the end.
    @inline(__always)
    func byte(at offset: Int) -> UInt8? {
        position + offset < end ? bytes[position + offset] : nil
    }

    /// The value of the digit `offset` places ahead, or `nil`.
    @inline(__always)
    func digit(at offset: Int) -> Int? {
        guard position + offset < end else { return nil }
        let d = bytes[position + offset] &- 0x30
        return d <= 9 ? Int(d) : nil
    }

    /// How many digits follow.
    var digitRunLength: Int {
        var n = 0
        while digit(at: n) != nil { n += 1 }
        return n
    }

    /// Consumes `c` if it is next.
    @inline(__always)
    mutating func skip(_ c: UInt8) -> Bool {
        guard position < end, bytes[position] == c else { return false }
        position += 1
        return true
    }

    /// Consumes spaces and tabs; whether there were any.
    @inline(__always)
    mutating func skipBlanks() -> Bool {
        let start = position
        while position < end && (bytes[position] == 0x20 || bytes[position] == 0x09) { position += 1 }
        return position > start
    }

    /// Exactly `count` digits (at most 4).
    @inline(__always)
    mutating func digits(_ count: Int) -> Int? {
        var value = 0
        for i in 0..<count {
            guard let d = digit(at: i) else { return nil }
            value = value * 10 + d
        }
        position += count
        return value
    }

    /// One to `limit` digits, as many as there are (at most 4).
    @inline(__always)
    mutating func digits(upTo limit: Int) -> Int? {
        var value = 0
        var count = 0
        while count < limit, let d = digit(at: count) {
            value = value * 10 + d
            count += 1
        }
        guard count > 0 else { return nil }
        position += count
        return value
    }

    /// One or more digits as an `Int64`; `nil` when there are none or they overflow.
    mutating func integer() -> Int64? {
        var value: Int64 = 0
        var count = 0
        while let d = digit(at: count) {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(d))
            guard !o1 && !o2 else { return nil }
            value = sum
            count += 1
        }
        guard count > 0 else { return nil }
        position += count
        return value
    }

    /// One or more fraction digits, the first `kept` of them as a count of their last
    /// place (so `kept` = 7 gives ticks of a second); the rest are consumed and dropped.
    @inline(__always)
    mutating func fraction(keeping kept: Int) -> Int64? {
        var value: Int64 = 0
        var count = 0
        while let d = digit(at: count) {
            if count < kept { value = value * 10 + Int64(d) }
            count += 1
        }
        guard count > 0 else { return nil }
        position += count
        for _ in min(count, kept)..<kept { value *= 10 }
        return value
    }

    /// Fraction-of-a-second digits as ticks (first 7 kept).
    @inline(__always)
    mutating func fractionTicks() -> Int64? { fraction(keeping: 7) }

    /// A zone: `Z`, `z`, `UTC` (any case), or `±HH:MM`, `±HHMM`, `±HH`, as seconds east of UTC.
    mutating func zoneOffset() -> Int? {
        guard let first = byte(at: 0) else { return nil }
        switch first | 0x20 {
        case UInt8(ascii: "z"):
            position += 1
            return 0
        case UInt8(ascii: "u"):
            guard byte(at: 1).map({ $0 | 0x20 }) == UInt8(ascii: "t"),
                byte(at: 2).map({ $0 | 0x20 }) == UInt8(ascii: "c")
            else { return nil }
            position += 3
            return 0
        default:
            break
        }
        guard first == UInt8(ascii: "+") || first == UInt8(ascii: "-") else { return nil }
        position += 1
        guard let hours = digits(2) else { return nil }
        var minutes = 0
        if skip(UInt8(ascii: ":")) {
            guard let m = digits(2) else { return nil }
            minutes = m
        } else if digit(at: 0) != nil {
            guard let m = digits(2) else { return nil }
            minutes = m
        }
        guard hours <= 23, minutes <= 59 else { return nil }
        let seconds = hours * 3600 + minutes * 60
        return first == UInt8(ascii: "-") ? -seconds : seconds
    }

    /// The end of a time: nothing, or blanks and a zone, then the end of the cell; the
    /// zone's offset in seconds (0 when there is none), or `nil` for anything else.
    @inline(__always)
    mutating func trailingZone() -> Int? {
        if isAtEnd { return 0 }
        _ = skipBlanks()
        guard let offset = zoneOffset(), isAtEnd else { return nil }
        return offset
    }

    /// `AM` or `PM` in any case: `true` for PM.
    @inline(__always)
    mutating func meridiem() -> Bool? {
        guard let a = byte(at: 0), let m = byte(at: 1), m | 0x20 == UInt8(ascii: "m") else { return nil }
        let pm: Bool
        switch a | 0x20 {
        case UInt8(ascii: "a"): pm = false
        case UInt8(ascii: "p"): pm = true
        default: return nil
        }
        position += 2
        return pm
    }

    /// An English month name in any case, its 3-letter abbreviation when `full` is false:
    /// the month number, 1...12.
    mutating func monthName(full: Bool) -> Int? {
        for (index, name) in TimeCursor.monthNames.enumerated() {
            let length = full ? name.utf8CodeUnitCount : 3
            guard position + length <= end else { continue }
            var same = true
            for i in 0..<length where bytes[position + i] | 0x20 != name.utf8Start[i] {
                same = false
                break
            }
            if same {
                position += length
                return index + 1
            }
        }
        return nil
    }

    /// English month names in lower case; none is a prefix of another.
    static let monthNames: [StaticString] = [
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december"
    ]
}
