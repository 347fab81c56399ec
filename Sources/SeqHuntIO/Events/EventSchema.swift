/// Which columns of an event log hold what, and which rows to keep.
///
/// Column names match a CSV header exactly, or with the ` [UTC]` suffix that Azure
/// portal exports add (`TimeGenerated [UTC]`). In JSON input a name may be a path of
/// nested members with dots (`userIdentity.arn`); a member whose own name has the dot
/// wins over the path.
public struct EventSchema: Sendable {
    /// The time column (see `TimeParser` for the forms read automatically).
    public var timeColumn = "TimeGenerated"
    /// The columns whose values together form a session key.
    public var keyColumns = ["UserId", "ClientIP"]
    /// The command column.
    public var eventColumn = "Operation"
    /// The parameters column (a JSON array of Name/Value objects or a JSON object).
    public var parametersColumn: String? = "Parameters"
    /// Whether the parameters column was named on purpose: then an input without it is
    /// an error (by default a log without parameters is fine).
    public var parametersColumnRequired = false
    /// An explicit time format (`--time-format`); nil reads the automatic forms.
    public var timeFormat: TimeFormat? = nil
    /// Keep only rows whose `RecordType` is one of these (empty: keep all).
    public var recordTypes: [String] = []
    /// The column that ``recordTypes`` filters.
    public var recordTypeColumn = "RecordType"
    /// Drop rows whose user (the first key column) starts with one of these (case-insensitive).
    public var excludedUserPrefixes: [String] = []
    /// Drop rows whose user contains one of these (case-insensitive).
    public var excludedUserSubstrings: [String] = []
    /// Drop rows in which a column holds exactly a value (known-good accounts, addresses, commands).
    public var exclusions: [Exclusion] = []

    /// A row to drop: `column` holds exactly `value`.
    public struct Exclusion: Sendable, Equatable {
        public var column: String
        public var value: String
        public init(column: String, value: String) {
            self.column = column
            self.value = value
        }
    }

    public init() {}

    /// The columns excluded on, each once, in first-named order.
    var exclusionColumns: [String] {
        var columns: [String] = []
        for exclusion in exclusions where !columns.contains(exclusion.column) { columns.append(exclusion.column) }
        return columns
    }

    /// Every column a read uses.
    var columnNames: [String] {
        [timeColumn, eventColumn] + keyColumns + [parametersColumn].compactMap { $0 }
            + (recordTypes.isEmpty ? [] : [recordTypeColumn]) + exclusionColumns
    }

    /// Whether a CSV header cell names `column`: exactly, or with a ` [UTC]` suffix.
    static func headerMatches(_ header: some Collection<UInt8>, _ column: String) -> Bool {
        let name = Array(column.utf8)
        if header.elementsEqual(name) { return true }
        let suffix = Array(" [UTC]".utf8)
        return header.count == name.count + suffix.count && header.elementsEqual(name + suffix)
    }

    /// Whether `column` is among the `names` of an input's first record (CSV: as a header
    /// matches; JSON: a member, or the first step of a dotted path).
    func finds(_ column: String, in names: [String], csv: Bool) -> Bool {
        if csv { return names.contains { Self.headerMatches(Array($0.utf8), column) } }
        if names.contains(column) { return true }
        guard let dot = column.firstIndex(of: ".") else { return false }
        return names.contains(String(column[..<dot]))
    }
}
