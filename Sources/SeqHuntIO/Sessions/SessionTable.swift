import SeqHunt

/// Sessions read from files: the engine's `SessionStore` plus, per session, the
/// descriptive columns of the input (key columns, `begin`, `end`, ...) to echo in
/// the output, and where each session came from.
public struct SessionTable: Sendable {
    /// The descriptive columns (every input column except `cmds` and `params`), in first-seen order.
    public internal(set) var columns: [String] = []
    /// Per session, the value of each descriptive column (`nil` when absent or JSON null).
    public internal(set) var rows: [[String?]] = []
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
        self.rows = rows
        self.store = store
        self.sources = rows.indices.map { ("", $0 + 1) }
    }

    /// The value of `column` for session `index`.
    public func value(_ column: String, session index: Int) -> String? {
        guard let c = columns.firstIndex(of: column) else { return nil }
        return c < rows[index].count ? rows[index][c] : nil
    }
}
