/// RFC 4180 CSV records as `String`s, for small inputs in memory: a thin adapter over
/// ``CSVRecordReader``, the one CSV scanner (quoted fields may span lines and hold
/// doubled quotes; CRLF and LF line ends; a leading UTF-8 BOM and blank lines skipped).
public struct CSVScanner {
    private let reader: CSVRecordReader
    /// The 1-based line on which the last returned record starts.
    public var recordLine: Int { reader.recordLine }

    /// A scanner over `bytes`, which must outlive it.
    public init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        reader = CSVRecordReader(stream: ByteStream(borrowing: UnsafeRawBufferPointer(bytes), path: file))
    }

    /// The next record's fields, or `nil` at the end of the input.
    public mutating func nextRecord() throws -> [String]? {
        try reader.nextStrings()
    }
}
