import SeqHunt

extension Timestamp {
    /// The instant `microseconds` after the Unix epoch, as the drawings lay times out.
    static func microseconds(_ microseconds: Int64) -> Timestamp { Timestamp(ticks: microseconds * 10) }
}
