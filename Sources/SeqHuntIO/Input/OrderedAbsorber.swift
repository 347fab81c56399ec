import SeqHunt
import SeqHuntSupport

/// Takes what the cores parsed of each block into one state, in input order, on a background
/// thread while the next block is parsed.
///
/// Both readers parse a block's pieces on every core, each piece into a state of its own, and
/// then absorb the pieces into the one state of the input. Absorbing is sequential; on a log
/// whose values are mostly new it is a tenth of the work, and the other cores waited for it.
/// Here it overlaps with the next block's parsing. The state is handed over whole (``Handover``,
/// never copied) and comes back from ``join(into:)``, with the first error in input order, as
/// it was when that error was met: results and errors do not depend on the thread count.
struct OrderedAbsorber<State, Piece> {
    private var pending: BackgroundWork<Handover<(State, (any Error)?)>>? = nil
    /// A state with no buffers, left with the caller while the real one is away.
    private let empty: @Sendable () -> State
    private let absorb: @Sendable (inout State, Piece) throws -> Void

    init(empty: @escaping @Sendable () -> State, absorb: @escaping @Sendable (inout State, Piece) throws -> Void) {
        self.empty = empty
        self.absorb = absorb
    }

    /// Waits for the previous block, puts its state back in `state` (throwing its first error),
    /// then starts absorbing `pieces` in order into it, after which `finish` runs on it.
    mutating func absorb(
        _ pieces: [Result<Piece, any Error>], into state: inout State,
        finish: @escaping @Sendable (inout State) -> Void = { _ in }
    ) throws {
        try join(into: &state)
        // One owner for the buffers, or the absorb's first append would copy them all.
        let handed = Handover((state, pieces))
        state = empty()
        let absorb = self.absorb
        pending = BackgroundWork {
            var (state, pieces) = handed.take()
            do {
                while !pieces.isEmpty {
                    try absorb(&state, pieces.removeFirst().get())  // absorbed: its memory goes now
                }
            } catch {
                return Handover((state, error))
            }
            finish(&state)
            return Handover((state, nil))
        }
    }

    /// Waits for the block being absorbed, if any, and puts its state back in `state`.
    mutating func join(into state: inout State) throws {
        guard let work = pending else { return }
        pending = nil
        let (absorbed, error) = try work.wait().take()
        state = absorbed
        if let error { throw error }
    }
}
