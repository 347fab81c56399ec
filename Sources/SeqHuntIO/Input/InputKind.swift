/// Whether an input holds events or sessions, told by the columns of its first record.
public enum InputKind: Sendable, Equatable {
    case events
    case sessions
}
