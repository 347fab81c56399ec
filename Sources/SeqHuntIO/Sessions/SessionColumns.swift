/// The list columns of a sessions file.
///
/// By default the commands are in `cmds` (what the seed KQL query exports) or, for a
/// file written from msticpy's `sessionize_data`, in `<event column>_list`
/// (`Operation_list`); the parameters are in `params`.
public struct SessionColumns: Sendable, Equatable {
    /// The commands column (`--cmds-col`), a JSON array of names; nil: the defaults above.
    public var commands: String?
    /// The parameters column (`--params-list-col`); nil: `params`.
    public var parameters: String?

    public init(commands: String? = nil, parameters: String? = nil) {
        self.commands = commands
        self.parameters = parameters
    }

    /// The parameters column's name.
    var parametersName: String { parameters ?? "params" }

    /// The commands column among `names`, or nil when the input holds no sessions.
    func commandsColumn(in names: [String], eventColumn: String) -> String? {
        if let commands { return names.contains(commands) ? commands : nil }
        if names.contains("cmds") { return "cmds" }
        if names.contains(eventColumn + "_list") { return eventColumn + "_list" }
        return nil
    }
}
