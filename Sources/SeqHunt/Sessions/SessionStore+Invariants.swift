extension SessionStore {
    /// Checks the store's invariants (in builds with `SEQHUNT_INTERNAL_CHECKS`, debug and the
    /// sanitizers'; a release build returns at once), as swift-collections does under its
    /// internal-checks flag:
    ///
    /// - the offsets start at 0, never decrease, and end at the column lengths; every session
    ///   has at least one event;
    /// - every command and parameter id is one the vocabularies gave out, never a token's;
    /// - every value id is ``noValue`` or a pair of the occurrence's own parameter;
    /// - no event names a parameter twice.
    ///
    /// The builder checks every store it builds in those builds.
    /// - Complexity: O(sessions + events + parameter occurrences + parameters).
    public func checkInvariants() {
        #if SEQHUNT_INTERNAL_CHECKS
        precondition(
            sessionOffsets.first == 0 && sessionOffsets.last == commandIDs.count,
            "session offsets do not span the events")
        for s in 0..<sessionCount {
            precondition(sessionOffsets[s] < sessionOffsets[s + 1], "session \(s) has no events")
        }
        precondition(
            parameterOffsets.count == commandIDs.count + 1 && parameterOffsets.first == 0
                && Int(parameterOffsets.last!) == parameterIDs.count, "parameter offsets do not span the occurrences")
        precondition(valueIDs.count == parameterIDs.count, "one value id per parameter occurrence")
        var lastEvent = [Int](repeating: -1, count: parameters.count)
        for event in 0..<eventCount {
            let command = commandIDs[event]
            precondition(
                command >= 0 && Int(command) < commands.count && !commands.isReserved(command),
                "event \(event): command id \(command)")
            precondition(
                parameterOffsets[event] <= parameterOffsets[event + 1], "event \(event): parameter offsets decrease")
            for occurrence in self.parameters(ofEvent: event) {
                let p = parameterIDs[occurrence], v = valueIDs[occurrence]
                precondition(
                    p >= 0 && Int(p) < parameters.count && !parameters.isReserved(p),
                    "occurrence \(occurrence): parameter id \(p)")
                precondition(lastEvent[Int(p)] != event, "event \(event) names parameter \(parameters[p]) twice")
                lastEvent[Int(p)] = event
                precondition(
                    v == SessionStore.noValue
                        || (v >= 0 && Int(v) < values.count && values.parameterOfPair[Int(v)] == p),
                    "occurrence \(occurrence): value id \(v) is not a pair of parameter \(p)")
            }
        }
        #endif
    }
}
