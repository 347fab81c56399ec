import SeqHunt
import SeqHuntSupport

/// Tick positions and labels for a UTC time axis at any span, from seconds to decades.
struct TimeAxis {
    struct Tick {
        var time: Int64
        var label: String
    }

    /// Steps in seconds; months and years are handled as calendar steps.
    static let steps: [(seconds: Int64, unit: Unit)] = [
        (1, .second), (5, .second), (15, .second), (30, .second),
        (60, .minute), (300, .minute), (900, .minute), (1800, .minute),
        (3600, .hour), (3 * 3600, .hour), (6 * 3600, .hour), (12 * 3600, .hour),
        (86_400, .day), (2 * 86_400, .day), (7 * 86_400, .day), (14 * 86_400, .day),
        (30 * 86_400, .month), (91 * 86_400, .month), (182 * 86_400, .month),
        (365 * 86_400, .year), (2 * 365 * 86_400, .year), (5 * 365 * 86_400, .year),
        (10 * 365 * 86_400, .year), (25 * 365 * 86_400, .year), (100 * 365 * 86_400, .year)
    ]

    enum Unit { case second, minute, hour, day, month, year }

    /// About `count` ticks between `start` and `end` (microseconds).
    static func ticks(from start: Int64, to end: Int64, count: Int = 8) -> [Tick] {
        let span = max(1, (end - start) / 1_000_000)
        let step = steps.first { span / $0.seconds <= Int64(count) } ?? steps.last!
        var ticks: [Tick] = []
        switch step.unit {
        case .month, .year:
            let months =
                step.unit == .month ? Int(step.seconds / (30 * 86_400)) : Int(step.seconds / (365 * 86_400)) * 12
            var (year, month) = civil(start / 1_000_000)
            month = (month - 1) / months * months + 1
            while true {
                let t = Int64(daysFromCivil(year, month, 1)) * 86_400 * 1_000_000
                if t > end { break }
                if t >= start {
                    ticks.append(Tick(time: t, label: step.unit == .year ? "\(year)" : "\(year)-\(pad(month))"))
                }
                month += months
                while month > 12 {
                    month -= 12
                    year += 1
                }
            }
        default:
            let stepMicros = step.seconds * 1_000_000
            var t = (start / stepMicros) * stepMicros
            if t < start { t += stepMicros }
            while t <= end {
                ticks.append(Tick(time: t, label: label(t, unit: step.unit)))
                t += stepMicros
            }
        }
        return ticks
    }

    static func label(_ micros: Int64, unit: Unit) -> String {
        let seconds = micros / 1_000_000
        let (year, month) = civil(seconds)
        let day = Int((seconds - Int64(daysFromCivil(year, month, 1)) * 86_400) / 86_400) + 1
        let sod = ((seconds % 86_400) + 86_400) % 86_400
        let hm = "\(pad(Int(sod / 3600))):\(pad(Int(sod / 60 % 60)))"
        switch unit {
        case .second: return hm + ":" + pad(Int(sod % 60))
        case .minute, .hour: return sod == 0 ? "\(year)-\(pad(month))-\(pad(day))" : hm
        default: return "\(year)-\(pad(month))-\(pad(day))"
        }
    }

    static func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// (year, month) of a time in seconds since the epoch.
    static func civil(_ seconds: Int64) -> (Int, Int) {
        let date = CivilDate.date(days: CivilDate.days(seconds: seconds))
        return (Int(date.year), Int(date.month))
    }

    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        CivilDate.days(year: year, month: month, day: day)
    }
}
