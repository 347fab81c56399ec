import SeqHunt
import SeqHuntIO

extension QueryResponse {
    /// Rewrites the JSON Lines of an answer (as ``read(_:dialect:source:filter:into:)`` writes
    /// them) as spreadsheet-safe CSV with a header of `columns`: a string cell is its text, a
    /// number as written, an array or object its compact JSON, null an empty cell.
    /// - Throws: ``InputError`` when a line is not such an object (it cannot be, unless the
    ///   bytes were not made by the reader).
    package static func csv(fromJSONLines lines: [UInt8], columns: [String], source: String) throws(InputError)
        -> [UInt8]
    {
        var out: [UInt8] = []
        out.reserveCapacity(lines.count)
        for (index, column) in columns.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(csvField: column)
        }
        out.append(0x0A)
        // Names as bytes, matched without a String per cell: each line holds its slice's columns
        // in order, so the name after the last one matched is tried first.
        let names = columns.map { Array($0.utf8) }
        var line = 0
        var cells = [JSONScanner.Span?](repeating: nil, count: columns.count)
        var text: [UInt8] = []
        do {
            try lines.withUnsafeBytes { bytes in
                try JSONLines.forEachLine(in: bytes, firstLine: 1) { record, number in
                    line = number
                    let scanner = JSONScanner(record)
                    var walker = scanner
                    for i in cells.indices { cells[i] = nil }
                    var next = 0
                    try walker.forEachMember { name, value in
                        let at =
                            next < names.count && scanner.nameEquals(name, names[next])
                            ? next : names.firstIndex { scanner.nameEquals(name, $0) }
                        if let at {
                            cells[at] = value
                            next = at + 1
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
                }
            }
        } catch {
            throw InputError(file: source, line: line, cause: "not a row of the answer: \(error)")
        }
        return out
    }
}
