import SeqHuntFormats

/// How an input's records are written, told from the head of its (decompressed) bytes.
enum InputFormat: Equatable, Sendable {
    /// No bytes at all.
    case empty
    /// RFC 4180 CSV with a header.
    case csv
    /// One JSON object per line.
    case jsonLines
    /// A JSON array of records, or an object whose first member is one (`{"Records": [...]}`).
    case jsonRecords(JSONRecordUnwrapper.Layout)

    /// The format of an input whose first bytes are `head`.
    ///
    /// A `.csv` name (before any `.gz` or `.zst`) means CSV; otherwise the first
    /// character decides: `[` a JSON array of records, `{` JSON Lines, or a document of
    /// records when the object's first member holds an array of objects and is not one of
    /// `columns` (the columns the run reads, so that an event whose first column is a
    /// `Parameters` array is not taken for one); anything else is CSV.
    /// - Throws: `InputError` for binary input (Parquet, UTF-16, images, archives, ...),
    ///   saying what it looks like and what to do.
    static func detect(head: UnsafeRawBufferPointer, name: String, path: String, columns: Set<String>) throws
        -> InputFormat
    {
        guard !head.isEmpty else { return .empty }
        if let cause = binaryCause(head) { throw InputError(file: name, line: 0, cause: cause) }
        var lower = path.lowercased()
        for suffix in [".gz", ".gzip", ".zst", ".zstd"] where lower.hasSuffix(suffix) { lower.removeLast(suffix.count) }
        if lower.hasSuffix(".csv") { return .csv }
        var p = 0
        if head.count >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF { p = 3 }
        while p < head.count, head[p] == 0x20 || head[p] == 0x0A || head[p] == 0x0D || head[p] == 0x09 { p += 1 }
        guard p < head.count else { return .jsonLines }
        switch head[p] {
        case UInt8(ascii: "["):
            return .jsonRecords(.array)
        case UInt8(ascii: "{"):
            var scanner = JSONScanner(UnsafeRawBufferPointer(rebasing: head[(p + 1)...]))
            do throws(JSONSyntaxError) {
                scanner.skipWhitespace()
                guard scanner.peek() == UInt8(ascii: "\"") else { return .jsonLines }
                var nameBytes: [UInt8] = []
                try scanner.readString(into: &nameBytes)
                try scanner.expectColon()
                scanner.skipWhitespace()
                guard scanner.peek() == UInt8(ascii: "[") else { return .jsonLines }
                scanner.position += 1
                scanner.skipWhitespace()
                guard scanner.peek() == UInt8(ascii: "{") || scanner.peek() == UInt8(ascii: "]") else {
                    return .jsonLines
                }
                let member = String(decoding: nameBytes, as: UTF8.self)
                return columns.contains(member) ? .jsonLines : .jsonRecords(.member(member))
            } catch {
                return .jsonLines
            }
        default:
            return .csv
        }
    }

    /// What binary input looks like, and what to do; nil for text.
    static func binaryCause(_ head: UnsafeRawBufferPointer) -> String? {
        func starts(_ prefix: [UInt8]) -> Bool {
            head.count >= prefix.count && head.prefix(prefix.count).elementsEqual(prefix)
        }
        let pipe = "through a pipe (the README's \"Events in\" shows how)"
        if starts(Array("PAR1".utf8)) {
            return
                "is a Parquet file, which SeqHunt does not read: convert it to JSON Lines or CSV with DuckDB or pandas "
                + pipe
        }
        if starts([0xFF, 0xFE]) || starts([0xFE, 0xFF]) {
            return "is UTF-16 text: convert it to UTF-8, for example iconv -f UTF-16 -t UTF-8 FILE | seqhunt ... -"
        }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            return "is a ZIP archive (or an Excel workbook): unzip it, or save the sheet as CSV"
        }
        let kinds: [([UInt8], String)] = [
            ([0x89, 0x50, 0x4E, 0x47], "a PNG image"), ([0xFF, 0xD8, 0xFF], "a JPEG image"),
            (Array("GIF8".utf8), "a GIF image"),
            (Array("%PDF".utf8), "a PDF document"), ([0x7F, 0x45, 0x4C, 0x46], "an executable (ELF)"),
            (Array("SQLite format 3".utf8), "an SQLite database"), (Array("Obj".utf8) + [0x01], "an Avro file"),
            ([0x37, 0x7A, 0xBC, 0xAF], "a 7-Zip archive")
        ]
        for (magic, what) in kinds where starts(magic) {
            return "is \(what), not a CSV or JSON log"
        }
        // UTF-16 without a byte-order mark: NUL in most bytes of one parity and in few of
        // the other. (A NUL here and there is data: it is read, and escaped in messages.)
        let sample = head.prefix(4096)
        if sample.count >= 16 && sample.allSatisfy({ $0 == 0 }) {
            return "holds only NUL bytes, not a CSV or JSON log"
        }
        if sample.count >= 16 {
            var zeros = (even: 0, odd: 0)
            for (i, b) in sample.enumerated() where b == 0 { if i & 1 == 0 { zeros.even += 1 } else { zeros.odd += 1 } }
            let half = sample.count / 2
            if (zeros.odd * 10 >= half * 4 && zeros.even * 20 <= half)
                || (zeros.even * 10 >= half * 4 && zeros.odd * 20 <= half)
            {
                return
                    "looks like UTF-16 text (every other byte is NUL): convert it to UTF-8, for example iconv -f UTF-16LE -t UTF-8 FILE | seqhunt ... -"
            }
        }
        return nil
    }
}
