import SeqHunt

/// Sessions read from files: the engine's `SessionStore` plus, per session, the
/// descriptive columns of the input (key columns, `begin`, `end`, ...) to echo in
/// the output, and where each session came from.
///
/// The descriptive cells are stored by column, not as a `String` each: the writers and the
/// timeline read their bytes, and a `String` is made only for a cell that is shown.
public struct SessionTable: Sendable {
    /// The descriptive columns (every input column except `cmds` and `params`), in first-seen order.
    public internal(set) var columns: [String] = []
    /// The descriptive cells, by column.
    package internal(set) var cells = DescriptiveCells()
    /// The encoded sessions, in input order.
    public internal(set) var store: SessionStore
    /// The descriptive columns whose values are numbers (counts, durations, or JSON
    /// numbers in the input): JSON output writes them as JSON numbers.
    public internal(set) var numericColumns: Set<String> = []
    /// Per session, the file and line it was read from.
    public internal(set) var sources: [(file: String, line: Int)] = []

    public init(store: SessionStore = SessionStore()) {
        self.store = store
    }

    /// A table from known columns and rows (one row per session of `store`).
    public init(columns: [String], rows: [[String?]], store: SessionStore) {
        precondition(rows.count == store.sessionCount, "one row per session")
        self.columns = columns
        self.store = store
        for _ in columns { cells.addTextColumn() }
        for (session, row) in rows.enumerated() {
            for (c, value) in row.enumerated() where c < columns.count {
                if let value { value.withUTF8Bytes { cells.append($0, column: c, session: session) } }
            }
        }
        self.sources = rows.indices.map { ("", $0 + 1) }
    }

    /// Per session, the value of each descriptive column (`nil` when absent or JSON null).
    ///
    /// Made when asked, a `String` per cell: O(sessions × columns). To read one cell, use
    /// ``value(_:session:)``.
    public var rows: [[String?]] {
        (0..<store.sessionCount).map { session in
            columns.indices.map { cells.string(column: $0, session: session) }
        }
    }

    /// The value of `column` for session `index`.
    public func value(_ column: String, session index: Int) -> String? {
        guard let c = columns.firstIndex(of: column) else { return nil }
        return cells.string(column: c, session: index)
    }
}
