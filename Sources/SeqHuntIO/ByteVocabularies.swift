import SeqHunt

extension EventStore: VocabularyTarget {}
extension SessionStore.Builder: VocabularyTarget {}

/// Commands, parameters and values interned from bytes: a `String` is made once per
/// distinct name, never per occurrence. Local ids (from the byte interners) map to the
/// target's ids.
struct ByteVocabularies {
    private var commands = ByteInterner()
    private var parameters = ByteInterner()
    private var pairs = ByteInterner(capacity: 1 << 14)
    private var commandIDs: [Int32] = []      // local command id → target id
    private var parameterIDs: [Int32] = []    // local parameter id → target id
    private var pairIDs: [Int32] = []         // local pair id → target pair id
    private var pairKey = OutputBuffer(capacity: 1024)

    mutating func command(_ bytes: UnsafeRawBufferPointer, in target: inout some VocabularyTarget) -> Int32 {
        let (local, isNew) = commands.intern(bytes)
        if isNew { commandIDs.append(target.internCommand(String(decoding: bytes, as: UTF8.self))) }
        return commandIDs[Int(local)]
    }

    mutating func parameter(_ bytes: UnsafeRawBufferPointer, in target: inout some VocabularyTarget) -> Int32 {
        let (local, isNew) = parameters.intern(bytes)
        if isNew { parameterIDs.append(target.internParameter(String(decoding: bytes, as: UTF8.self))) }
        return parameterIDs[Int(local)]
    }

    /// The pair id of `value` for `parameter` (a target id).
    mutating func pair(parameter: Int32, value: UnsafeRawBufferPointer, in target: inout some VocabularyTarget) -> Int32 {
        pairKey.removeAll()
        withUnsafeBytes(of: parameter.littleEndian) { pairKey.append(bytes: $0) }
        pairKey.append(bytes: value)
        let (local, isNew) = pairs.intern(pairKey.bytes)
        if isNew { pairIDs.append(target.internValue(parameter: parameter, value: String(decoding: value, as: UTF8.self))) }
        return pairIDs[Int(local)]
    }
}
