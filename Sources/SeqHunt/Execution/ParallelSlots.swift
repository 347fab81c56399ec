/// Results of parallel work: slot `i` is set by exactly one worker, and read after
/// ``Parallel/run(chunks:_:)`` returns.
///
/// The slots live in one fixed allocation and are written through a pointer: workers
/// never touch a shared `Array` (whose mutation would be a formal access to the one
/// array from several threads, which ThreadSanitizer rightly reports).
package final class ParallelSlots<Element>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Element?>
    private let count: Int

    package init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// Sets slot `index` (from the one worker that owns it).
    package func set(_ index: Int, _ value: Element) {
        precondition(index >= 0 && index < count, "slot \(index) out of 0..<\(count)")
        slots[index] = value
    }

    /// The value of slot `index`, which must have been set.
    package func take(_ index: Int) -> Element {
        precondition(index >= 0 && index < count, "slot \(index) out of 0..<\(count)")
        return slots[index]!
    }
}
