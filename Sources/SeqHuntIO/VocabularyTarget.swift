import SeqHunt

/// Where interned names go: an ``EventStore`` (event logs) or a session builder
/// (sessions files).
protocol VocabularyTarget {
    mutating func internCommand(_ name: String) -> Int32
    mutating func internParameter(_ name: String) -> Int32
    mutating func internValue(parameter: Int32, value: String) -> Int32
}
