/// Event rows from CSV.
extension RowEncoder {
    /// The header position of each role's column (-1: no parameters column).
    /// - Throws: ``InputError`` naming a column that the header lacks, and the columns it has.
    func csvColumns(header: [[UInt8]], line: Int) throws -> [Int] {
        var columns: [Int] = []
        for role in roles {
            let name = columnName(role)
            if let i = header.firstIndex(where: { EventSchema.headerMatches($0, name) }) {
                columns.append(i)
            } else if !isRequired(role) {
                columns.append(-1)   // no parameters column: events without parameters
            } else {
                let names = InputHead.listed(header.map { String(decoding: $0, as: UTF8.self) })
                throw InputError(file: file, line: line, cause: "missing column \"\(name)\" (columns: \(names))")
            }
        }
        return columns
    }

    /// Reads the records of `reader` (no header) as events.
    mutating func readCSVRecords(_ reader: CSVRecordReader, columns: [Int], headerCount: Int) throws {
        var rowBytes: [UInt8] = []
        var ranges = [(start: Int, end: Int, inScratch: Bool)](repeating: (0, 0, false), count: roles.count)
        var cells = RowCells(roles: roles.count)
        while try reader.next() {
            report.rowsRead += 1
            let line = reader.recordLine
            guard reader.fields.count == headerCount else {
                try bad(InputError(file: file, line: line, cause: "\(reader.fields.count) fields where the header has \(headerCount)"),
                        cause: "wrong number of fields")
                continue
            }
            // Collapse doubled quotes where needed, into one scratch buffer for the row.
            rowBytes.removeAll(keepingCapacity: true)
            for (r, column) in columns.enumerated() where column >= 0 {
                let field = reader.fields[column]
                if field.escapedQuotes {
                    let start = rowBytes.count
                    reader.collapseQuotes(field, into: &rowBytes)
                    ranges[r] = (start, rowBytes.count, true)
                } else {
                    ranges[r] = (field.start, field.end, false)
                }
            }
            let buffer = reader.bytes
            do {
                try rowBytes.withUnsafeBytes { scratch in
                    for r in roles.indices {
                        guard columns[r] >= 0 else { cells.cells[r] = nil; continue }
                        let range = ranges[r]
                        let bytes = UnsafeRawBufferPointer(rebasing: (range.inScratch ? scratch : buffer)[range.start..<range.end])
                        guard UTF8Validation.isValidFast(bytes) else {
                            throw RowError(cause: "invalid UTF-8", detail: "invalid UTF-8 in column \"\(columnName(roles[r]))\"")
                        }
                        cells.cells[r] = bytes
                    }
                    try addRow(cells, line: line)
                }
            } catch let error as RowError {
                try bad(InputError(file: file, line: line, column: error.column, cause: error.detail), cause: error.cause)
            }
        }
    }
}
