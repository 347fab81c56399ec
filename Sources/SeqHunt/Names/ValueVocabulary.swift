/// Interns (parameter, value) pairs to dense `Int32` ids.
///
/// Values are categorical per parameter (docs/SPEC.md §4: `r[p][v]`), so the unit the model
/// counts is the pair, not the bare string: the same text under two parameters gets
/// two ids. Empty values are never interned; they are stored as ``SessionStore/noValue``.
///
/// Values are kept as their UTF-8 bytes in a byte table tagged by parameter, so that a
/// log whose values are mostly distinct (GUIDs, message ids, timestamps) costs no `String`
/// per value: one is made only when a value is shown (``ValueTexts``).
public struct ValueVocabulary: Sendable, Equatable {
    /// The pairs: value bytes tagged with their parameter id.
    package private(set) var table = ByteInterner(capacity: 1 << 12)

    public init() {}

    /// The number of distinct pairs.
    public var count: Int { table.count }

    /// The parameter id of each pair, in pair-id order.
    public var parameterOfPair: [Int32] { table.tags }

    /// The value text of each pair, in pair-id order: a view that makes a `String` for the
    /// pair it is asked for.
    public var valueOfPair: ValueTexts { ValueTexts(table: table) }

    /// The id of the pair, or `nil` when it was never interned.
    public func id(parameter: Int32, value: String) -> Int32? {
        value.withUTF8Bytes { table.find($0, tag: parameter) }
    }

    /// The id of the pair whose value has the UTF-8 bytes `value`, or `nil` when it was never interned.
    package func id(parameter: Int32, valueBytes value: UnsafeRawBufferPointer) -> Int32? {
        table.find(value, tag: parameter)
    }

    /// Makes room for `count` more pairs without rehashing.
    public mutating func reserveCapacity(adding count: Int) {
        table.reserveCapacity(adding: count)
    }

    /// Returns the id of the pair, assigning the next id when it is new.
    @discardableResult
    public mutating func intern(parameter: Int32, value: String) -> Int32 {
        value.withUTF8Bytes { intern(parameter: parameter, valueBytes: $0) }
    }

    /// Returns the id of the pair whose value has the UTF-8 bytes `value`, assigning the next
    /// id when it is new.
    @discardableResult
    package mutating func intern(parameter: Int32, valueBytes value: UnsafeRawBufferPointer) -> Int32 {
        table.intern(value, tag: parameter).id
    }

    /// Makes room for every pair of `other`, so that absorbing it does not grow the table part way.
    package mutating func reserveCapacity(for other: ValueVocabulary) {
        table.reserveCapacity(adding: other.count, bytes: other.table.totalBytes)
    }

    /// Returns the id here of `other`'s pair `pair` under parameter `parameter` (an id of this
    /// vocabulary's store), without hashing its value again.
    package mutating func intern(_ pair: Int32, of other: ValueVocabulary, parameter: Int32) -> Int32 {
        table.intern(pair, of: other.table, tag: parameter).id
    }

    /// The UTF-8 bytes of pair `pair`'s value.
    package func withValueBytes<R>(ofPair pair: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try table.withBytes(of: pair, body)
    }

    /// Whether pair `a`'s value sorts before pair `b`'s by their UTF-8 bytes.
    package func valuePrecedes(_ a: Int32, _ b: Int32) -> Bool { table.precedes(a, b) }
}

/// The values of a ``ValueVocabulary`` in pair-id order, each made a `String` when read.
public struct ValueTexts: RandomAccessCollection, Sendable {
    let table: ByteInterner

    public var startIndex: Int { 0 }
    public var endIndex: Int { table.count }

    /// The value of pair `pair`.
    public subscript(pair: Int) -> String { table.string(of: Int32(pair)) }
}
