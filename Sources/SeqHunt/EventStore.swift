/// Events before sessionizing, in columnar form: the command and parameter columns
/// of a ``SessionStore`` (one open run of events, in input order) plus, per event,
/// its time and its key.
///
/// Times are microseconds since the Unix epoch (`Int64`: ±292,000 years). Keys are
/// dense ids assigned by the reader (for example one per distinct `UserId` +
/// `ClientIP`); ``keyOrder`` ranks them for the output order of sessions.
public struct EventStore: Sendable {
    var builder = SessionStore.Builder()
    /// Microseconds since the Unix epoch, per event.
    public internal(set) var times: ContiguousArray<Int64> = []
    /// Key id, per event.
    public internal(set) var keys: ContiguousArray<Int32> = []

    public init() {}

    /// The number of events.
    public var count: Int { times.count }
    /// The events' commands and parameters (a store with one open, un-ended run).
    public var columns: SessionStore { builder.store }

    /// Appends an event with the named command.
    public mutating func beginEvent(command: String, time: Int64, key: Int32) {
        beginEvent(commandID: builder.internCommand(command), time: time, key: key)
    }

    /// Appends an event with an interned command id.
    public mutating func beginEvent(commandID: Int32, time: Int64, key: Int32) {
        builder.beginEvent(commandID: commandID)
        times.append(time)
        keys.append(key)
    }

    /// Adds a parameter to the last event (the last value of a repeated name wins).
    public mutating func addParameter(_ name: String, value: String?) throws {
        try builder.addParameter(name, value: value)
    }

    /// Adds an interned parameter and pair id (or ``SessionStore/noValue``) to the last event.
    public mutating func addParameter(id: Int32, valueID: Int32) throws {
        try builder.addParameter(id: id, valueID: valueID)
    }

    /// Removes the last event (for example when a later field of its row is bad).
    public mutating func dropLastEvent() {
        guard !times.isEmpty else { return }
        times.removeLast()
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

    /// Reserves room for `events` events and `parameters` parameter occurrences.
    public mutating func reserveCapacity(events: Int, parameters: Int) {
        builder.reserveCapacity(sessions: 0, events: events, parameterOccurrences: parameters)
        times.reserveCapacity(events)
        keys.reserveCapacity(events)
    }
}

extension EventStore {
    /// Appends every event of `other` (read by another worker, with its own
    /// vocabularies), translating its ids into this store's and its keys by `keyMap`.
    /// - Complexity: O(events + parameter occurrences + vocabulary of `other`).
    public mutating func append(_ other: EventStore, keyMap: [Int32]) throws {
        let columns = other.columns
        let commandMap = (0..<columns.commands.count).map { id -> Int32 in
            columns.commands.isReserved(Int32(id)) ? Int32(id) : builder.internCommand(columns.commands[Int32(id)])
        }
        let parameterMap = (0..<columns.parameters.count).map { id -> Int32 in
            columns.parameters.isReserved(Int32(id)) ? Int32(id) : builder.internParameter(columns.parameters[Int32(id)])
        }
        let pairMap = (0..<columns.values.count).map { pair in
            builder.internValue(parameter: parameterMap[Int(columns.values.parameterOfPair[pair])],
                                value: columns.values.valueOfPair[pair])
        }
        try builder.appendOpenEvents(of: columns, commandMap: commandMap, parameterMap: parameterMap, pairMap: pairMap)
        times.append(contentsOf: other.times)
        SessionStore.Builder.reserveGeometrically(&keys, other.keys.count)
        for key in other.keys { keys.append(keyMap[Int(key)]) }
    }
}
