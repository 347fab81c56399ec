import SeqHuntFormats

/// Event rows from JSON Lines.
extension RowDecoder {
    /// Reads the JSON Lines in `bytes`, the first on line `firstLine`, as events.
    ///
    /// A column is a member of the record, or a path of nested members with dots
    /// (`userIdentity.arn`); a member whose own name holds the dots wins. Names are
    /// compared after unescaping (`"Op\u0065ration"` is `Operation`). Cell text: strings
    /// decoded, other values as their canonical compact JSON text; a nested `Parameters`
    /// value is parsed as it is.
    mutating func readJSONLines(_ bytes: UnsafeRawBufferPointer, firstLine: Int) throws {
        let paths = roles.map { Array(columnName($0).utf8) }
        var spans = [JSONScanner.Span?](repeating: nil, count: roles.count)
        var exact = [Bool](repeating: false, count: roles.count)
        var rowBytes = OutputBuffer(capacity: 4096)
        var names: [UInt8] = []
        var ranges = [(start: Int, end: Int, inScratch: Bool)?](repeating: nil, count: roles.count)
        var cells = RowCells(roles: roles.count)
        try JSONLines.forEachLine(in: bytes, firstLine: firstLine) { bytes, line in
            report.rowsRead += 1
            for i in spans.indices {
                spans[i] = nil
                exact[i] = false
            }
            var scanner = JSONScanner(bytes)
            do {
                let view = scanner
                try scanner.forEachMember { name, value in
                    try view.withName(name, scratch: &names) { name in
                        for r in paths.indices where !exact[r] {
                            if name.elementsEqual(paths[r]) {
                                spans[r] = value
                                exact[r] = true
                            } else if value.kind == .object, paths[r].count > name.count,
                                paths[r][name.count] == UInt8(ascii: "."),
                                paths[r].starts(with: name)
                            {
                                spans[r] = try view.member(at: paths[r][(name.count + 1)...], in: value) ?? spans[r]
                            }
                        }
                    }
                }
                guard scanner.atEnd() else { throw scanner.error("unexpected text after the JSON value") }
            } catch let error as JSONSyntaxError {
                try bad(
                    InputError(file: file, line: line, column: error.offset + 1, cause: "invalid JSON: \(error.cause)"),
                    cause: "invalid JSON")
                return
            }
            for r in spans.indices where spans[r] != nil { seen[r] = true }
            do {
                rowBytes.removeAll()
                for r in roles.indices {
                    guard let span = spans[r], span.kind != .null else {
                        ranges[r] = nil
                        continue
                    }
                    if roles[r] == .parameters && (span.kind == .array || span.kind == .object) {
                        ranges[r] = (span.start, span.end, false)
                        continue
                    }
                    let start = rowBytes.count
                    do throws(JSONSyntaxError) {
                        _ = try scanner.appendText(of: span, to: &rowBytes)
                    } catch {
                        throw RowError(
                            cause: "invalid UTF-8", detail: "column \"\(columnName(roles[r]))\": \(error.cause)",
                            column: error.offset + 1)
                    }
                    ranges[r] = (start, rowBytes.count, true)
                }
                try rowBytes.withUnsafeBytes { scratch in
                    for r in roles.indices {
                        cells.cells[r] = ranges[r].map {
                            UnsafeRawBufferPointer(rebasing: ($0.inScratch ? scratch : bytes)[$0.start..<$0.end])
                        }
                    }
                    try addRow(cells, line: line)
                }
            } catch let error as RowError {
                try bad(
                    InputError(file: file, line: line, column: error.column, cause: error.detail), cause: error.cause)
            }
        }
    }
}
