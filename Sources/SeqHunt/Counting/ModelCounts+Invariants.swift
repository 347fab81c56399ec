extension ModelCounts {
    /// Checks the counts' invariants (in builds with `SEQHUNT_INTERNAL_CHECKS`, debug and the
    /// sanitizers'; a release build returns at once):
    ///
    /// - the matrices fit the vocabularies (commands × commands, commands × parameters) and
    ///   there is one value count per pair;
    /// - every count is a whole number from 0 to 2^53;
    /// - START is left once per session, END entered once per session, and no transition
    ///   enters START or leaves END;
    /// - the type's unused tables are empty.
    ///
    /// Training, merging and loading produce only counts that pass; ``init(parts:)``
    /// refuses any others with ``ModelError/invalidCounts(_:)``, in every build.
    /// - Complexity: O(cells + pairs).
    public func checkInvariants() {
        #if SEQHUNT_INTERNAL_CHECKS
        let n = commands.count
        precondition(transitions.rows == n && transitions.columns == n, "transitions are not commands × commands")
        precondition(valueCounts.count == values.count, "one value count per pair")
        func whole(_ x: Double) -> Bool { x >= 0 && x <= 9_007_199_254_740_992 && x.rounded() == x }
        var leavingStart = 0.0, enteringEnd = 0.0
        for row in 0..<n {
            transitions.forEachNonZero(inRow: row) { column, count in
                precondition(whole(count), "transition count \(count)")
                precondition(
                    column != Int(CommandToken.start) && row != Int(CommandToken.end),
                    "a transition into START or out of END")
                if row == Int(CommandToken.start) { leavingStart += count }
                if column == Int(CommandToken.end) { enteringEnd += count }
            }
        }
        precondition(
            leavingStart == Double(sessionCount) && enteringEnd == Double(sessionCount),
            "START and END do not match the sessions")
        if type.usesParameters {
            precondition(
                commandParameters.rows == n && commandParameters.columns == parameters.count,
                "parameter counts are not commands × parameters")
            for row in 0..<n {
                commandParameters.forEachNonZero(inRow: row) { _, count in
                    precondition(whole(count), "parameter count \(count)")
                }
            }
        }
        if !type.usesValues {
            precondition(valueCounts.allSatisfy { $0 == 0 }, "value counts in a \(type.rawValue) model")
        }
        for count in valueCounts { precondition(whole(count), "value count \(count)") }
        #endif
    }
}
