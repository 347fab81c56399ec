/// Event rows from CSV.
extension RowDecoder {
    /// The header position of each role's column (-1: no parameters column).
    /// - Throws: `InputError` naming a column that the header lacks, and the columns it has.
    func csvColumns(header: [[UInt8]], line: Int) throws -> [Int] {
        var columns: [Int] = []
        for role in roles {
            let name = columnName(role)
            if let i = header.firstIndex(where: { EventSchema.headerMatches($0, name) }) {
                columns.append(i)
            } else if !isRequired(role) {
                columns.append(-1)  // no parameters column: events without parameters
            } else {
                let names = InputHead.listed(header.map { String(decoding: $0, as: UTF8.self) })
                throw InputError(file: file, line: line, cause: "missing column \"\(name)\" (columns: \(names))")
            }
        }
        return columns
    }

    /// Reads the records of `records` (no header) as events. Only the columns of the run's
    /// roles are looked at; the others are skipped at the index's speed.
    mutating func readCSVRecords(_ records: CSVRecordCursor, columns: [Int], headerCount: Int) throws {
        var cells = RowCells(roles: roles.count)
        while try records.next() {
            report.rowsRead += 1
            guard records.fieldCount == headerCount else {
                try bad(
                    InputError(
                        file: file, line: records.recordLine,
                        cause: "\(records.fieldCount) fields where the header has \(headerCount)"),
                    cause: "wrong number of fields")
                continue
            }
            do {
                for r in roles.indices {
                    guard columns[r] >= 0 else {
                        cells.cells[r] = nil
                        continue
                    }
                    let bytes = records.fieldInBlock(columns[r])
                    guard UTF8Validation.isValidFast(bytes) else {
                        throw RowError(
                            cause: "invalid UTF-8", detail: "invalid UTF-8 in column \"\(columnName(roles[r]))\"")
                    }
                    cells.cells[r] = bytes
                }
                try addRow(cells, line: records.recordLine)
            } catch let error as RowError {
                try bad(
                    InputError(file: file, line: records.recordLine, column: error.column, cause: error.detail),
                    cause: error.cause)
            }
        }
    }
}
