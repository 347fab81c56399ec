import Foundation
import Testing

@testable import SeqHunt

@Suite("Sessionizer (Kusto row_window_session)")
struct SessionizerTests {
    /// Events as (key, seconds, command); returns the sessions' commands.
    func sessions(
        _ events: [(Int32, Int64, String)], boundary: Sessionizer.Boundary = .kql,
        keyRank: [Int32]? = nil
    ) -> [[String]] {
        var store = EventStore()
        for (key, seconds, command) in events {
            store.beginEvent(command: command, time: Timestamp(secondsSince1970: seconds), key: key)
        }
        let keys = Int(events.map(\.0).max() ?? 0) + 1
        let result = Sessionizer(boundary: boundary).sessionize(store, keyRank: keyRank ?? (0..<Int32(keys)).map { $0 })
        return (0..<result.store.sessionCount).map { result.store.commandNames(ofSession: $0) }
    }

    @Test("no events give no sessions")
    func noEvents() {
        let result = Sessionizer().sessionize(EventStore(), keyRank: [])
        #expect(result.store.sessionCount == 0 && result.store.eventCount == 0 && result.keys.isEmpty)
    }

    @Test("a gap of exactly 2 minutes splits under kql and not under msticpy")
    func gapBoundary() {
        let events: [(Int32, Int64, String)] = [(0, 0, "A"), (0, 120, "B"), (0, 239, "C")]
        #expect(sessions(events, boundary: .kql) == [["A"], ["B", "C"]])
        #expect(sessions(events, boundary: .msticpy) == [["A", "B", "C"]])
        #expect(sessions([(0, 0, "A"), (0, 121, "B")], boundary: .msticpy) == [["A"], ["B"]])
    }

    @Test("exactly 20 minutes from the session start splits under kql and not under msticpy")
    func lengthBoundary() {
        let events: [(Int32, Int64, String)] = (0...10).map { (0, Int64($0) * 120 - ($0 == 10 ? 0 : 1), "C\($0)") }
        // Gaps are under 2 minutes except where noted; the last event is exactly 1200 s after the first.
        let steady: [(Int32, Int64, String)] = (0...12).map { (0, Int64($0) * 100, "C\($0)") }
        #expect(sessions(steady, boundary: .kql).map(\.count) == [12, 1])
        #expect(sessions(steady, boundary: .msticpy).map(\.count) == [13])
        _ = events
    }

    @Test("a key change always splits; equal timestamps keep input order")
    func keysAndTies() {
        let events: [(Int32, Int64, String)] = [
            (0, 10, "A"), (1, 10, "X"), (0, 10, "B"), (0, 5, "Z"), (1, 11, "Y"), (0, 10, "C")
        ]
        #expect(sessions(events) == [["Z", "A", "B", "C"], ["X", "Y"]])
        // Key ranks order the sessions.
        #expect(sessions(events, keyRank: [1, 0]) == [["X", "Y"], ["Z", "A", "B", "C"]])
    }

    @Test("per-session begin, end and distinct commands; parameters travel with their event")
    func metadata() throws {
        var store = EventStore()
        store.beginEvent(command: "A", time: Timestamp(ticks: 30_000_000), key: 0)
        try store.addParameter("p", value: "1")
        store.beginEvent(command: "B", time: Timestamp(ticks: 10_000_000), key: 0)
        store.beginEvent(command: "A", time: Timestamp(ticks: 20_000_000), key: 0)
        try store.addParameter("q", value: nil)
        let result = Sessionizer().sessionize(store, keyRank: [0])
        #expect(
            result.begins.map(\.ticks) == [10_000_000] && result.ends.map(\.ticks) == [30_000_000]
                && result.distinctCommands == [2])
        #expect(result.store.commandNames(ofSession: 0) == ["B", "A", "A"])
        let s = result.store
        #expect(s.parameters(ofEvent: 0).isEmpty)
        #expect(s.parameters[s.parameterIDs[s.parameters(ofEvent: 1).first!]] == "q")
        #expect(s.values.valueOfPair[Int(s.valueIDs[s.parameters(ofEvent: 2).first!])] == "1")
    }

    @Test("sorting is the same for any thread count and for unsorted input")
    func threadInvariance() {
        var store = EventStore()
        var state: UInt64 = 5
        for _ in 0..<50_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            store.beginEvent(
                command: "C\(state >> 60)", time: Timestamp(ticks: Int64((state >> 20) % 100_000_000_000)),
                key: Int32((state >> 40) % 97)
            )
        }
        let ranks = (0..<Int32(97)).map { 96 - $0 }
        let one = Sessionizer(execution: ExecutionOptions(threads: 1)).sessionize(store, keyRank: ranks)
        let many = Sessionizer(execution: ExecutionOptions(threads: 8)).sessionize(store, keyRank: ranks)
        #expect(one.eventOrder == many.eventOrder && one.begins == many.begins)
        // Sorted by (rank, time, input order).
        for (a, b) in zip(one.eventOrder, one.eventOrder.dropFirst()) {
            let ka = ranks[Int(store.keys[Int(a)])], kb = ranks[Int(store.keys[Int(b)])]
            #expect(
                ka < kb
                    || (ka == kb
                        && (store.times[Int(a)] < store.times[Int(b)]
                            || (store.times[Int(a)] == store.times[Int(b)] && a < b)))
            )
        }
    }
}

/// The public builders cannot be made to corrupt memory with raw ids.
@Suite("Raw ids are checked")
struct RawIDTests {
    @Test("a command id the vocabulary never gave out is an error, not a heap overflow in training")
    func unknownCommandID() throws {
        var builder = SessionStore.Builder()
        #expect(throws: SessionStoreError.unknownID("command", 5000)) { try builder.beginEvent(commandID: 5000) }
        #expect(throws: SessionStoreError.unknownID("command", CommandToken.start)) {
            try builder.beginEvent(commandID: CommandToken.start)
        }
        #expect(throws: SessionStoreError.parameterBeforeEvent) {
            let id = builder.internParameter("Identity")
            try builder.addParameter(id: id, valueID: SessionStore.noValue)
        }
        let command = builder.internCommand("Get-Mailbox")
        try builder.beginEvent(commandID: command)
        #expect(throws: SessionStoreError.unknownID("parameter", 77)) {
            try builder.addParameter(id: 77, valueID: SessionStore.noValue)
        }
        let a = builder.internParameter("A"), b = builder.internParameter("B")
        let pair = builder.internValue(parameter: a, value: "x")
        #expect(throws: SessionStoreError.unknownID("value pair", pair)) {
            try builder.addParameter(id: b, valueID: pair)
        }
        try builder.addParameter(id: a, valueID: pair)
        try builder.endSession()
        _ = try Model(training: builder.build(), type: .values)
        var events = EventStore()
        #expect(throws: SessionStoreError.unknownID("command", 3)) {
            try events.beginEvent(commandID: 3, time: Timestamp(ticks: 0), key: 0)
        }
        #expect(throws: SessionStoreError.unknownID("key", -1)) {
            try events.beginEvent(commandID: events.internCommand("A"), time: Timestamp(ticks: 0), key: -1)
        }
    }
}
