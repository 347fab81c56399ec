import CBLAS

/// A matrix of non-negative counts, dense where it fits and sparse where it would not.
///
/// Counts are `Double` so that BLAS can reduce them; every count is an integer
/// below 2^53, so sums are exact in any order and results do not depend on how
/// the work was split.
///
/// The sparse form is compressed sparse rows: `rowStarts` (rows + 1),
/// `columns` and `values`, columns ascending within a row. Absent cells are 0.
public struct CountMatrix: Sendable, Equatable {
    /// Cells in a dense matrix above which the sparse form is used (32 MiB of `Double`).
    package static let denseCellLimit = 1 << 22

    public let rows: Int
    public let columns: Int
    enum Storage: Sendable, Equatable {
        case dense([Double])
        case sparse(rowStarts: [Int], columns: [Int32], values: [Double])
    }
    var storage: Storage

    /// Whether a `rows × columns` matrix is stored densely.
    static func fitsDense(rows: Int, columns: Int) -> Bool {
        let (cells, overflow) = rows.multipliedReportingOverflow(by: columns)
        return !overflow && cells <= denseCellLimit
    }

    /// A zero dense matrix.
    init(denseRows rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns)
        self.rows = rows
        self.columns = columns
        self.storage = .dense(values)
    }

    /// A sparse matrix from its compressed rows (columns ascending within a row).
    init(rows: Int, columns: Int, rowStarts: [Int], columnIDs: [Int32], values: [Double]) {
        precondition(rowStarts.count == rows + 1 && columnIDs.count == values.count)
        self.rows = rows
        self.columns = columns
        self.storage = .sparse(rowStarts: rowStarts, columns: columnIDs, values: values)
    }

    /// A sparse matrix from `(row << 32 | column)` keys sorted ascending and unique.
    init(rows: Int, columns: Int, sortedKeys keys: [UInt64], counts: [Double]) {
        var rowStarts = [Int](repeating: 0, count: rows + 1)
        var cols = [Int32]()
        cols.reserveCapacity(keys.count)
        for key in keys {
            rowStarts[Int(key >> 32) + 1] += 1
            cols.append(Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
        }
        for r in 0..<rows { rowStarts[r + 1] += rowStarts[r] }
        self.rows = rows
        self.columns = columns
        self.storage = .sparse(rowStarts: rowStarts, columns: cols, values: counts)
    }

    /// Whether the matrix is stored densely.
    package var isDense: Bool { if case .dense = storage { return true } else { return false } }

    /// The number of non-zero cells.
    public var nonZeroCount: Int {
        switch storage {
        case .dense(let values): return values.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        case .sparse(_, let columns, _): return columns.count
        }
    }

    /// The count at (`row`, `column`); 0 outside the stored cells.
    /// - Complexity: O(1) dense, O(log(row length)) sparse.
    public subscript(row: Int, column: Int) -> Double {
        guard row >= 0, row < rows, column >= 0, column < columns else { return 0 }
        switch storage {
        case .dense(let values):
            return values[row * columns + column]
        case .sparse(let rowStarts, let cols, let values):
            let at = cols.withUnsafeBufferPointer { findColumn(column, in: $0, rowStarts[row]..<rowStarts[row + 1]) }
            return at.map { values[$0] } ?? 0
        }
    }

    /// Calls `body(column, count)` for each non-zero cell of `row`, columns ascending.
    public func forEachNonZero(inRow row: Int, _ body: (Int, Double) -> Void) {
        forEachCell(inRow: row) { column, count, _ in body(column, count) }
    }

    /// Calls `body(column, count, index)` for each non-zero cell of `row`, columns
    /// ascending, where `index` is the cell's position in the storage (row-major
    /// cell number when dense, position in ``columns`` when sparse).
    func forEachCell(inRow row: Int, _ body: (Int, Double, Int) -> Void) {
        switch storage {
        case .dense(let values):
            let base = row * columns
            for column in 0..<columns where values[base + column] != 0 {
                body(column, values[base + column], base + column)
            }
        case .sparse(let rowStarts, let cols, let values):
            for at in rowStarts[row]..<rowStarts[row + 1] where values[at] != 0 {
                body(Int(cols[at]), values[at], at)
            }
        }
    }

    /// Row sums, with BLAS (`dgemv` against a vector of ones) in the dense form.
    public func rowSums() -> [Double] {
        switch storage {
        case .dense(let values):
            return Self.denseSums(values, rows: rows, columns: columns, transposed: false)
        case .sparse(let rowStarts, _, let values):
            return (0..<rows).map { r in values[rowStarts[r]..<rowStarts[r + 1]].reduce(0, +) }
        }
    }

    /// Column sums, with BLAS (`dgemv` on the transpose) in the dense form.
    public func columnSums() -> [Double] {
        switch storage {
        case .dense(let values):
            return Self.denseSums(values, rows: rows, columns: columns, transposed: true)
        case .sparse(_, let cols, let values):
            var sums = [Double](repeating: 0, count: columns)
            for at in cols.indices { sums[Int(cols[at])] += values[at] }
            return sums
        }
    }

    /// `A · 1` (row sums) or `Aᵀ · 1` (column sums) of a row-major matrix, with `cblas_dgemv`.
    static func denseSums(_ values: [Double], rows: Int, columns: Int, transposed: Bool) -> [Double] {
        var sums = [Double](repeating: 0, count: transposed ? columns : rows)
        guard rows > 0, columns > 0 else { return sums }
        let ones = [Double](repeating: 1, count: transposed ? rows : columns)
        values.withUnsafeBufferPointer { a in
            cblas_dgemv(
                CblasRowMajor, transposed ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns),
                1, a.baseAddress, Int32(columns), ones, 1, 0, &sums, 1)
        }
        return sums
    }

}

/// The index of `column` among `columns[range]` (ascending), by binary search.
@inline(__always)
func findColumn(_ column: Int, in columns: UnsafeBufferPointer<Int32>, _ range: Range<Int>) -> Int? {
    let key = Int32(truncatingIfNeeded: column)
    var lo = range.lowerBound, hi = range.upperBound
    while lo < hi {
        let mid = (lo &+ hi) >> 1
        let c = columns[mid]
        if c == key { return mid }
        if c < key { lo = mid &+ 1 } else { hi = mid }
    }
    return nil
}

/// One worker's share of a count matrix: dense cells, or sorted `(row << 32 | column)` runs.
enum PartialCounts: Sendable {
    case dense([Double])
    case runs(keys: [UInt64], counts: [Double])
}

extension CountMatrix {
    /// The sum of the workers' partial counts: dense parts are added with BLAS
    /// `daxpy`, sparse runs are merged. Integer counts make the sum exact in any order.
    init(rows: Int, columns: Int, reducing parts: [PartialCounts]) {
        var dense: [[Double]] = [], runs: [(keys: [UInt64], counts: [Double])] = []
        for part in parts {
            switch part {
            case .dense(let cells): dense.append(cells)
            case .runs(let keys, let counts): runs.append((keys, counts))
            }
        }
        if runs.isEmpty {
            let cells = dense.isEmpty ? [Double](repeating: 0, count: rows * columns) : reducePartialCounts(dense)
            self.init(denseRows: rows, columns: columns, values: cells)
        } else {
            precondition(dense.isEmpty, "partial counts of one matrix share one form")
            let merged = mergeSortedCountRuns(runs)
            self.init(rows: rows, columns: columns, sortedKeys: merged.keys, counts: merged.counts)
        }
    }
}

/// Sums dense partial count vectors into the first one with BLAS `daxpy`.
/// - Complexity: O(parts · length).
func reducePartialCounts(_ parts: [[Double]]) -> [Double] {
    guard var total = parts.first else { return [] }
    let n = Int32(total.count)
    guard n > 0 else { return total }
    for part in parts.dropFirst() {
        part.withUnsafeBufferPointer { x in
            total.withUnsafeMutableBufferPointer { y in
                cblas_daxpy(n, 1, x.baseAddress, 1, y.baseAddress, 1)
            }
        }
    }
    return total
}

/// Merges sorted `(key, count)` runs into one sorted run with summed counts.
/// - Complexity: O(N log N) for N input entries.
func mergeSortedCountRuns(_ runs: [(keys: [UInt64], counts: [Double])]) -> (keys: [UInt64], counts: [Double]) {
    if runs.count == 1 { return runs[0] }
    var all: [(UInt64, Double)] = []
    all.reserveCapacity(runs.reduce(0) { $0 + $1.keys.count })
    for run in runs { for i in run.keys.indices { all.append((run.keys[i], run.counts[i])) } }
    all.sort { $0.0 < $1.0 }
    var keys: [UInt64] = [], counts: [Double] = []
    keys.reserveCapacity(all.count)
    counts.reserveCapacity(all.count)
    for (key, count) in all {
        if let last = keys.last, last == key {
            counts[counts.count - 1] += count
        } else {
            keys.append(key)
            counts.append(count)
        }
    }
    return (keys, counts)
}

/// Sorts `keys` and run-length counts them.
func countSortedRuns(_ keys: inout [UInt64]) -> (keys: [UInt64], counts: [Double]) {
    keys.sort()
    var outKeys: [UInt64] = [], counts: [Double] = []
    var i = 0
    while i < keys.count {
        var j = i + 1
        while j < keys.count && keys[j] == keys[i] { j += 1 }
        outKeys.append(keys[i])
        counts.append(Double(j - i))
        i = j
    }
    return (outKeys, counts)
}
