/// Records read in order on the calling thread (sessions CSV and scores files); event logs
/// parse the pieces of each block in parallel instead.
extension RecordBlocks {
    /// Blocks over `source` read as `format`, or nil for an empty input. A document of
    /// records is unwrapped to JSON Lines first.
    convenience init?(source: ByteSource, format: InputFormat) {
        switch format {
        case .empty: return nil
        case .csv: self.init(source: source, quoteAware: true)
        case .jsonLines: self.init(source: source, quoteAware: false)
        case .jsonRecords(let layout):
            source.unwrapRecords(layout)
            self.init(source: source, quoteAware: false)
        }
    }

    /// Calls `csvRecord(records, header)` with the cursor on each CSV record after the header
    /// (its fields as bytes, its line), or `jsonLine(bytes, line)` for each JSON line, in input
    /// order. Returns the CSV header (nil for JSON Lines, or a CSV input without one).
    @discardableResult
    func forEachRecord(
        csv csvRecord: (CSVRecordCursor, [String]) throws -> Void,
        json jsonLine: (UnsafeRawBufferPointer, Int) throws -> Void
    ) throws -> [String]? {
        var header: [String]? = nil
        while let pieces = try next(blockSize: 16 << 20, pieces: 1) {
            for piece in pieces {
                let block = UnsafeRawBufferPointer(rebasing: bytes[piece.range])
                guard quoteAware else {
                    try JSONLines.forEachLine(in: block, firstLine: piece.firstLine, jsonLine)
                    continue
                }
                let records = self.records(of: piece)
                if header == nil {
                    guard try records.next() else { continue }
                    header = try records.strings()
                }
                while try records.next() { try csvRecord(records, header!) }
            }
        }
        return header
    }
}

extension CSVIndex {
    /// A cursor over the records that start in `piece` (a range of record starts).
    func records(of piece: RecordBlocks.Piece, file: String) -> CSVRecordCursor {
        CSVRecordCursor(
            index: self, from: piece.range.lowerBound, to: piece.range.upperBound, firstLine: piece.firstLine,
            file: file)
    }
}
