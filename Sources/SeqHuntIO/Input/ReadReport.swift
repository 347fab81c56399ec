/// How many rows were read, kept, filtered out and skipped (by cause).
///
/// The counts add up: every row read is kept, filtered or skipped.
public struct ReadReport: Sendable, Equatable {
    public var rowsRead = 0
    public var eventsKept = 0
    /// Rows dropped by a filter (`--record-type`, `--exclude...`, `--since`, `--until`).
    public var rowsFiltered = 0
    public var skippedByCause: [String: Int] = [:]
    /// The first skipped row's error (`file:line: cause`), so that a run that skipped
    /// every row still says why.
    public var firstSkipped: String?
    public var bytesRead = 0
    public var rowsSkipped: Int { skippedByCause.values.reduce(0, +) }
    public init() {}

    /// Adds another report's counts (a later part of the same input, or another input).
    mutating func add(_ other: ReadReport) {
        rowsRead += other.rowsRead
        eventsKept += other.eventsKept
        rowsFiltered += other.rowsFiltered
        bytesRead += other.bytesRead
        for (cause, count) in other.skippedByCause { skippedByCause[cause, default: 0] += count }
        if firstSkipped == nil { firstSkipped = other.firstSkipped }
    }
}
