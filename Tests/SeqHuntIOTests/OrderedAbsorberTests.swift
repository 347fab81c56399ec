import Testing

@testable import SeqHuntIO

/// The readers' pipeline: blocks absorbed in order on another thread while the next is parsed.
@Suite("Ordered absorbing")
struct OrderedAbsorberTests {
    struct Failure: Error, Equatable { let block: Int }

    @Test("pieces arrive in input order; the first error stops it, with the state as it was then")
    func order() throws {
        var absorber = OrderedAbsorber<[Int], Int>(empty: { [] }, absorb: { state, piece in state.append(piece) })
        var state: [Int] = []
        for block in 0..<50 {
            let pieces: [Result<Int, any Error>] = (0..<4).map { .success(block * 4 + $0) }
            try absorber.absorb(pieces, into: &state) { $0.append(-1) }
        }
        try absorber.join(into: &state)
        #expect(state == (0..<50).flatMap { block in (0..<4).map { block * 4 + $0 } + [-1] })

        var failing = OrderedAbsorber<[Int], Int>(empty: { [] }, absorb: { state, piece in state.append(piece) })
        state = []
        let thrown = #expect(throws: Failure.self) {
            for block in 0..<10 {
                let pieces: [Result<Int, any Error>] = [
                    .success(block), block >= 3 ? .failure(Failure(block: block)) : .success(100 + block)
                ]
                try failing.absorb(pieces, into: &state)
            }
            try failing.join(into: &state)
        }
        #expect(thrown == Failure(block: 3))
        #expect(state == [0, 100, 1, 101, 2, 102, 3])
    }
}
