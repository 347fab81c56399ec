/// Parameter-factor look-up used by the scoring kernel, specialised per storage form.
protocol ParameterLookup: Sendable {
    /// `delta[c][p]`, NaN when `p` is not in `ref(c)`.
    func delta(command c: Int, parameter p: Int) -> Double
}

/// The parameter factors as a dense matrix, for the workers of one call.
struct DenseParameters: ParameterLookup, @unchecked Sendable {
    let table: UnsafeBufferPointer<Double>
    let width: Int
    @inline(__always) func delta(command c: Int, parameter p: Int) -> Double { table[c &* width &+ p] }
}

/// The parameter factors as sparse rows, for the workers of one call.
struct SparseParameters: ParameterLookup, @unchecked Sendable {
    let rowStarts: UnsafeBufferPointer<Int>
    let columns: UnsafeBufferPointer<Int32>
    let deltas: UnsafeBufferPointer<Double>
    @inline(__always) func delta(command c: Int, parameter p: Int) -> Double {
        guard let at = findColumn(p, in: columns, rowStarts[c]..<rowStarts[c &+ 1]) else { return .nan }
        return deltas[at]
    }
}
