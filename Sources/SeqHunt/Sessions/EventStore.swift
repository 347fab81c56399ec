/// Events before sessionizing, in columnar form: the command and parameter columns
/// of a ``SessionStore`` (one open run of events, in input order) plus, per event,
/// its time and its key.
///
/// Times are ``Timestamp``s (ticks of 100 ns since the Unix epoch, Kusto's tick). Keys are
/// dense ids assigned by the reader (for example one per distinct `UserId` +
/// `ClientIP`); `keyOrder` ranks them for the output order of sessions.
public struct EventStore: Sendable {
    var builder = SessionStore.Builder()
    /// Ticks (100 ns) since the Unix epoch, per event: what the readers and the sessionizer work on.
    package internal(set) var ticks: ContiguousArray<Int64> = []
    /// The time of each event.
    public var times: Timestamps { Timestamps(ticks) }
    /// Key id, per event.
    public internal(set) var keys: ContiguousArray<Int32> = []

    public init() {}

    /// The number of events.
    public var count: Int { ticks.count }
    /// The events' commands and parameters (a store with one open, un-ended run).
    public var columns: SessionStore { builder.store }

    /// Appends an event with the named command.
    public mutating func beginEvent(command: String, time: Timestamp, key: Int32) {
        beginEvent(uncheckedCommandID: builder.internCommand(command), time: time.ticks, key: key)
    }

    /// Appends an event with an interned command id (from ``internCommand(_:)``).
    /// - Throws: ``SessionStoreError/unknownID(_:_:)`` for an id the vocabulary did not give
    ///   out, and for a negative key.
    public mutating func beginEvent(commandID: Int32, time: Timestamp, key: Int32) throws(SessionStoreError) {
        guard key >= 0 else { throw SessionStoreError.unknownID("key", key) }
        try builder.beginEvent(commandID: commandID)
        ticks.append(time.ticks)
        keys.append(key)
    }

    /// ``beginEvent(commandID:time:key:)`` for ids known to be valid (the readers intern them), at
    /// `time` ticks.
    package mutating func beginEvent(uncheckedCommandID commandID: Int32, time: Int64, key: Int32) {
        builder.beginEvent(uncheckedCommandID: commandID)
        ticks.append(time)
        keys.append(key)
    }

    /// Adds a parameter to the last event (the last value of a repeated name wins).
    public mutating func addParameter(_ name: String, value: String?) throws(SessionStoreError) {
        try builder.addParameter(name, value: value)
    }

    /// Adds an interned parameter and pair id (or ``SessionStore/noValue``) to the last event.
    /// - Throws: ``SessionStoreError/unknownID(_:_:)`` for ids the vocabularies did not give out.
    public mutating func addParameter(id: Int32, valueID: Int32) throws(SessionStoreError) {
        try builder.addParameter(id: id, valueID: valueID)
    }

    /// ``addParameter(id:valueID:)`` for ids known to be valid (the readers intern them).
    package mutating func addParameter(uncheckedID id: Int32, valueID: Int32) throws(SessionStoreError) {
        try builder.addParameter(uncheckedID: id, valueID: valueID)
    }

    /// Sets the time of event `index` (a reader that learns late how to read a date).
    package mutating func setTime(ofEvent index: Int, _ time: Int64) {
        ticks[index] = time
    }

    /// Removes the last event (for example when a later field of its row is bad).
    public mutating func dropLastEvent() {
        guard !ticks.isEmpty else { return }
        ticks.removeLast()
        keys.removeLast()
        builder.dropLastEvent()
    }

    /// Interns a command name.
    public mutating func internCommand(_ name: String) -> Int32 { builder.internCommand(name) }
    /// Interns a parameter name.
    public mutating func internParameter(_ name: String) -> Int32 { builder.internParameter(name) }
    /// Interns a (parameter, value) pair.
    public mutating func internValue(parameter: Int32, value: String) -> Int32 {
        builder.internValue(parameter: parameter, value: value)
    }
    /// Interns a command name given as UTF-8 bytes.
    package mutating func internCommand(bytes: UnsafeRawBufferPointer) -> Int32 { builder.internCommand(bytes: bytes) }
    /// Interns a parameter name given as UTF-8 bytes.
    package mutating func internParameter(bytes: UnsafeRawBufferPointer) -> Int32 {
        builder.internParameter(bytes: bytes)
    }
    /// Interns a (parameter, value) pair whose value is given as UTF-8 bytes.
    package mutating func internValue(parameter: Int32, bytes: UnsafeRawBufferPointer) -> Int32 {
        builder.internValue(parameter: parameter, bytes: bytes)
    }

    /// Reserves room for `events` events and `parameters` parameter occurrences.
    public mutating func reserveCapacity(events: Int, parameters: Int) {
        builder.reserveCapacity(sessions: 0, events: events, parameterOccurrences: parameters)
        ticks.reserveCapacity(events)
        keys.reserveCapacity(events)
    }
}

extension EventStore {
    /// Appends every event of `other` (read by another worker, with its own
    /// vocabularies), translating its ids into this store's and its keys by `keyMap`.
    /// - Complexity: O(events + parameter occurrences + vocabulary of `other`).
    public mutating func append(_ other: EventStore, keyMap: [Int32]) throws(SessionStoreError) {
        let columns = other.columns
        let (commandMap, parameterMap, pairMap) = builder.internVocabularies(of: columns)
        try builder.appendOpenEvents(of: columns, commandMap: commandMap, parameterMap: parameterMap, pairMap: pairMap)
        ticks.append(contentsOf: other.ticks)
        SessionStore.Builder.reserveGeometrically(&keys, other.keys.count)
        for key in other.keys { keys.append(keyMap[Int(key)]) }
    }
}

extension EventStore {
    /// The events for which `keep(index)` is true, in order, with the same vocabularies
    /// (ids unchanged) and keys: a filter applied after reading (a time range that depends
    /// on the latest event).
    /// - Complexity: O(events + parameter occurrences).
    package func filter(_ keep: (Int) -> Bool) -> EventStore {
        var kept = EventStore()
        kept.builder = SessionStore.Builder(vocabulariesOf: builder.store)
        let columns = self.columns
        for event in 0..<count where keep(event) {
            kept.builder.beginEvent(uncheckedCommandID: columns.commandIDs[event])
            kept.ticks.append(ticks[event])
            kept.keys.append(keys[event])
            for occurrence in columns.parameters(ofEvent: event) {
                // The ids come from this store, so they are in range and already distinct per event.
                try? kept.builder.addParameter(
                    uncheckedID: columns.parameterIDs[occurrence], valueID: columns.valueIDs[occurrence])
            }
        }
        return kept
    }
}
