/// A dense interning table: each distinct name gets the next `Int32` id.
///
/// The first `reservedCount` ids are reserved for tokens (START, END, UNK for
/// commands; UNK for parameters). Reserved ids carry a display name but are never
/// entered in the look-up table, so no string from a log can collide with them:
/// a command literally named `##START##` is interned as an ordinary command.
///
/// Names are kept as their UTF-8 bytes in a byte table: equal when their bytes are,
/// as msticpy (Python) and Kusto compare names, so canonically equivalent spellings are two
/// names. A `String` is made only when a name is shown. Look-up and interning are O(1)
/// expected; ids are stable once assigned.
public struct Vocabulary: Sendable, Equatable {
    /// The number of reserved ids at the start of the id space.
    public let reservedCount: Int
    private let reservedNames: [String]
    /// The interned names; entry `i` is id `reservedCount + i`.
    package private(set) var table = ByteInterner(capacity: 64)

    /// Creates a vocabulary whose first ids are the given reserved tokens.
    /// - Parameter reservedNames: display names of the reserved ids, in id order.
    public init(reservedNames: [String] = []) {
        self.reservedCount = reservedNames.count
        self.reservedNames = reservedNames
    }

    /// The number of ids, reserved ones included.
    public var count: Int { reservedCount + table.count }

    /// The id of `name`, or `nil` when it was never interned. Reserved names are never found.
    /// Names are equal when their UTF-8 bytes are: canonically equivalent spellings are two names.
    public func id(of name: String) -> Int32? { name.withUTF8Bytes { id(ofBytes: $0) } }

    /// The id of the name whose UTF-8 bytes are `bytes`, or `nil` when it was never interned.
    package func id(ofBytes bytes: UnsafeRawBufferPointer) -> Int32? {
        table.find(bytes).map { $0 + Int32(reservedCount) }
    }

    /// The string (or the reserved token's display name) of `id`, made when asked.
    public subscript(id: Int32) -> String {
        isReserved(id) ? reservedNames[Int(id)] : table.string(of: id - Int32(reservedCount))
    }

    /// The UTF-8 bytes of `id`'s name (a reserved token's display name for a reserved id).
    package func withBytes<R>(of id: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if isReserved(id) { return try reservedNames[Int(id)].withUTF8Bytes(body) }
        return try table.withBytes(of: id - Int32(reservedCount), body)
    }

    /// Whether `id` is one of the reserved token ids.
    @inlinable public func isReserved(_ id: Int32) -> Bool { Int(id) < reservedCount }

    /// Returns the id of `name`, assigning the next id when it is new.
    @discardableResult
    public mutating func intern(_ name: String) -> Int32 {
        name.withUTF8Bytes { intern(bytes: $0) }
    }

    /// Returns the id of the name whose UTF-8 bytes are `bytes`, assigning the next id when it is new.
    @discardableResult
    package mutating func intern(bytes: UnsafeRawBufferPointer) -> Int32 {
        table.intern(bytes).id + Int32(reservedCount)
    }

    /// Returns the id here of `other`'s name `id` (reserved ids map to themselves), without
    /// hashing its bytes again.
    package mutating func intern(_ id: Int32, of other: Vocabulary) -> Int32 {
        if other.isReserved(id) { return id }
        return table.intern(id - Int32(other.reservedCount), of: other.table, tag: 0).id + Int32(reservedCount)
    }

    /// Makes room for `count` more names without rehashing.
    public mutating func reserveCapacity(adding count: Int) {
        table.reserveCapacity(adding: count)
    }

    /// Whether name `a` sorts before name `b` by their UTF-8 bytes (neither reserved).
    package func precedes(_ a: Int32, _ b: Int32) -> Bool {
        table.precedes(a - Int32(reservedCount), b - Int32(reservedCount))
    }

    /// All names in id order, reserved display names first (a `String` each: for showing).
    public var allNames: [String] { (0..<Int32(count)).map { self[$0] } }
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
