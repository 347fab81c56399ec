extension SessionStore {
    /// Appends sessions to a store one event and one parameter at a time.
    ///
    /// Call ``beginEvent(command:)`` (or ``beginEvent(commandID:)``) for each event,
    /// ``addParameter(_:value:)`` for its parameters, and ``endSession()`` after the
    /// last event of a session. A parameter named twice in one event keeps one
    /// occurrence with the last value. Memory grows only with the stored columns.
    public struct Builder: Sendable {
        public private(set) var store = SessionStore()
        /// For each parameter id: the serial of the last event that named it.
        private var lastEventOfParameter: ContiguousArray<Int32> = []
        /// For each parameter id: its occurrence index in that event.
        private var slotOfParameter: ContiguousArray<Int32> = []
        private var sessionsEnded = 0
        /// Counts every event ever begun (dropped ones included), to mark parameter stamps.
        private var eventSerial: Int32 = 0

        public init() {}

        /// Starts a session from an existing store's vocabularies, so that ids agree.
        public init(vocabulariesOf other: SessionStore) {
            store.commands = other.commands
            store.parameters = other.parameters
            store.values = other.values
        }

        /// The number of events appended to the session that is not yet ended.
        public var openSessionEventCount: Int { store.commandIDs.count - store.sessionOffsets.last! }

        /// Starts a new event of the current session with the named command.
        public mutating func beginEvent(command: String) {
            beginEvent(uncheckedCommandID: store.commands.intern(command))
        }

        /// Starts a new event with an already interned command id (from ``internCommand(_:)``).
        /// - Throws: ``SessionStoreError/unknownID(_:_:)`` for an id this store's vocabulary
        ///   did not give out, or a reserved token's: raw ids index the model's arrays.
        public mutating func beginEvent(commandID: Int32) throws(SessionStoreError) {
            guard commandID >= 0 && Int(commandID) < store.commands.count && !store.commands.isReserved(commandID)
            else {
                throw SessionStoreError.unknownID("command", commandID)
            }
            beginEvent(uncheckedCommandID: commandID)
        }

        /// ``beginEvent(commandID:)`` for ids known to be valid (the readers intern them).
        package mutating func beginEvent(uncheckedCommandID commandID: Int32) {
            eventSerial &+= 1
            if eventSerial == 0 {  // wrapped: forget every stamp rather than match a stale one
                for i in lastEventOfParameter.indices { lastEventOfParameter[i] = 0 }
                eventSerial = 1
            }
            store.commandIDs.append(commandID)
            store.parameterOffsets.append(store.parameterOffsets.last!)
        }

        /// Adds a parameter to the current event; an empty or `nil` value is "no value".
        public mutating func addParameter(_ name: String, value: String?) throws(SessionStoreError) {
            let parameter = store.parameters.intern(name)
            var valueID = SessionStore.noValue
            if let value, !value.isEmpty {
                valueID = store.values.intern(parameter: parameter, value: value)
            }
            try addParameter(uncheckedID: parameter, valueID: valueID)
        }

        /// Adds an interned parameter and value pair id (or ``SessionStore/noValue``).
        /// - Throws: ``SessionStoreError/unknownID(_:_:)`` for a parameter or pair id this
        ///   store's vocabularies did not give out (or a pair of another parameter), and
        ///   ``SessionStoreError/parameterBeforeEvent`` when no event is open.
        public mutating func addParameter(id parameter: Int32, valueID: Int32) throws(SessionStoreError) {
            guard parameter >= 0 && Int(parameter) < store.parameters.count && !store.parameters.isReserved(parameter)
            else {
                throw SessionStoreError.unknownID("parameter", parameter)
            }
            guard
                valueID == SessionStore.noValue
                    || (valueID >= 0 && Int(valueID) < store.values.count
                        && store.values.parameterOfPair[Int(valueID)] == parameter)
            else {
                throw SessionStoreError.unknownID("value pair", valueID)
            }
            try addParameter(uncheckedID: parameter, valueID: valueID)
        }

        /// ``addParameter(id:valueID:)`` for ids known to be valid (the readers intern them).
        package mutating func addParameter(uncheckedID parameter: Int32, valueID: Int32) throws(SessionStoreError) {
            guard !store.commandIDs.isEmpty else { throw SessionStoreError.parameterBeforeEvent }
            let p = Int(parameter)
            if p >= lastEventOfParameter.count {
                let newCount = max(p + 1, lastEventOfParameter.count * 2)
                lastEventOfParameter.append(contentsOf: repeatElement(0, count: newCount - lastEventOfParameter.count))
                slotOfParameter.append(contentsOf: repeatElement(0, count: newCount - slotOfParameter.count))
            }
            let eventMark = eventSerial
            if lastEventOfParameter[p] == eventMark {
                store.valueIDs[Int(slotOfParameter[p])] = valueID  // the last value wins
                return
            }
            guard store.parameterIDs.count < Int(UInt32.max) else {
                throw SessionStoreError.tooManyParameterOccurrences
            }
            lastEventOfParameter[p] = eventMark
            slotOfParameter[p] = Int32(truncatingIfNeeded: store.parameterIDs.count)
            store.parameterIDs.append(parameter)
            store.valueIDs.append(valueID)
            store.parameterOffsets[store.parameterOffsets.count - 1] = UInt32(store.parameterIDs.count)
        }

        /// Ends the current session.
        /// - Throws: ``SessionStoreError/emptySession(index:)`` when it has no events.
        public mutating func endSession() throws(SessionStoreError) {
            defer { sessionsEnded += 1 }
            guard openSessionEventCount > 0 else {
                throw SessionStoreError.emptySession(index: sessionsEnded)
            }
            store.sessionOffsets.append(store.commandIDs.count)
        }

        /// Drops the events of the session that is not yet ended (e.g. after a bad row).
        public mutating func discardOpenSession() {
            let start = store.sessionOffsets.last!
            guard store.commandIDs.count > start else { return }
            let firstOccurrence = Int(store.parameterOffsets[start])
            store.commandIDs.removeSubrange(start...)
            store.parameterOffsets.removeSubrange((start + 1)...)
            store.parameterIDs.removeSubrange(firstOccurrence...)
            store.valueIDs.removeSubrange(firstOccurrence...)
        }

        /// Appends the open (not yet ended) events of `other`, whose ids are translated
        /// by the maps (`other` id → this builder's id). Parameters are copied as they
        /// are: they were already made distinct per event when `other` was built.
        /// - Complexity: O(events + parameter occurrences of `other`).
        mutating func appendOpenEvents(
            of other: SessionStore, commandMap: [Int32], parameterMap: [Int32],
            pairMap: [Int32]
        ) throws(SessionStoreError) {
            let first = other.sessionOffsets.last!
            let events = other.commandIDs.count - first
            guard events > 0 else { return }
            let firstOccurrence = Int(other.parameterOffsets[first])
            let occurrences = other.parameterIDs.count - firstOccurrence
            guard store.parameterIDs.count + occurrences < Int(UInt32.max) else {
                throw SessionStoreError.tooManyParameterOccurrences
            }
            let shift = Int64(store.parameterIDs.count) - Int64(firstOccurrence)
            // Grow geometrically: reserving the exact size on every call would copy the columns each time.
            Self.reserveGeometrically(&store.commandIDs, events)
            Self.reserveGeometrically(&store.parameterOffsets, events)
            for e in first..<other.commandIDs.count {
                store.commandIDs.append(commandMap[Int(other.commandIDs[e])])
                store.parameterOffsets.append(UInt32(Int64(other.parameterOffsets[e + 1]) + shift))
            }
            Self.reserveGeometrically(&store.parameterIDs, occurrences)
            Self.reserveGeometrically(&store.valueIDs, occurrences)
            for o in firstOccurrence..<other.parameterIDs.count {
                store.parameterIDs.append(parameterMap[Int(other.parameterIDs[o])])
                let v = other.valueIDs[o]
                store.valueIDs.append(v >= 0 ? pairMap[Int(v)] : SessionStore.noValue)
            }
            eventSerial &+= Int32(truncatingIfNeeded: events)
        }

        /// Appends every session of `other` (built by another worker, with its own
        /// vocabularies), translating its ids into this builder's. No session may be open.
        /// - Complexity: O(events + parameter occurrences + vocabulary of `other`).
        package mutating func append(sessionsOf other: SessionStore) throws(SessionStoreError) {
            precondition(openSessionEventCount == 0, "a session is open")
            let (commandMap, parameterMap, pairMap) = internVocabularies(of: other)
            guard store.parameterIDs.count + other.parameterIDs.count < Int(UInt32.max) else {
                throw SessionStoreError.tooManyParameterOccurrences
            }
            let eventShift = store.commandIDs.count
            let occurrenceShift = UInt32(store.parameterIDs.count)
            // Geometric growth: reserving the exact size at every worker's piece would copy the
            // columns each time (quadratic in the input).
            Self.reserveGeometrically(&store.commandIDs, other.commandIDs.count)
            for id in other.commandIDs { store.commandIDs.append(commandMap[Int(id)]) }
            Self.reserveGeometrically(&store.parameterOffsets, other.commandIDs.count)
            for offset in other.parameterOffsets.dropFirst() { store.parameterOffsets.append(offset + occurrenceShift) }
            Self.reserveGeometrically(&store.parameterIDs, other.parameterIDs.count)
            for id in other.parameterIDs { store.parameterIDs.append(parameterMap[Int(id)]) }
            Self.reserveGeometrically(&store.valueIDs, other.valueIDs.count)
            for v in other.valueIDs { store.valueIDs.append(v >= 0 ? pairMap[Int(v)] : SessionStore.noValue) }
            Self.reserveGeometrically(&store.sessionOffsets, other.sessionCount)
            for offset in other.sessionOffsets.dropFirst() { store.sessionOffsets.append(offset + eventShift) }
            sessionsEnded += other.sessionCount
            // No stamp changes: the appended events set none, and the next event takes a new serial.
        }

        /// Interns every name and pair of `other`'s vocabularies here, by their bytes and the
        /// hashes `other` keeps (no `String`, no hashing again), and returns the maps from
        /// `other`'s ids to this builder's.
        /// - Complexity: O(vocabulary of `other`).
        mutating func internVocabularies(of other: SessionStore) -> (
            commands: [Int32], parameters: [Int32], pairs: [Int32]
        ) {
            let commandMap = (0..<Int32(other.commands.count)).map { store.commands.intern($0, of: other.commands) }
            let parameterMap = (0..<Int32(other.parameters.count)).map {
                store.parameters.intern($0, of: other.parameters)
            }
            store.values.reserveCapacity(for: other.values)
            let parameterOfPair = other.values.parameterOfPair
            let pairMap = (0..<Int32(other.values.count)).map { pair in
                store.values.intern(pair, of: other.values, parameter: parameterMap[Int(parameterOfPair[Int(pair)])])
            }
            return (commandMap, parameterMap, pairMap)
        }

        static func reserveGeometrically<T>(_ column: inout ContiguousArray<T>, _ more: Int) {
            let needed = column.count + more
            if column.capacity < needed { column.reserveCapacity(max(needed, column.capacity * 2)) }
        }

        /// Removes the last event of the open session.
        mutating func dropLastEvent() {
            guard openSessionEventCount > 0 else { return }
            let last = store.commandIDs.count - 1
            let firstOccurrence = Int(store.parameterOffsets[last])
            store.commandIDs.removeLast()
            store.parameterOffsets.removeLast()
            store.parameterIDs.removeSubrange(firstOccurrence...)
            store.valueIDs.removeSubrange(firstOccurrence...)
        }

        /// Reserves room for the given totals, to avoid regrowth when sizes are known.
        public mutating func reserveCapacity(sessions: Int, events: Int, parameterOccurrences: Int) {
            store.sessionOffsets.reserveCapacity(sessions + 1)
            store.commandIDs.reserveCapacity(events)
            store.parameterOffsets.reserveCapacity(events + 1)
            store.parameterIDs.reserveCapacity(parameterOccurrences)
            store.valueIDs.reserveCapacity(parameterOccurrences)
        }

        /// Interns a command name without adding an event.
        public mutating func internCommand(_ name: String) -> Int32 { store.commands.intern(name) }
        /// Interns a parameter name without adding an occurrence.
        public mutating func internParameter(_ name: String) -> Int32 { store.parameters.intern(name) }
        /// Interns a (parameter, value) pair without adding an occurrence.
        public mutating func internValue(parameter: Int32, value: String) -> Int32 {
            store.values.intern(parameter: parameter, value: value)
        }
        /// Interns a command name given as UTF-8 bytes.
        package mutating func internCommand(bytes: UnsafeRawBufferPointer) -> Int32 {
            store.commands.intern(bytes: bytes)
        }
        /// Interns a parameter name given as UTF-8 bytes.
        package mutating func internParameter(bytes: UnsafeRawBufferPointer) -> Int32 {
            store.parameters.intern(bytes: bytes)
        }
        /// Interns a (parameter, value) pair whose value is given as UTF-8 bytes.
        package mutating func internValue(parameter: Int32, bytes: UnsafeRawBufferPointer) -> Int32 {
            store.values.intern(parameter: parameter, valueBytes: bytes)
        }

        /// The finished store. Events of a session that was not ended are dropped.
        public func build() -> SessionStore {
            var copy = self
            copy.discardOpenSession()
            copy.store.checkInvariants()
            return copy.store
        }
    }
}
