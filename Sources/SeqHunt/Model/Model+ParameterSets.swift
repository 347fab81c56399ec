import Foundation

/// The likelihood of one observed parameter set given its command, as msticpy's
/// `Model.compute_setof_params_cond_cmd` reports it.
public struct ParameterSetLikelihood: Sendable, Equatable {
    /// The command name.
    public let command: String
    /// The parameter names, sorted; in type `values` a modellable parameter reads
    /// `"name --- value"` (msticpy's key), since its value takes part in the score.
    public let parameters: [String]
    /// `log` of the parameter factor (geometric mean applied when requested).
    public let logLikelihood: Double
    /// The parameter factor.
    public var likelihood: Double { exp(logLikelihood) }
}

extension Model {
    /// The likelihood of every distinct (command, parameter set) observed in
    /// `store`, rarest first (ties by command, then parameters).
    ///
    /// An event without parameters has likelihood 1. With `geometricMean` the
    /// factor is raised to `1 / (|ref| + m)` as in scoring; without, it is the raw product.
    /// - Complexity: O(E log E + P log P) for E events and P parameter occurrences;
    ///   no allocation per event.
    public func parameterSetLikelihoods(in store: SessionStore, geometricMean: Bool = true) -> [ParameterSetLikelihood]
    {
        guard type.usesParameters, store.eventCount > 0 else { return [] }
        let events = store.eventCount
        let valued = type.usesValues
        // Which store parameters show their value in the key: msticpy's modellable set, by name.
        let keyed: [Bool] = (0..<store.parameters.count).map { id in
            valued && !store.parameters.isReserved(Int32(id))
                && counts.parameters.id(of: store.parameters[Int32(id)]).map { isModellable[Int($0)] } == true
        }
        // One canonical key per event: its parameter codes, sorted.
        var codes = [Int64](repeating: 0, count: store.parameterOccurrenceCount)
        for occurrence in codes.indices {
            let p = store.parameterIDs[occurrence]
            let v = keyed[Int(p)] ? Int64(store.valueIDs[occurrence]) + 2 : 0  // 1 = keyed with no value
            codes[occurrence] = Int64(p) << 32 | v
        }
        codes.withUnsafeMutableBufferPointer { codes in
            for event in 0..<events {
                let range = store.parameters(ofEvent: event)
                if range.count > 1 {
                    var segment = UnsafeMutableBufferPointer(rebasing: codes[range])
                    segment.sort()
                }
            }
        }
        let logFactor = withKernel(for: store, EventParameterFactors(geometricMean: geometricMean))
        func keyLess(_ a: Int, _ b: Int) -> Bool {
            let ca = store.commandIDs[a], cb = store.commandIDs[b]
            if ca != cb { return ca < cb }
            let ra = store.parameters(ofEvent: a), rb = store.parameters(ofEvent: b)
            return codes[ra].lexicographicallyPrecedes(codes[rb])
        }
        func keyEqual(_ a: Int, _ b: Int) -> Bool {
            store.commandIDs[a] == store.commandIDs[b]
                && codes[store.parameters(ofEvent: a)].elementsEqual(codes[store.parameters(ofEvent: b)])
        }
        let order = (0..<events).sorted(by: keyLess)
        var results: [ParameterSetLikelihood] = []
        var index = 0
        while index < order.count {
            let event = order[index]
            var next = index + 1
            while next < order.count && keyEqual(event, order[next]) { next += 1 }
            let names = codes[store.parameters(ofEvent: event)].map { code -> String in
                let name = store.parameters[Int32(truncatingIfNeeded: code >> 32)]
                let v = code & 0xFFFF_FFFF
                guard v > 0 else { return name }
                return name + " --- " + (v == 1 ? "" : store.values.valueOfPair[Int(v - 2)])
            }.sorted()
            results.append(
                ParameterSetLikelihood(
                    command: store.commands[store.commandIDs[event]],
                    parameters: names, logLikelihood: logFactor[event]))
            index = next
        }
        results.sort {
            if $0.logLikelihood != $1.logLikelihood { return $0.logLikelihood < $1.logLikelihood }
            if $0.command != $1.command { return $0.command < $1.command }
            return $0.parameters.lexicographicallyPrecedes($1.parameters)
        }
        return results
    }
}

/// The log parameter factor of every event of a store.
struct EventParameterFactors: KernelVisitor {
    let geometricMean: Bool
    func visit<T: TransitionLookup, P: ParameterLookup>(_ inputs: ScoreKernel<T, P>) -> [Double] {
        (0..<inputs.columns.commandIDs.count).map { event in
            inputs.parameterFactor(
                event: event, command: inputs.modelCommand(inputs.columns.commandIDs[event]),
                geometricMean: geometricMean)
        }
    }
}
