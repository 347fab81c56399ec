/// Transition look-up used by the scoring kernel, specialised per storage form.
protocol TransitionLookup: Sendable {
    func log(from a: Int, to b: Int) -> Double
}

/// The transition table as a dense matrix, for the workers of one call.
struct DenseTransitions: TransitionLookup, @unchecked Sendable {
    let table: UnsafeBufferPointer<Double>
    let width: Int
    @inline(__always) func log(from a: Int, to b: Int) -> Double { table[a &* width &+ b] }
}

/// The transition table as sparse rows, for the workers of one call.
struct SparseTransitions: TransitionLookup, @unchecked Sendable {
    let rowStarts: UnsafeBufferPointer<Int>
    let columns: UnsafeBufferPointer<Int32>
    let logs: UnsafeBufferPointer<Double>
    let unseen: UnsafeBufferPointer<Double>
    @inline(__always) func log(from a: Int, to b: Int) -> Double {
        guard let at = findColumn(b, in: columns, rowStarts[a]..<rowStarts[a &+ 1]) else { return unseen[a] }
        return logs[at]
    }
}
