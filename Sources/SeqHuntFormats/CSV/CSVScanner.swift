/// RFC 4180 CSV records as `String`s, for small inputs in memory: a thin adapter over
/// `CSVRecordCursor`, the one CSV reader (quoted fields may span lines and hold
/// doubled quotes; CRLF and LF line ends; a leading UTF-8 BOM and blank lines skipped).
@_spi(Internals) public struct CSVScanner {
    private let records: CSVRecordCursor
    /// The 1-based line on which the last returned record starts.
    public var recordLine: Int { records.recordLine }

    /// A scanner over `bytes`, which must outlive it. They are read, never written.
    public init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        let index = CSVIndex(borrowing: UnsafeRawBufferPointer(bytes))
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        records = CSVRecordCursor(index: index, from: bom ? 3 : 0, to: bytes.count, firstLine: 1, file: file)
    }

    /// The next record's fields, or `nil` at the end of the input.
    public mutating func nextRecord() throws -> [String]? {
        guard try records.next() else { return nil }
        return try records.strings()
    }
}
