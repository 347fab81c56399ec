import ArgumentParser
import SeqHuntSupport

/// Durations on the command line: a number with `s`, `m`, `h`, `d` or `w` (`90s`, `2m`, `1.5h`, `60d`).
enum DurationText {
    /// The duration, in whole ticks of 100 ns (the unit of event times).
    static func duration(_ text: String, flag: String) throws -> Duration {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        guard let unit = text.last, let scale = units[unit], let value = Double(text.dropLast()),
            value > 0, value.isFinite
        else {
            throw ValidationError("\(flag) takes a duration such as 90s, 2m or 1h, not '\(text)'")
        }
        let ticks = (value * scale * 10_000_000).rounded()
        guard ticks < 9e18 else { throw ValidationError("\(flag) is too long: '\(text)'") }
        return Duration(ticks: Int64(ticks))
    }
}
