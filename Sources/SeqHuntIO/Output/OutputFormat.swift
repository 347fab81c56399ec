/// The formats SeqHunt writes tables in.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// RFC 4180 CSV with a header; null cells empty.
    case csv
    /// One JSON object per line; numbers as JSON numbers, null cells `null`.
    case jsonl

    /// The format for `path`: `given` when set (`--format`), else by the extension
    /// (`.csv`; `.jsonl`, `.ndjson`, `.json`).
    /// - Throws: ``OutputError`` for standard output (`-`) or an unknown extension without `given`.
    public static func of(_ path: String, given: OutputFormat? = nil) throws -> OutputFormat {
        if let given { return given }
        if path == "-" { throw OutputError(path: path, cause: "standard output needs --format csv or --format jsonl") }
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") { return .jsonl }
        throw OutputError(path: path, cause: "unknown output format: name it .csv or .jsonl, or give --format")
    }
}
