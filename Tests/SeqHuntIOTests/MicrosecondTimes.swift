@testable import SeqHuntIO

// Times in microseconds, as the tests written before the reader kept 100 ns ticks
// state them: ticks / 10 (the seventh fraction digit dropped).
func microseconds(_ text: String) -> Int64? { TimeParser.ticks(text).map { $0 / 10 } }
func isoText(micros: Int64) -> String { TimeParser.isoText(ticks: micros * 10) }
