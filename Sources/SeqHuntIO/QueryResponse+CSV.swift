import SeqHunt

extension QueryResponse {
    /// Rewrites the JSON Lines of an answer (as ``read(_:dialect:source:filter:into:)`` writes
    /// them) as spreadsheet-safe CSV with a header of `columns`: a string cell is its text, a
    /// number as written, an array or object its compact JSON, null an empty cell.
    /// - Throws: ``InputError`` when a line is not such an object (it cannot be, unless the
    ///   bytes were not made by the reader).
    package static func csv(fromJSONLines lines: [UInt8], columns: [String], source: String) throws(InputError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(lines.count)
        for (index, column) in columns.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(csvField: column)
        }
        out.append(0x0A)
        let position: [String: Int] = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var line = 0
        var cells = [JSONScanner.Span?](repeating: nil, count: columns.count)
        var text: [UInt8] = []
        do {
            try lines.withUnsafeBytes { bytes in
                var start = 0
                while start < bytes.count {
                    line += 1
                    var end = start
                    while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                    let record = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                    let scanner = JSONScanner(record)
                    var walker = scanner
                    for i in cells.indices { cells[i] = nil }
                    var nameScratch: [UInt8] = []
                    try walker.forEachMember { name, value in
                        try scanner.withName(name, scratch: &nameScratch) { nameBytes in
                            if let at = position[String(decoding: nameBytes, as: UTF8.self)] { cells[at] = value }
                        }
                    }
                    for (index, cell) in cells.enumerated() {
                        if index > 0 { out.append(UInt8(ascii: ",")) }
                        guard let cell, cell.kind != .null else { continue }
                        switch cell.kind {
                        case .number, .literalTrue, .literalFalse:
                            out.append(bytes: UnsafeRawBufferPointer(rebasing: record[cell.start..<cell.end]))
                        default:
                            text.removeAll(keepingCapacity: true)
                            _ = try scanner.appendText(of: cell, to: &text)
                            text.withUnsafeBufferPointer { out.appendCSVField(bytes: $0) }
                        }
                    }
                    out.append(0x0A)
                    start = end + 1
                }
            }
        } catch {
            throw InputError(file: source, line: line, cause: "not a row of the answer: \(error)")
        }
        return out
    }
}
