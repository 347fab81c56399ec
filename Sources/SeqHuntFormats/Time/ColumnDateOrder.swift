/// What the slash dates of a time column said about the order of day and month.
package struct ColumnDateOrder {
    package init() {}

    /// The first line with a date only day-first reads, and with one only month-first reads.
    package var dayFirstLine: Int?
    package var monthFirstLine: Int?
    /// The events whose dates read either way (read month-first), and the first one's line.
    package var ambiguousEvents: [Int32] = []
    package var ambiguousLine: Int?

    /// Takes over a later part's evidence; its events start at `offset`.
    package mutating func add(_ other: ColumnDateOrder, offset: Int) {
        dayFirstLine = dayFirstLine ?? other.dayFirstLine
        monthFirstLine = monthFirstLine ?? other.monthFirstLine
        ambiguousLine = ambiguousLine ?? other.ambiguousLine
        ambiguousEvents.append(contentsOf: other.ambiguousEvents.lazy.map { $0 + Int32(offset) })
    }
}
