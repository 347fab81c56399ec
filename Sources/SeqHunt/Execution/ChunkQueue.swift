import Synchronization

/// Hands out chunk indices `0..<count` in order to whichever worker asks first.
final class ChunkQueue: Sendable {
    private let nextIndex = Atomic<Int>(0)
    let count: Int
    init(count: Int) { self.count = count }
    /// The next unclaimed chunk, or `nil` when all are claimed.
    func next() -> Int? {
        let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
        return index < count ? index : nil
    }
}
