/// A dense interning table: each distinct string gets the next `Int32` id.
///
/// The first `reservedCount` ids are reserved for tokens (START, END, UNK for
/// commands; UNK for parameters). Reserved ids carry a display name but are never
/// entered in the look-up table, so no string from a log can collide with them:
/// a command literally named `##START##` is interned as an ordinary command.
///
/// Look-up and interning are O(1) expected; ids are stable once assigned.
public struct Vocabulary: Sendable, Equatable {
    /// The number of reserved ids at the start of the id space.
    public let reservedCount: Int
    @usableFromInline internal private(set) var names: [String]
    /// Names to ids, by their bytes (see ``ExactText``).
    @usableFromInline internal private(set) var ids: [ExactText: Int32]

    /// Creates a vocabulary whose first ids are the given reserved tokens.
    /// - Parameter reservedNames: display names of the reserved ids, in id order.
    public init(reservedNames: [String] = []) {
        self.reservedCount = reservedNames.count
        self.names = reservedNames
        self.ids = [:]
    }

    /// The number of ids, reserved ones included.
    @inlinable public var count: Int { names.count }

    /// The id of `name`, or `nil` when it was never interned. Reserved names are never found.
    /// Names are equal when their UTF-8 bytes are: canonically equivalent spellings are two names.
    @inlinable public func id(of name: String) -> Int32? { ids[ExactText(name)] }

    /// The string (or the reserved token's display name) of `id`.
    @inlinable public subscript(id: Int32) -> String { names[Int(id)] }

    /// Whether `id` is one of the reserved token ids.
    @inlinable public func isReserved(_ id: Int32) -> Bool { Int(id) < reservedCount }

    /// Returns the id of `name`, assigning the next id when it is new.
    @discardableResult
    public mutating func intern(_ name: String) -> Int32 {
        let key = ExactText(name)
        if let existing = ids[key] { return existing }
        let id = Int32(truncatingIfNeeded: names.count)
        precondition(names.count < Int(Int32.max), "vocabulary exceeds Int32 ids")
        names.append(name)
        ids[key] = id
        return id
    }

    /// Makes room for `count` more names without rehashing.
    public mutating func reserveCapacity(adding count: Int) {
        names.reserveCapacity(names.count + count)
        ids.reserveCapacity(ids.count + count)
    }

    /// All strings in id order, reserved display names first.
    public var allNames: [String] { names }
}

/// Reserved command ids. These states exist in every model and can never be
/// produced by interning a string.
public enum CommandToken {
    /// The START state that precedes every session.
    public static let start: Int32 = 0
    /// The END state that follows every session.
    public static let end: Int32 = 1
    /// The unknown state that stands in for every command the model never saw.
    public static let unknown: Int32 = 2
    /// Display names, in id order (msticpy's spellings).
    public static let names = ["##START##", "##END##", "##UNK##"]
}

/// Reserved parameter ids.
public enum ParameterToken {
    /// The unknown parameter that every state carries with count 1 after smoothing.
    public static let unknown: Int32 = 0
    /// Display names, in id order.
    public static let names = ["##UNK##"]
}

extension Vocabulary {
    /// An empty command vocabulary holding the START, END and UNK tokens.
    public static func commands() -> Vocabulary { Vocabulary(reservedNames: CommandToken.names) }
    /// An empty parameter vocabulary holding the UNK token.
    public static func parameters() -> Vocabulary { Vocabulary(reservedNames: ParameterToken.names) }
}
