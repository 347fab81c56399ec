/// Interns (parameter, value) pairs to dense `Int32` ids.
///
/// Values are categorical per parameter (docs/SPEC.md §4: `r[p][v]`), so the unit the model
/// counts is the pair, not the bare string: the same text under two parameters gets
/// two ids. Empty values are never interned; they are stored as ``SessionStore/noValue``.
public struct ValueVocabulary: Sendable, Equatable {
    @usableFromInline struct Key: Hashable, Sendable {
        @usableFromInline var parameter: Int32
        @usableFromInline var value: ExactText
        @usableFromInline init(parameter: Int32, value: String) {
            self.parameter = parameter
            self.value = ExactText(value)
        }
    }
    /// The parameter id of each pair, in pair-id order.
    public private(set) var parameterOfPair: [Int32] = []
    /// The value text of each pair, in pair-id order.
    public private(set) var valueOfPair: [String] = []
    @usableFromInline internal private(set) var ids: [Key: Int32] = [:]

    public init() {}

    /// The number of distinct pairs.
    @inlinable public var count: Int { parameterOfPair.count }

    /// The id of the pair, or `nil` when it was never interned.
    @inlinable public func id(parameter: Int32, value: String) -> Int32? {
        ids[Key(parameter: parameter, value: value)]
    }

    /// Makes room for `count` more pairs without rehashing.
    public mutating func reserveCapacity(adding count: Int) {
        parameterOfPair.reserveCapacity(parameterOfPair.count + count)
        valueOfPair.reserveCapacity(valueOfPair.count + count)
        ids.reserveCapacity(ids.count + count)
    }

    /// Returns the id of the pair, assigning the next id when it is new.
    @discardableResult
    public mutating func intern(parameter: Int32, value: String) -> Int32 {
        let key = Key(parameter: parameter, value: value)
        if let existing = ids[key] { return existing }
        precondition(parameterOfPair.count < Int(Int32.max), "value vocabulary exceeds Int32 ids")
        let id = Int32(truncatingIfNeeded: parameterOfPair.count)
        parameterOfPair.append(parameter)
        valueOfPair.append(value)
        ids[key] = id
        return id
    }
}
