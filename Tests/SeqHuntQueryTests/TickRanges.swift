import SeqHunt

/// A range of instants written as ticks, as these tests state slices.
func ticks(_ range: Range<Int64>) -> Range<Timestamp> {
    Timestamp(ticks: range.lowerBound)..<Timestamp(ticks: range.upperBound)
}
