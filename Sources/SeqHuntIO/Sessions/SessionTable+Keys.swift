import SeqHunt

extension SessionTable {
    /// The columns SeqHunt itself writes about a session (times, counts, commands and
    /// scores): every other column of a sessions or scores file is a key column.
    static let ownColumns: Set<String> = [
        "session_id", "begin", "end", "duration", "nCmds", "nDistinctCmds", "cmds", "params", "session",
        "likelihood", "log_likelihood", "geomean_likelihood"
    ]

    /// Whether a column of a sessions or scores file holds a key value (who acted, from where).
    package static func isKeyColumn(_ name: String) -> Bool {
        !ownColumns.contains(name) && !name.hasPrefix("rarest_window")
    }

    /// The indices of the key columns.
    package var keyColumnIndices: [Int] { columns.indices.filter { Self.isKeyColumn(columns[$0]) } }

    /// Who a session is, as the table, the timeline and `explain` show it: the key
    /// values joined by " / ", an empty one as "(empty UserId)", so that a label never
    /// hides which key was missing.
    package static func keyText(names: [String], values: [String?]) -> String {
        zip(names, values).map { name, value in
            guard let value, !value.isEmpty else { return "(empty \(name))" }
            return value
        }.joined(separator: " / ")
    }

    /// ``keyText(names:values:)`` of session `index`; pass ``keyColumnIndices`` when asking for many.
    package func keyText(session index: Int, keyColumns: [Int]? = nil) -> String {
        let keys = keyColumns ?? keyColumnIndices
        return Self.keyText(
            names: keys.map { columns[$0] }, values: keys.map { cells.string(column: $0, session: index) })
    }
}
