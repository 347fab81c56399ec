/// Sessions in columnar form: every column is one contiguous buffer, and no
/// per-event or per-session object exists.
///
/// Layout, for `S` sessions, `E` events and `P` parameter occurrences:
///
/// | column | length | element |
/// |---|---|---|
/// | ``sessionOffsets`` | `S + 1` | first event of each session (`Int`) |
/// | ``commandIDs`` | `E` | command id (`Int32`) into ``commands`` |
/// | ``parameterOffsets`` | `E + 1` | first occurrence of each event (`UInt32`) |
/// | ``parameterIDs`` | `P` | parameter id (`Int32`) into ``parameters`` |
/// | ``valueIDs`` | `P` | (parameter, value) pair id into ``values``, or ``noValue`` |
///
/// That is 8 bytes per event, 8 per parameter occurrence and 8 per session, plus
/// the vocabularies. Each event's parameters are distinct: when an event names a
/// parameter twice, the last value wins (docs/SPEC.md §1). Every session holds at least one
/// event. Build a store with ``SessionStore/Builder`` or ``init(_:)``.
public struct SessionStore: Sendable {
    /// The value id of a parameter occurrence that has no (or an empty) value.
    public static let noValue: Int32 = -1

    /// Command names; ids 0...2 are START, END and UNK.
    public internal(set) var commands: Vocabulary = .commands()
    /// Parameter names; id 0 is UNK.
    public internal(set) var parameters: Vocabulary = .parameters()
    /// (parameter, value) pairs.
    public internal(set) var values = ValueVocabulary()

    public internal(set) var sessionOffsets: ContiguousArray<Int> = [0]
    public internal(set) var commandIDs: ContiguousArray<Int32> = []
    public internal(set) var parameterOffsets: ContiguousArray<UInt32> = [0]
    public internal(set) var parameterIDs: ContiguousArray<Int32> = []
    public internal(set) var valueIDs: ContiguousArray<Int32> = []

    /// An empty store.
    public init() {}

    /// The number of sessions.
    @inlinable public var sessionCount: Int { sessionOffsets.count - 1 }
    /// The number of events over all sessions.
    @inlinable public var eventCount: Int { commandIDs.count }
    /// The number of parameter occurrences over all events.
    @inlinable public var parameterOccurrenceCount: Int { parameterIDs.count }

    /// The event index range of session `index`.
    @inlinable public func events(ofSession index: Int) -> Range<Int> {
        sessionOffsets[index]..<sessionOffsets[index + 1]
    }

    /// The parameter-occurrence index range of event `index`.
    @inlinable public func parameters(ofEvent index: Int) -> Range<Int> {
        Int(parameterOffsets[index])..<Int(parameterOffsets[index + 1])
    }

    /// The command names of session `index`, in order.
    public func commandNames(ofSession index: Int) -> [String] {
        events(ofSession: index).map { commands[commandIDs[$0]] }
    }

    /// Bytes held by the columns (not the vocabularies).
    public var columnBytes: Int {
        sessionOffsets.count * MemoryLayout<Int>.stride
            + commandIDs.count * 4 + parameterOffsets.count * 4
            + parameterIDs.count * 4 + valueIDs.count * 4
    }
}

/// One event as a library user hands it in: a command and its parameters in order.
public struct Event: Sendable, Hashable {
    /// One parameter of an event. A `nil` or empty value means "no value".
    public struct Parameter: Sendable, Hashable {
        public var name: String
        public var value: String?
        public init(name: String, value: String? = nil) {
            self.name = name
            self.value = value
        }
    }
    public var command: String
    public var parameters: [Parameter]
    public init(command: String, parameters: [Parameter] = []) {
        self.command = command
        self.parameters = parameters
    }
}

/// A session the store cannot accept.
public enum SessionStoreError: Error, CustomStringConvertible, Equatable {
    /// Session `index` (0-based, in append order) has no events.
    case emptySession(index: Int)
    /// The store would exceed its 32-bit parameter-occurrence offsets.
    case tooManyParameterOccurrences
    /// A raw id (of a command, parameter or value pair) that the store's vocabulary did not give out.
    case unknownID(String, Int32)
    /// A parameter added before any event.
    case parameterBeforeEvent

    public var description: String {
        switch self {
        case .emptySession(let index):
            return "session \(index + 1) is empty: every session needs at least one command"
        case .tooManyParameterOccurrences:
            return "more than \(UInt32.max) parameter occurrences: split the input"
        case .unknownID(let kind, let id):
            return "\(kind) id \(id) was not given out by this store's vocabulary"
        case .parameterBeforeEvent:
            return "a parameter was added before any event"
        }
    }
}

extension SessionStore {
    /// Builds a store from sessions of events.
    /// - Throws: ``SessionStoreError/emptySession(index:)`` for a session with no events.
    /// - Complexity: O(events + parameter occurrences), expected.
    public init<S: Sequence>(_ sessions: S) throws(SessionStoreError) where S.Element == [Event] {
        var builder = Builder()
        for session in sessions {
            for event in session {
                builder.beginEvent(command: event.command)
                for parameter in event.parameters {
                    try builder.addParameter(parameter.name, value: parameter.value)
                }
            }
            try builder.endSession()
        }
        self = builder.build()
    }

    /// Builds a store from sessions of bare command names (the `cmds` session type).
    public init<S: Sequence>(commandSessions sessions: S) throws(SessionStoreError) where S.Element == [String] {
        try self.init(sessions.lazy.map { $0.map { Event(command: $0) } })
    }
}
