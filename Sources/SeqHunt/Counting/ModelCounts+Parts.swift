extension ModelCounts {
    /// Raw counts in a compact, self-describing form: what a model file stores.
    ///
    /// Ids are dense and local to the parts: command id `3 + i` is
    /// `commandNames[i]` (0, 1 and 2 are START, END and UNK), parameter id `1 + i` is
    /// `parameterNames[i]` (0 is UNK), and pair `i` is
    /// (`pairParameters[i]`, `pairValues[i]`) with count `pairCounts[i]`.
    /// Matrix entries are strictly ascending by (row, column) and positive.
    public struct Parts: Sendable, Equatable {
        public var type: SessionType
        public var sessionCount: Int
        public var eventCount: Int
        public var commandNames: [String]
        public var parameterNames: [String]
        public var pairParameters: [Int32]
        public var pairValues: [String]
        public var pairCounts: [Double]
        /// `seq2` cells.
        public var transitions: [CountEntry]
        /// `cmdParam` cells (empty for `cmds`).
        public var commandParameters: [CountEntry]

        public init(
            type: SessionType, sessionCount: Int, eventCount: Int, commandNames: [String],
            parameterNames: [String], pairParameters: [Int32], pairValues: [String], pairCounts: [Double],
            transitions: [CountEntry], commandParameters: [CountEntry]
        ) {
            self.type = type
            self.sessionCount = sessionCount
            self.eventCount = eventCount
            self.commandNames = commandNames
            self.parameterNames = parameterNames
            self.pairParameters = pairParameters
            self.pairValues = pairValues
            self.pairCounts = pairCounts
            self.transitions = transitions
            self.commandParameters = commandParameters
        }
    }

    /// The counts as ``Parts``, keeping only the commands, parameters and pairs with
    /// non-zero counts. The parts are canonical: names are numbered in the order of
    /// their UTF-8 bytes and pairs by (parameter, value), so the same counts give the
    /// same parts however the training data happened to be ordered or split. A model
    /// derived from the parts gives the same probabilities, bit for bit, as `self`.
    /// - Complexity: O(V log V) for V names and pairs, plus O(N log N) for N non-zero cells.
    public var parts: Parts {
        let seq1 = unigramCounts()
        let reserved = commands.reservedCount
        var commandMap = [Int32](repeating: -1, count: commands.count)
        for id in 0..<reserved { commandMap[id] = Int32(id) }
        let commandNames = Self.sortedByBytes((reserved..<commands.count).filter { seq1[$0] > 0 }, commands)
        for (i, id) in commandNames.enumerated() { commandMap[id] = Int32(reserved + i) }

        let parameterTotals = parameterCounts()
        var parameterMap = [Int32](repeating: -1, count: parameters.count)
        let parameterIDs = Self.sortedByBytes(
            (parameters.reservedCount..<parameters.count).filter {
                $0 < parameterTotals.count && parameterTotals[$0] > 0
            }, parameters)
        for (i, id) in parameterIDs.enumerated() { parameterMap[id] = Int32(parameters.reservedCount + i) }

        var pairs = valueCounts.indices.filter { valueCounts[$0] > 0 }
        let parameterOfPair = values.parameterOfPair
        pairs.sort { a, b in
            let pa = parameterMap[Int(parameterOfPair[a])], pb = parameterMap[Int(parameterOfPair[b])]
            if pa != pb { return pa < pb }
            return values.valuePrecedes(Int32(a), Int32(b))
        }
        func remap(_ matrix: CountMatrix, columns: [Int32]) -> [CountEntry] {
            var out = matrix.entries.map {
                CountEntry(row: commandMap[Int($0.row)], column: columns[Int($0.column)], count: $0.count)
            }
            out.sort { ($0.row, $0.column) < ($1.row, $1.column) }
            return out
        }
        return Parts(
            type: type, sessionCount: sessionCount, eventCount: eventCount,
            commandNames: commandNames.map { commands[Int32($0)] },
            parameterNames: parameterIDs.map { parameters[Int32($0)] },
            pairParameters: pairs.map { parameterMap[Int(parameterOfPair[$0])] },
            pairValues: pairs.map { values.valueOfPair[$0] }, pairCounts: pairs.map { valueCounts[$0] },
            transitions: remap(transitions, columns: commandMap),
            commandParameters: remap(commandParameters, columns: parameterMap))
    }

    /// `ids` ordered by the UTF-8 bytes of their names in `vocabulary`.
    static func sortedByBytes(_ ids: [Int], _ vocabulary: Vocabulary) -> [Int] {
        ids.sorted { vocabulary.precedes(Int32($0), Int32($1)) }
    }

    /// Counts from ``Parts``, after checking that they are counts some training could
    /// have produced: the first failed check is thrown as ``ModelError/invalidCounts(_:)``.
    ///
    /// Checked: unique names; ids inside the vocabularies; entries strictly ascending;
    /// counts that are positive integers below 2^53; nothing enters START, leaves END
    /// or touches UNK; every command is entered as often as it is left; START is left
    /// and END entered once per session; the events add up; no parameter is counted
    /// more often than its command, and no parameter's values more often than it; the
    /// type's unused parts are empty.
    /// - Complexity: O(vocabularies + entries), expected.
    public init(parts: Parts) throws(ModelError) {
        let type = parts.type
        guard parts.sessionCount >= 0, parts.eventCount >= 0,
            parts.sessionCount <= maximumCount - parts.eventCount
        else {
            throw ModelError.invalidCounts("session and event counts must be at least 0 and add up to at most 2^53")
        }
        if !type.usesParameters, !parts.parameterNames.isEmpty || !parts.commandParameters.isEmpty {
            throw ModelError.invalidCounts("a cmds model has parameter counts")
        }
        if !type.usesValues, !parts.pairValues.isEmpty {
            throw ModelError.invalidCounts("a \(type.rawValue) model has value counts")
        }
        guard parts.pairParameters.count == parts.pairValues.count, parts.pairValues.count == parts.pairCounts.count
        else {
            throw ModelError.invalidCounts("value pairs and their counts differ in number")
        }
        guard parts.commandNames.count < Int(Int32.max) - 3, parts.parameterNames.count < Int(Int32.max) - 1 else {
            throw ModelError.invalidCounts("too many names")
        }
        // The names (hashing) and the numbers (checks and matrices) are independent:
        // one core each. The vocabularies' error, if any, is reported first.
        let vocabularies = ParallelSlots<Result<(Vocabulary, Vocabulary, ValueVocabulary), ModelError>>(count: 1)
        let matrices = ParallelSlots<Result<(CountMatrix, CountMatrix), ModelError>>(count: 1)
        Parallel.run(chunks: 2) { task in
            if task == 0 {
                vocabularies.set(0, Result { () throws(ModelError) in try Self.vocabularies(of: parts) })
            } else {
                matrices.set(0, Result { () throws(ModelError) in try Self.matrices(of: parts) })
            }
        }
        let (commands, parameters, values) = try vocabularies.take(0).get()
        let (transitions, commandParameters) = try matrices.take(0).get()
        self.type = type
        self.commands = commands
        self.parameters = parameters
        self.values = values
        self.sessionCount = parts.sessionCount
        self.eventCount = parts.eventCount
        self.transitions = transitions
        self.commandParameters = commandParameters
        self.valueCounts = parts.pairCounts
    }

    /// The vocabularies of `parts`, checking that no name or pair repeats and that
    /// every pair names a parameter and a value.
    static func vocabularies(of parts: Parts) throws(ModelError) -> (Vocabulary, Vocabulary, ValueVocabulary) {
        func vocabulary(_ empty: Vocabulary, _ names: [String], _ kind: String) throws(ModelError) -> Vocabulary {
            var vocabulary = empty
            vocabulary.reserveCapacity(adding: names.count)
            for name in names {
                let before = vocabulary.count
                vocabulary.intern(name)
                if vocabulary.count == before { throw ModelError.invalidCounts("\(kind) \"\(name)\" is listed twice") }
            }
            return vocabulary
        }
        let commands = try vocabulary(.commands(), parts.commandNames, "command")
        let parameters = try vocabulary(.parameters(), parts.parameterNames, "parameter")
        var values = ValueVocabulary()
        values.reserveCapacity(adding: parts.pairValues.count)
        for i in parts.pairValues.indices {
            let p = parts.pairParameters[i]
            guard p >= 1, Int(p) < parameters.count else {
                throw ModelError.invalidCounts("value pair \(i) names parameter id \(p), out of range")
            }
            guard !parts.pairValues[i].isEmpty else {
                throw ModelError.invalidCounts("value pair \(i) has an empty value")
            }
            let before = values.count
            values.intern(parameter: p, value: parts.pairValues[i])
            if values.count == before { throw ModelError.invalidCounts("value pair \(i) is listed twice") }
        }
        return (commands, parts.type.usesParameters ? parameters : .parameters(), values)
    }

    /// The count matrices of `parts`, after the checks on the numbers (see ``init(parts:)``).
    static func matrices(of parts: Parts) throws(ModelError) -> (CountMatrix, CountMatrix) {
        func invalid(_ cause: String) -> ModelError { .invalidCounts(cause) }
        let reserved = CommandToken.names.count
        let nCommands = reserved + parts.commandNames.count
        let nParameters = ParameterToken.names.count + parts.parameterNames.count
        func command(_ id: Int) -> String { id < reserved ? CommandToken.names[id] : parts.commandNames[id - reserved] }

        // seq2: ranges, order, and the flow of every state.
        let start = Int32(CommandToken.start), end = Int32(CommandToken.end), unknown = Int32(CommandToken.unknown)
        var leaving = [Double](repeating: 0, count: nCommands)
        var entering = [Double](repeating: 0, count: nCommands)
        try checkEntries(parts.transitions, rows: nCommands, columns: nCommands, name: "transition")
        for e in parts.transitions {
            if e.column == start || e.row == end || e.row == unknown || e.column == unknown {
                throw invalid("transition \(e.row) → \(e.column) involves a token it cannot")
            }
            leaving[Int(e.row)] += e.count
            entering[Int(e.column)] += e.count
            // Sums stay exact (and convertible to Int) only up to 2^53; real counts never get near.
            guard leaving[Int(e.row)] <= maximumCountDouble, entering[Int(e.column)] <= maximumCountDouble else {
                throw invalid("transition counts add up to more than 2^53")
            }
        }
        let sessions = Double(parts.sessionCount)
        guard leaving[Int(start)] == sessions else {
            throw invalid("START is left \(Int(leaving[Int(start)])) times for \(parts.sessionCount) sessions")
        }
        guard entering[Int(end)] == sessions else {
            throw invalid("END is entered \(Int(entering[Int(end)])) times for \(parts.sessionCount) sessions")
        }
        var events = 0.0
        for id in reserved..<nCommands {
            guard leaving[id] == entering[id] else {
                throw invalid(
                    "command \"\(command(id))\" is entered \(Int(entering[id])) times but left \(Int(leaving[id]))")
            }
            events += leaving[id]
            guard events <= maximumCountDouble else { throw invalid("the transitions hold more than 2^53 events") }
        }
        guard events == Double(parts.eventCount) else {
            throw invalid("the transitions hold \(Int(events)) events, the header \(parts.eventCount)")
        }

        // cmdParam and paramValue: no part counted more often than what holds it.
        try checkEntries(parts.commandParameters, rows: nCommands, columns: nParameters, name: "parameter")
        var parameterTotals = [Double](repeating: 0, count: nParameters)
        for e in parts.commandParameters {
            guard e.row >= Int32(reserved), e.column >= 1 else {
                throw invalid("parameter cell \(e.row), \(e.column) involves a token")
            }
            guard e.count <= leaving[Int(e.row)] else {
                throw invalid(
                    "parameter \"\(parts.parameterNames[Int(e.column) - 1])\" is counted more often than command \"\(command(Int(e.row)))\""
                )
            }
            parameterTotals[Int(e.column)] += e.count
            guard parameterTotals[Int(e.column)] <= maximumCountDouble else {
                throw invalid("parameter counts add up to more than 2^53")
            }
        }
        var valueTotals = [Double](repeating: 0, count: nParameters)
        for i in parts.pairCounts.indices {
            guard isCount(parts.pairCounts[i]) else {
                throw invalid("value pair \(i) has count \(parts.pairCounts[i])")
            }
            let p = Int(parts.pairParameters[i])
            if p >= 1 && p < nParameters { valueTotals[p] += parts.pairCounts[i] }
            if p >= 1 && p < nParameters && valueTotals[p] > maximumCountDouble {
                throw invalid("value counts add up to more than 2^53")
            }
        }
        for p in 1..<max(nParameters, 1) where valueTotals[p] > parameterTotals[p] {
            throw invalid("the values of parameter \"\(parts.parameterNames[p - 1])\" are counted more often than it")
        }
        // The entries were checked to ascend strictly: they are the matrices' cells as they stand.
        let usesParameters = parts.type.usesParameters
        return (
            CountMatrix(rows: nCommands, columns: nCommands, ascending: parts.transitions),
            CountMatrix(
                rows: usesParameters ? nCommands : 0, columns: usesParameters ? nParameters : 0,
                ascending: parts.commandParameters)
        )
    }

    /// Whether `x` is a count: a positive integer that a `Double` holds exactly.
    static func isCount(_ x: Double) -> Bool {
        x >= 1 && x <= maximumCountDouble && x == x.rounded(.towardZero)
    }

    /// Checks that `entries` lie inside the matrix, ascend strictly and hold counts.
    static func checkEntries(_ entries: [CountEntry], rows: Int, columns: Int, name: String) throws(ModelError) {
        var previous: (Int32, Int32) = (-1, -1)
        for e in entries {
            guard e.row >= 0, Int(e.row) < rows, e.column >= 0, Int(e.column) < columns else {
                throw ModelError.invalidCounts(
                    "\(name) cell \(e.row), \(e.column) is outside the \(rows) × \(columns) matrix")
            }
            guard (e.row, e.column) > previous else {
                throw ModelError.invalidCounts("\(name) cells are not in ascending order at \(e.row), \(e.column)")
            }
            guard isCount(e.count) else {
                throw ModelError.invalidCounts("\(name) cell \(e.row), \(e.column) has count \(e.count)")
            }
            previous = (e.row, e.column)
        }
    }
}

/// The largest count a model holds: 2^53, below which every integer and every sum of
/// counts is exact in a `Double`.
let maximumCount = 1 << 53
let maximumCountDouble = Double(maximumCount)
