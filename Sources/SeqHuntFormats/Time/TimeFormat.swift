import SeqHunt

/// An explicit strftime/strptime-style time format (`--time-format`), compiled once and
/// matched against each cell's bytes without allocating.
///
/// Directives:
///
/// | Directive | Matches |
/// |-----------|---------|
/// | `%Y` | a 4-digit year |
/// | `%y` | a 2-digit year: 69–99 are 1969–1999, 00–68 are 2000–2068 (POSIX) |
/// | `%m`, `%d` | month, day of the month: 1 or 2 digits |
/// | `%e` | day of the month, 1 or 2 digits, after optional spaces |
/// | `%H` | hour 0–23, 1 or 2 digits |
/// | `%I`, `%p` | hour 1–12 and `AM`/`PM` in any case (`%I` alone is AM; `%p` alone is ignored) |
/// | `%M`, `%S` | minute, second (up to 60): 1 or 2 digits |
/// | `%f` | one or more fraction digits, the first 7 kept as ticks |
/// | `%z` | `Z`, `UTC`, `±HH:MM`, `±HHMM` or `±HH` |
/// | `%b`, `%h`, `%B` | an English month: 3-letter abbreviation, full name; any case |
/// | `%T`, `%F` | `%H:%M:%S`, `%Y-%m-%d` |
/// | `%s` | seconds since the epoch (digits); other date and time fields are then ignored, `%f` is added |
/// | `%%` | a literal `%` |
///
/// A whitespace character in the pattern matches zero or more spaces or tabs in the cell
/// (so runs of them match as one); any other character matches itself. Fields that are
/// missing default to 1970-01-01T00:00:00 UTC. A date that does not exist is no match.
public struct TimeFormat: Sendable, Equatable {
    /// Why a `--time-format` pattern cannot be compiled; `description` names the directive.
    public struct PatternError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The message, such as `unknown directive %Q in --time-format "%Y%Q"`.
        public let description: String
    }

    /// The pattern as given.
    public let pattern: String

    /// The compiled pattern.
    let steps: [Step]

    /// A field a directive reads.
    enum Field: Sendable, Equatable {
        case year, shortYear, month, day, spacePaddedDay, hour, hour12, meridiem, minute, second
        case fraction, zone, monthAbbreviation, monthName, epochSeconds
    }

    /// One step of matching a cell.
    enum Step: Sendable, Equatable {
        /// This exact byte.
        case literal(UInt8)
        /// Zero or more spaces or tabs.
        case blanks
        /// A directive.
        case field(Field)
    }

    /// Compiles `pattern`.
    ///
    /// - Throws: ``PatternError`` naming an unknown directive, or a `%` that ends the pattern.
    public init(_ pattern: String) throws {
        var steps: [Step] = []
        var scalars = pattern.unicodeScalars.makeIterator()
        let quoted = "--time-format \"\(pattern)\""
        while let scalar = scalars.next() {
            if scalar.properties.isWhitespace {
                if steps.last != .blanks { steps.append(.blanks) }
                continue
            }
            guard scalar == "%" else {
                steps.append(contentsOf: String(scalar).utf8.map(Step.literal))
                continue
            }
            guard let directive = scalars.next() else {
                throw PatternError(description: "incomplete directive % at the end of \(quoted)")
            }
            switch directive {
            case "Y": steps.append(.field(.year))
            case "y": steps.append(.field(.shortYear))
            case "m": steps.append(.field(.month))
            case "d": steps.append(.field(.day))
            case "e": steps.append(.field(.spacePaddedDay))
            case "H": steps.append(.field(.hour))
            case "I": steps.append(.field(.hour12))
            case "p": steps.append(.field(.meridiem))
            case "M": steps.append(.field(.minute))
            case "S": steps.append(.field(.second))
            case "f": steps.append(.field(.fraction))
            case "z": steps.append(.field(.zone))
            case "b", "h": steps.append(.field(.monthAbbreviation))
            case "B": steps.append(.field(.monthName))
            case "s": steps.append(.field(.epochSeconds))
            case "T":
                steps += [
                    .field(.hour), .literal(UInt8(ascii: ":")), .field(.minute),
                    .literal(UInt8(ascii: ":")), .field(.second)
                ]
            case "F":
                steps += [
                    .field(.year), .literal(UInt8(ascii: "-")), .field(.month),
                    .literal(UInt8(ascii: "-")), .field(.day)
                ]
            case "%": steps.append(.literal(UInt8(ascii: "%")))
            default: throw PatternError(description: "unknown directive %\(directive) in \(quoted)")
            }
        }
        self.pattern = pattern
        self.steps = steps
    }

    /// Parses one cell (surrounding spaces and tabs trimmed) to ticks of 100 ns since
    /// 1970-01-01T00:00:00Z.
    ///
    /// - Returns: `nil` when the pattern does not match the whole cell, or the date or
    ///   time does not exist.
    public func ticks(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var c = TimeCursor(bytes)
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, offset = 0
        var hour12 = 0  // 0: no %I
        var pm = false
        var fraction: Int64 = 0
        var epochSeconds: Int64 = -1  // -1: no %s
        for step in steps {
            switch step {
            case .literal(let byte):
                guard c.skip(byte) else { return nil }
            case .blanks:
                _ = c.skipBlanks()
            case .field(let field):
                switch field {
                case .year:
                    guard let v = c.digits(4) else { return nil }
                    year = v
                case .shortYear:
                    guard let v = c.digits(2) else { return nil }
                    year = v < 69 ? 2000 + v : 1900 + v
                case .month:
                    guard let v = c.digits(upTo: 2) else { return nil }
                    month = v
                case .day:
                    guard let v = c.digits(upTo: 2) else { return nil }
                    day = v
                case .spacePaddedDay:
                    _ = c.skipBlanks()
                    guard let v = c.digits(upTo: 2) else { return nil }
                    day = v
                case .hour:
                    guard let v = c.digits(upTo: 2) else { return nil }
                    hour = v
                case .hour12:
                    guard let v = c.digits(upTo: 2), (1...12).contains(v) else { return nil }
                    hour12 = v
                case .meridiem:
                    guard let v = c.meridiem() else { return nil }
                    pm = v
                case .minute:
                    guard let v = c.digits(upTo: 2) else { return nil }
                    minute = v
                case .second:
                    guard let v = c.digits(upTo: 2) else { return nil }
                    second = v
                case .fraction:
                    guard let v = c.fractionTicks() else { return nil }
                    fraction = v
                case .zone:
                    guard let v = c.zoneOffset() else { return nil }
                    offset = v
                case .monthAbbreviation:
                    guard let v = c.monthName(full: false) else { return nil }
                    month = v
                case .monthName:
                    guard let v = c.monthName(full: true) else { return nil }
                    month = v
                case .epochSeconds:
                    guard let v = c.integer() else { return nil }
                    epochSeconds = v
                }
            }
        }
        guard c.isAtEnd else { return nil }
        if epochSeconds >= 0 {
            let (whole, overflow) = epochSeconds.multipliedReportingOverflow(by: TimeParser.ticksPerSecond)
            let (sum, overflowAgain) = whole.addingReportingOverflow(fraction)
            return overflow || overflowAgain ? nil : sum
        }
        if hour12 > 0 { hour = hour12 % 12 + (pm ? 12 : 0) }
        return TimeParser.compose(
            year: year, month: month, day: day, hour: hour, minute: minute,
            second: second, fraction: fraction, offsetSeconds: offset)
    }
}

extension TimeFormat.PatternError: SeqHuntError {}
