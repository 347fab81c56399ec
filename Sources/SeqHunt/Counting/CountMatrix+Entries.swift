/// One non-zero cell of a count matrix.
public struct CountEntry: Sendable, Hashable {
    public var row: Int32
    public var column: Int32
    public var count: Double

    public init(row: Int32, column: Int32, count: Double) {
        self.row = row
        self.column = column
        self.count = count
    }
}

extension CountMatrix {
    /// The non-zero cells, rows then columns ascending.
    /// - Complexity: O(cells) dense, O(non-zero cells) sparse.
    public var entries: [CountEntry] {
        var out: [CountEntry] = []
        out.reserveCapacity(isDense ? 0 : nonZeroCount)
        for row in 0..<rows {
            forEachNonZero(inRow: row) { column, count in
                out.append(CountEntry(row: Int32(row), column: Int32(column), count: count))
            }
        }
        return out
    }

    /// A `rows × columns` matrix holding the sum of `entries` per cell; entries may
    /// come in any order and repeat a cell. Dense where it fits (``fitsDense(rows:columns:)``).
    ///
    /// Entries must lie inside the matrix (checked by the caller). Counts are integers,
    /// so the sums are exact whatever the order.
    /// - Complexity: O(entries + rows) plus sorting each row's entries by column.
    init(rows: Int, columns: Int, summing entries: [CountEntry]) {
        if Self.fitsDense(rows: rows, columns: columns) {
            var cells = [Double](repeating: 0, count: rows * columns)
            for e in entries { cells[Int(e.row) * columns + Int(e.column)] += e.count }
            self.init(denseRows: rows, columns: columns, values: cells)
            return
        }
        if entries.isStrictlyAscending {
            self.init(rows: rows, columns: columns, ascending: entries)
            return
        }
        // Counting sort by row, then each row's cells by column, summing repeats.
        var rowStarts = [Int](repeating: 0, count: rows + 1)
        for e in entries { rowStarts[Int(e.row) + 1] += 1 }
        for r in 0..<rows { rowStarts[r + 1] += rowStarts[r] }
        var next = rowStarts
        var byRow = [(column: Int32, count: Double)](repeating: (0, 0), count: entries.count)
        for e in entries {
            byRow[next[Int(e.row)]] = (e.column, e.count)
            next[Int(e.row)] += 1
        }
        var outStarts = [Int](repeating: 0, count: rows + 1)
        var cols: [Int32] = [], values: [Double] = []
        cols.reserveCapacity(entries.count)
        values.reserveCapacity(entries.count)
        for r in 0..<rows {
            byRow[rowStarts[r]..<rowStarts[r + 1]].sort { $0.column < $1.column }
            let rowBegin = cols.count
            for cell in byRow[rowStarts[r]..<rowStarts[r + 1]] {
                if cols.count > rowBegin, cols[cols.count - 1] == cell.column {
                    values[values.count - 1] += cell.count
                } else {
                    cols.append(cell.column)
                    values.append(cell.count)
                }
            }
            outStarts[r + 1] = cols.count
        }
        self.init(rows: rows, columns: columns, rowStarts: outStarts, columnIDs: cols, values: values)
    }
}

extension CountMatrix {
    /// A matrix whose cells are `entries`, which must lie inside it and ascend
    /// strictly by (row, column) (checked by the caller).
    /// - Complexity: O(entries + rows), or O(rows · columns) when dense.
    init(rows: Int, columns: Int, ascending entries: [CountEntry]) {
        if Self.fitsDense(rows: rows, columns: columns) {
            var cells = [Double](repeating: 0, count: rows * columns)
            for e in entries { cells[Int(e.row) * columns + Int(e.column)] = e.count }
            self.init(denseRows: rows, columns: columns, values: cells)
            return
        }
        var rowStarts = [Int](repeating: 0, count: rows + 1)
        var columnIDs = [Int32](repeating: 0, count: entries.count)
        var values = [Double](repeating: 0, count: entries.count)
        columnIDs.withUnsafeMutableBufferPointer { cols in
            values.withUnsafeMutableBufferPointer { counts in
                for (i, e) in entries.enumerated() {
                    rowStarts[Int(e.row) + 1] += 1
                    cols[i] = e.column
                    counts[i] = e.count
                }
            }
        }
        for r in 0..<rows { rowStarts[r + 1] += rowStarts[r] }
        self.init(rows: rows, columns: columns, rowStarts: rowStarts, columnIDs: columnIDs, values: values)
    }
}

extension [CountEntry] {
    /// Whether the cells ascend strictly by (row, column): sorted, no cell twice.
    var isStrictlyAscending: Bool {
        var previous: (Int32, Int32) = (-1, -1)
        for e in self {
            guard (e.row, e.column) > previous else { return false }
            previous = (e.row, e.column)
        }
        return true
    }
}
