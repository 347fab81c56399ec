import SeqHunt
import SeqHuntFormats
import SeqHuntSupport

/// The descriptive cells of a ``SessionTable``, stored by column, not as a `String` per cell.
///
/// Sessions read from a file keep each column's text as it was read (``TextCells``).
/// Sessions made from events keep what the sessionizer found: each session's key id, begin
/// and end ticks and counts, and the key columns' text once per key; their cells are
/// formatted as they are written (a million sessions are seven million cells).
package struct DescriptiveCells: Sendable {
    /// Where a column's cells come from.
    package enum Source: Sendable {
        /// Text, one cell per session.
        case text(TextCells)
        /// Part `part` of the session's key (``Sessionized/keyParts``).
        case keyPart(Int)
        /// The sessionizer's begin and end times, as ISO 8601 text.
        case begin, end
        /// End minus begin, in seconds (``SessionTable/secondsText(_:)``).
        case duration
        /// The session's number of commands, and of distinct commands.
        case commandCount, distinctCommandCount
    }

    /// What sessionizing found, per session, for the computed columns.
    /// Empty for a table read from a file.
    package struct Sessionized: Sendable {
        var keys: ContiguousArray<Int32> = []
        /// Per key column, each key id's text.
        var keyParts: [TextCells] = []
        var beginTicks: ContiguousArray<Int64> = []
        var endTicks: ContiguousArray<Int64> = []
        var commandCounts: ContiguousArray<Int32> = []
        var distinctCommands: ContiguousArray<Int32> = []
    }

    package private(set) var sources: [Source] = []
    package private(set) var sessionized = Sessionized()

    package init() {}

    init(sources: [Source], sessionized: Sessionized) {
        self.sources = sources
        self.sessionized = sessionized
    }

    /// Adds an empty text column.
    mutating func addTextColumn() { sources.append(.text(TextCells())) }

    /// Stores `cell` as session `session`'s in text column `column`.
    mutating func append(_ cell: UnsafeRawBufferPointer, column: Int, session: Int) {
        guard case .text(var cells) = sources[column] else { preconditionFailure("column \(column) is not text") }
        sources[column] = .text(TextCells())  // so that the cells are not copied on write
        cells.append(cell, session: session)
        sources[column] = .text(cells)
    }

    /// Appends text column `from` of `other`, whose session `s` is session `offset + s` here, to column `to`.
    mutating func append(column from: Int, of other: DescriptiveCells, to: Int, sessionOffset offset: Int) {
        guard case .text(let theirs) = other.sources[from], case .text(var cells) = sources[to] else {
            preconditionFailure("only text columns are appended")
        }
        sources[to] = .text(TextCells())
        cells.append(contentsOf: theirs, sessionOffset: offset)
        sources[to] = .text(cells)
    }

    /// Calls `body` with the bytes of session `session`'s cell in `column`, or `nil` for none.
    package func withCell<R>(column: Int, session: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows
        -> R
    {
        guard column < sources.count else { return try body(nil) }
        switch sources[column] {
        case .text(let cells):
            return try cells.withCell(session, body)
        case .keyPart(let part):
            return try sessionized.keyParts[part].withCell(Int(sessionized.keys[session]), body)
        case .begin:
            return try TimeParser.withISOText(ticks: sessionized.beginTicks[session]) { try body($0) }
        case .end:
            return try TimeParser.withISOText(ticks: sessionized.endTicks[session]) { try body($0) }
        case .duration:
            let seconds = SessionTable.secondsText(sessionized.endTicks[session] - sessionized.beginTicks[session])
            return try seconds.withUTF8Bytes { try body($0) }
        case .commandCount:
            return try DecimalDigits.withDigits(of: Int(sessionized.commandCounts[session])) { try body($0) }
        case .distinctCommandCount:
            return try DecimalDigits.withDigits(of: Int(sessionized.distinctCommands[session])) { try body($0) }
        }
    }

    /// Session `session`'s cell in `column` as text, or `nil` for none.
    package func string(column: Int, session: Int) -> String? {
        withCell(column: column, session: session) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// Session `session`'s cell in `column` read as a time: the sessionizer's own ticks for
    /// `begin` and `end`, the parsed text otherwise; `nil` for none or text that is no time.
    package func ticks(column: Int, session: Int) -> Int64? {
        guard column < sources.count else { return nil }
        switch sources[column] {
        case .begin: return sessionized.beginTicks[session]
        case .end: return sessionized.endTicks[session]
        default: return withCell(column: column, session: session) { $0.flatMap { TimeParser.ticks($0)?.ticks } }
        }
    }
}
