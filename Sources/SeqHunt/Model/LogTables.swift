import Foundation

/// `log trans[a][b]` for every pair of command ids, dense or as sparse rows plus
/// one shared value per row for the cells never seen in training.
///
/// Every row, END's and UNK's included, is `log((seq2[a][b] + 1) / (Σ_b seq2[a][b] + n - 1))`:
/// END has no outgoing counts, so its row equals UNK's, which is msticpy's fall-back
/// for an unknown row key; the START column of a row equals its UNK column.
struct LogTransitionTable: Sendable {
    enum Storage: Sendable {
        /// Row-major `width × width`.
        case dense(FixedBuffer<Double>)
        /// Seen cells per row (columns ascending) and the shared unseen value per row.
        case sparse(
            rowStarts: FixedBuffer<Int>, columns: FixedBuffer<Int32>, logs: FixedBuffer<Double>,
            unseen: FixedBuffer<Double>)
    }
    let width: Int
    let storage: Storage

    init(counts: CountMatrix, isKnown: [Bool], stateCount n: Int, threads: Int?) {
        let width = counts.rows
        self.width = width
        let rowSums = counts.rowSums()
        let unknownRow = Int(CommandToken.unknown)
        // Unknown (never-seen) rows are never looked up; give them UNK's denominator.
        let denominators = (0..<width).map { a in (isKnown[a] ? rowSums[a] : rowSums[unknownRow]) + Double(n - 1) }
        switch counts.storage {
        case .dense(let cells):
            var table = [Double](repeating: 0, count: width * width)
            table.withUnsafeMutableBufferPointer { out in
                let out = DisjointWrites(out)
                Parallel.forEachRowRange(rows: width, cells: width * width, threads: threads) { rows in
                    for a in rows {
                        let unseen = Foundation.log(1 / denominators[a])
                        let base = a * width
                        for b in 0..<width {
                            let raw = cells[base + b]
                            out[base + b] = raw == 0 ? unseen : Foundation.log((raw + 1) / denominators[a])
                        }
                    }
                }
            }
            storage = .dense(FixedBuffer(table))
        case .sparse(let rowStarts, let columns, let values):
            var logs = [Double](repeating: 0, count: columns.count)
            logs.withUnsafeMutableBufferPointer { out in
                let out = DisjointWrites(out)
                Parallel.forEachRowRange(rows: width, cells: columns.count, threads: threads) { rows in
                    for a in rows {
                        for at in rowStarts[a]..<rowStarts[a + 1] {
                            out[at] = Foundation.log((values[at] + 1) / denominators[a])
                        }
                    }
                }
            }
            storage = .sparse(
                rowStarts: FixedBuffer(rowStarts), columns: FixedBuffer(columns), logs: FixedBuffer(logs),
                unseen: FixedBuffer(denominators.map { Foundation.log(1 / $0) }))
        }
    }

    /// `log trans[a][b]`, both model ids of states (unknown ones already mapped to UNK).
    func logProbability(from a: Int, to b: Int) -> Double {
        switch storage {
        case .dense(let table):
            return table[a * width + b]
        case .sparse(let rowStarts, let columns, let logs, let unseen):
            return SparseTransitions(
                rowStarts: rowStarts.buffer, columns: columns.buffer, logs: logs.buffer,
                unseen: unseen.buffer
            ).log(from: a, to: b)
        }
    }
}

/// The parameter factor's pieces in log space, per command `c` (docs/SPEC.md §5):
///
/// - `base[c] = Σ_{p in ref(c)} log(1 - q[c][p])` with `ref(c)` = the parameters seen
///   with `c` plus UNK;
/// - `refCount[c] = |ref(c)|`;
/// - `delta[c][p] = log q[c][p] - log(1 - q[c][p])` for each seen `p`, NaN when `p` is
///   not in `ref(c)` (the parameter is then ignored).
///
/// An event with parameters scores `(base[c] + Σ_present delta[c][p] + value terms) / (refCount[c] + m)`.
struct LogParameterTable: Sendable {
    enum Storage: Sendable {
        case dense(FixedBuffer<Double>)
        case sparse(rowStarts: FixedBuffer<Int>, columns: FixedBuffer<Int32>, deltas: FixedBuffer<Double>)
    }
    let width: Int
    let base: FixedBuffer<Double>
    let refCount: FixedBuffer<Double>
    let storage: Storage

    static let empty = LogParameterTable(
        width: 0, base: FixedBuffer([]), refCount: FixedBuffer([]),
        storage: .dense(FixedBuffer([])))

    private init(width: Int, base: FixedBuffer<Double>, refCount: FixedBuffer<Double>, storage: Storage) {
        self.width = width
        self.base = base
        self.refCount = refCount
        self.storage = storage
    }

    init(
        counts: CountMatrix, smoothedUnigram seq1s: [Double], isKnown: [Bool], parameterNames: Vocabulary, threads: Int?
    ) {
        let rows = counts.rows, width = counts.columns
        let unknownRow = Int(CommandToken.unknown)
        var base = [Double](repeating: 0, count: rows)
        var refCount = [Double](repeating: 1, count: rows)
        // NaN marks "not in ref(c)"; both forms are filled in one walk over the seen cells.
        var deltas = [Double](repeating: .nan, count: counts.isDense ? rows * width : counts.nonZeroCount)
        // Each parameter's rank in name order, so that sums run in name order without comparing strings.
        var byName = Array(0..<width)
        byName.sort { parameterNames[Int32($0)].utf8.lexicographicallyPrecedes(parameterNames[Int32($1)].utf8) }
        var nameRank = [Int](repeating: 0, count: width)
        for (rank, p) in byName.enumerated() { nameRank[p] = rank }
        let rank = nameRank
        base.withUnsafeMutableBufferPointer { baseOut in
            refCount.withUnsafeMutableBufferPointer { refOut in
                deltas.withUnsafeMutableBufferPointer { deltaOut in
                    let baseOut = DisjointWrites(baseOut), refOut = DisjointWrites(refOut)
                    let deltaOut = DisjointWrites(deltaOut)
                    Parallel.forEachRowRange(rows: rows, cells: max(counts.nonZeroCount, rows), threads: threads) {
                        rowRange in
                        // (name rank << 32 | index into `misses`): one integer sort per row.
                        var misses: [Double] = []
                        var order: [UInt64] = []
                        for c in rowRange {
                            let denominator = isKnown[c] ? seq1s[c] : seq1s[unknownRow]
                            misses.removeAll(keepingCapacity: true)
                            order.removeAll(keepingCapacity: true)
                            if isKnown[c] {
                                counts.forEachCell(inRow: c) { p, raw, index in
                                    let q = (raw + 1) / denominator
                                    let miss = Foundation.log(1 - q)
                                    order.append(UInt64(rank[p]) << 32 | UInt64(misses.count))
                                    misses.append(miss)
                                    deltaOut[index] = Foundation.log(q) - miss
                                }
                            }
                            // Summed in parameter-name order (UTF-8 bytes), so that the bits of a score never
                            // depend on the order in which an input happened to intern its parameters.
                            order.sort()
                            var sum = 0.0
                            for key in order { sum += misses[Int(key & 0xFFFF_FFFF)] }
                            sum += Foundation.log(1 - 1 / denominator)
                            baseOut[c] = sum
                            refOut[c] = Double(misses.count + 1)
                        }
                    }
                }
            }
        }
        self.width = width
        self.base = FixedBuffer(base)
        self.refCount = FixedBuffer(refCount)
        switch counts.storage {
        case .dense: storage = .dense(FixedBuffer(deltas))
        case .sparse(let rowStarts, let columns, _):
            storage = .sparse(
                rowStarts: FixedBuffer(rowStarts), columns: FixedBuffer(columns), deltas: FixedBuffer(deltas))
        }
    }

    /// `delta[c][p]`, NaN when `p` is not in `ref(c)`.
    func delta(command c: Int, parameter p: Int) -> Double {
        switch storage {
        case .dense(let table):
            return width == 0 ? .nan : table[c * width + p]
        case .sparse(let rowStarts, let columns, let deltas):
            return SparseParameters(rowStarts: rowStarts.buffer, columns: columns.buffer, deltas: deltas.buffer)
                .delta(command: c, parameter: p)
        }
    }
}
