extension ModelCounts {
    /// The sum of several models' counts: what training on all their sessions
    /// together would have counted.
    ///
    /// Vocabularies are united by name (first appearance first), every count is
    /// re-indexed and summed. Counts are integers below 2^53, so the sums, and every
    /// probability a ``Model`` derives from them, are the same bit for bit as those
    /// of training on the union, whatever the order of the parts.
    /// - Throws: ``ModelError/typeMismatch(_:_:)`` when the types differ,
    ///   ``ModelError/noSessions`` for an empty list.
    /// - Complexity: O(total vocabulary + total non-zero cells), expected, plus
    ///   sorting each merged row by column in the sparse form.
    public static func merged(_ all: [ModelCounts]) throws(ModelError) -> ModelCounts {
        guard let first = all.first else { throw ModelError.noSessions }
        for other in all.dropFirst() where other.type != first.type {
            throw ModelError.typeMismatch(first.type, other.type)
        }
        if all.count == 1 { return first }
        let type = first.type
        var commands = Vocabulary.commands()
        var parameters = Vocabulary.parameters()
        var values = ValueVocabulary()
        var valueCounts: [Double] = []
        var transitionEntries: [CountEntry] = [], parameterEntries: [CountEntry] = []
        var sessions = 0, events = 0
        for counts in all {
            sessions += counts.sessionCount
            events += counts.eventCount
            // Every cell is at most sessions + events: below 2^53, every sum stays exact.
            guard sessions <= maximumCount - events else {
                throw ModelError.invalidCounts("the merged models hold more than 2^53 sessions and events")
            }
            let commandMap = (0..<Int32(counts.commands.count)).map { commands.intern($0, of: counts.commands) }
            let parameterMap = (0..<Int32(counts.parameters.count)).map { parameters.intern($0, of: counts.parameters) }
            for e in counts.transitions.entries {
                transitionEntries.append(
                    CountEntry(row: commandMap[Int(e.row)], column: commandMap[Int(e.column)], count: e.count))
            }
            for e in counts.commandParameters.entries {
                parameterEntries.append(
                    CountEntry(row: commandMap[Int(e.row)], column: parameterMap[Int(e.column)], count: e.count))
            }
            let parameterOfPair = counts.values.parameterOfPair
            for pair in counts.valueCounts.indices where counts.valueCounts[pair] > 0 {
                let id = Int(
                    values.intern(Int32(pair), of: counts.values, parameter: parameterMap[Int(parameterOfPair[pair])]))
                if id == valueCounts.count { valueCounts.append(0) }
                valueCounts[id] += counts.valueCounts[pair]
            }
        }
        let nCommands = commands.count
        let nParameters = type.usesParameters ? parameters.count : 0
        return ModelCounts(
            type: type, commands: commands, parameters: type.usesParameters ? parameters : .parameters(),
            values: values, sessionCount: sessions, eventCount: events,
            transitions: CountMatrix(rows: nCommands, columns: nCommands, summing: transitionEntries),
            commandParameters: CountMatrix(
                rows: type.usesParameters ? nCommands : 0, columns: nParameters,
                summing: parameterEntries),
            valueCounts: valueCounts)
    }
}
