/// How much of each event a model looks at (docs/SPEC.md §1).
///
/// The type changes only the per-event parameter factor; the Markov chain over
/// commands, the smoothing and the window search are shared by all three.
public enum SessionType: String, Sendable, CaseIterable, Codable {
    /// Command names only.
    case commands = "cmds"
    /// Command names and the set of parameter names of each event.
    case parameters = "params"
    /// Command names, parameter names and the parameters' categorical values.
    case values = "values"

    /// Whether the parameter factor is modelled.
    @inlinable public var usesParameters: Bool { self != .commands }
    /// Whether values of modellable parameters are modelled.
    @inlinable public var usesValues: Bool { self == .values }
}
