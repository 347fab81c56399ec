import SeqHunt
import SeqHuntDemo
import Testing

/// `seqhunt demo --realistic`: the benchmark data must look like a tenant's, or speed measured
/// on it hides what real logs do (perf/RESULTS.md gives the cardinalities at scale).
@Suite("Realistic demo data")
struct RealisticDemoTests {
    static let sessions = 3_000
    static let generated = DemoGenerator(seed: 42, realistic: true).generate(sessions: sessions)

    @Test("values are mostly distinct and nearly every session has a key of its own")
    func cardinalities() {
        let output = Self.generated
        let store = output.store
        let events = store.commandIDs.count
        // About one new value per event, as GUIDs, paths, message ids and timestamps give.
        #expect(Double(store.values.count) >= 0.9 * Double(events))
        let keys = Set(output.sessions.map { $0.user + "|" + $0.clientIP })
        #expect(Double(keys.count) >= 0.95 * Double(Self.sessions))
        #expect(output.sessions.allSatisfy { $0.clientIP.isEmpty || $0.clientIP.contains(":") })
        #expect(Set(output.sessions.map(\.user)).count >= 300)
    }

    @Test("session lengths have a long tail within one default session")
    func lengths() {
        let store = Self.generated.store
        let lengths = (0..<store.sessionCount).map { store.events(ofSession: $0).count }
        #expect(lengths.max()! <= 55)
        #expect(lengths.filter { $0 >= 20 }.count >= Self.sessions / 200)
        let mean = Double(lengths.reduce(0, +)) / Double(lengths.count)
        #expect(mean > 4 && mean < 9)
    }

    @Test("the same seed gives the same log, with attacks planted")
    func repeatable() {
        let again = DemoGenerator(seed: 42, realistic: true).generate(sessions: Self.sessions)
        #expect(again.store.commandIDs == Self.generated.store.commandIDs)
        #expect(again.store.valueIDs == Self.generated.store.valueIDs)
        #expect(again.store.values == Self.generated.store.values)
        #expect(again.sessions.map(\.clientIP) == Self.generated.sessions.map(\.clientIP))
        #expect(Self.generated.planted.count >= 3)
        #expect(
            DemoGenerator(seed: 43, realistic: true).generate(sessions: 50).sessions.map(\.clientIP)
                != Array(again.sessions.map(\.clientIP).prefix(50)))
    }
}
