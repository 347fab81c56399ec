import Synchronization

/// A request to stop, set from another thread (an async caller's task was cancelled) and read
/// by the workers between chunks.
package final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    package init() {}
    package func cancel() { flag.store(true, ordering: .relaxed) }
    package var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
