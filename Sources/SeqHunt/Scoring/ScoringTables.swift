/// A model's look-up tables re-indexed for one store's vocabularies.
///
/// A store may hold commands, parameters and values the model never saw; this
/// maps each store id once (O(vocabulary)) to the model id or to the UNK
/// fall-back of docs/SPEC.md §4, so that the per-event loop does only array reads.
struct ScoringTables: Sendable {
    /// Store command id → model command id (UNK for commands the model never saw).
    let commandMap: FixedBuffer<Int32>
    /// Store parameter id → model parameter id, or -1 when the model never saw it
    /// (such a parameter is in no `ref(c)` and is ignored).
    let parameterMap: FixedBuffer<Int32>
    /// Per store parameter: 1 when its values are modelled, else 0.
    let modellable: FixedBuffer<UInt8>
    /// Per store pair id: `log r[p][v]`, or `log r[p][UNK]` when the model never saw the pair.
    let pairLogValue: FixedBuffer<Double>
    /// Per store parameter: `log r[p][UNK]`, for occurrences without a value.
    let noValueLog: FixedBuffer<Double>

    init(model: Model, vocabulariesOf store: SessionStore) {
        let counts = model.counts
        commandMap = FixedBuffer(
            (0..<store.commands.count).map { id -> Int32 in
                let sid = Int32(id)
                if store.commands.isReserved(sid) { return sid }
                if let mid = store.commands.withBytes(of: sid, { counts.commands.id(ofBytes: $0) }),
                    model.isKnownCommand[Int(mid)]
                {
                    return mid
                }
                return CommandToken.unknown
            })
        let parameterMap: [Int32] = (0..<store.parameters.count).map { id in
            let sid = Int32(id)
            guard model.type.usesParameters, !store.parameters.isReserved(sid),
                let mid = store.parameters.withBytes(of: sid, { counts.parameters.id(ofBytes: $0) }),
                model.isKnownParameter[Int(mid)]
            else { return -1 }
            return mid
        }
        self.parameterMap = FixedBuffer(parameterMap)
        modellable = FixedBuffer(parameterMap.map { mid -> UInt8 in mid >= 0 && model.isModellable[Int(mid)] ? 1 : 0 })
        noValueLog = FixedBuffer(parameterMap.map { mid -> Double in mid >= 0 ? model.logUnknownValue[Int(mid)] : 0 })
        guard model.type.usesValues else {
            pairLogValue = FixedBuffer([])
            return
        }
        let parameterOfPair = store.values.parameterOfPair
        pairLogValue = FixedBuffer(
            (0..<store.values.count).map { pair -> Double in
                let mid = parameterMap[Int(parameterOfPair[pair])]
                guard mid >= 0, model.isModellable[Int(mid)] else { return 0 }
                if let mpair = store.values.withValueBytes(
                    ofPair: Int32(pair), { counts.values.id(parameter: mid, valueBytes: $0) }),
                    counts.valueCounts[Int(mpair)] > 0
                {
                    return model.logValue[Int(mpair)]
                }
                return model.logUnknownValue[Int(mid)]
            })
    }
}
