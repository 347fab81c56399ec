import SeqHunt

/// The JSON cells that describe a session's events, written from names encoded once:
/// `cmds` and `params` in the "sessions in" format (docs/SPEC.md §9), and a window's `events`
/// as msticpy's `Cmd` objects carry them. The sessions and scores writers share it.
struct SessionCells {
    let store: SessionStore
    /// The store's names, each a JSON string literal.
    let commands: EncodedNames
    /// The parameters' and values' names, when asked for (empty otherwise).
    let parameters: EncodedNames
    let values: EncodedNames

    /// The cells of `store`'s sessions; with `commandsOnly`, only the commands' names are
    /// encoded (on a tenant's log, encoding its hundreds of thousands of distinct values takes
    /// longer than writing the narrow scores that do not show them).
    init(_ store: SessionStore, commandsOnly: Bool = false) {
        self.store = store
        commands = EncodedNames(store.commands)
        parameters = commandsOnly ? EncodedNames([String]()) : EncodedNames(store.parameters)
        values = commandsOnly ? EncodedNames([String]()) : EncodedNames(store.values)
    }

    /// A JSON array of the command names of events `range` (indices in the session) of `session`.
    func appendCommands(of session: Int, range: Range<Int>? = nil, to out: inout some ByteSink) {
        let events = store.events(ofSession: session)
        out.append(0x5B)
        for (i, event)
            in (range.map { (events.lowerBound + $0.lowerBound)..<(events.lowerBound + $0.upperBound) } ?? events)
            .enumerated()
        {
            if i > 0 { out.append(0x2C) }
            commands.append(Int(store.commandIDs[event]), to: &out)
        }
        out.append(0x5D)
    }

    /// `[{"<command>": [{"Name": ..., "Value": ...}, ...]}, ...]`: every event of `session`
    /// with its parameters (an empty string for no value), as the seed query exports them.
    func appendParameters(of session: Int, to out: inout some ByteSink) {
        out.append(0x5B)
        for (i, event) in store.events(ofSession: session).enumerated() {
            if i > 0 { out.append(0x2C) }
            out.append(0x7B)
            commands.append(Int(store.commandIDs[event]), to: &out)
            out.append(ascii: ":[")
            for (j, occurrence) in store.parameters(ofEvent: event).enumerated() {
                out.append(ascii: j > 0 ? ",{\"Name\":" : "{\"Name\":")
                parameters.append(Int(store.parameterIDs[occurrence]), to: &out)
                out.append(ascii: ",\"Value\":")
                let v = store.valueIDs[occurrence]
                if v >= 0 { values.append(Int(v), to: &out) } else { out.append(ascii: "\"\"") }
                out.append(0x7D)
            }
            out.append(ascii: "]}")
        }
        out.append(0x5D)
    }

    /// `[{"name": "<command>", "params": {"<name>": "<value>" or null, ...}}, ...]` for
    /// events `range` of `session`: msticpy's `Cmd` objects as JSON.
    func appendEvents(of session: Int, range: Range<Int>, to out: inout some ByteSink) {
        let first = store.events(ofSession: session).lowerBound
        out.append(0x5B)
        for (i, event) in ((first + range.lowerBound)..<(first + range.upperBound)).enumerated() {
            out.append(ascii: i > 0 ? ",{\"name\":" : "{\"name\":")
            commands.append(Int(store.commandIDs[event]), to: &out)
            out.append(ascii: ",\"params\":{")
            for (j, occurrence) in store.parameters(ofEvent: event).enumerated() {
                if j > 0 { out.append(0x2C) }
                parameters.append(Int(store.parameterIDs[occurrence]), to: &out)
                out.append(0x3A)
                let v = store.valueIDs[occurrence]
                if v >= 0 { values.append(Int(v), to: &out) } else { out.append(ascii: "null") }
            }
            out.append(ascii: "}}")
        }
        out.append(0x5D)
    }
}
