import Foundation

/// A state of the command chain, for reading a model's probabilities.
public enum CommandState: Sendable, Hashable {
    /// The START state before the first command.
    case start
    /// The END state after the last command.
    case end
    /// A command by name; a name the model never saw reads as UNK.
    case command(String)
}

extension Model {
    /// The model id of `state`: the command's id, or UNK when the model never saw it.
    func stateID(_ state: CommandState) -> Int {
        switch state {
        case .start: return Int(CommandToken.start)
        case .end: return Int(CommandToken.end)
        case .command(let name):
            if let id = counts.commands.id(of: name), isKnownCommand[Int(id)] { return Int(id) }
            return Int(CommandToken.unknown)
        }
    }

    /// `prior[x]` (docs/SPEC.md §4), exactly as msticpy computes it.
    public func priorProbability(of state: CommandState) -> Double {
        var total = 0.0
        for id in smoothedUnigram.indices where isKnownCommand[id] { total += smoothedUnigram[id] }
        return smoothedUnigram[stateID(state)] / total
    }

    /// `trans[a][b]` (docs/SPEC.md §4): unseen rows and columns fall back to UNK.
    public func transitionProbability(from a: CommandState, to b: CommandState) -> Double {
        exp(transitionTable.logProbability(from: stateID(a), to: stateID(b)))
    }

    /// `q[c][p]`, the probability that `parameter` is present given `command`
    /// (an independent Bernoulli per parameter; docs/SPEC.md §4). A parameter never seen with
    /// the command reads the command's UNK column.
    public func parameterProbability(_ parameter: String, given command: CommandState) -> Double {
        guard type.usesParameters else { return 0 }
        let c = stateID(command)
        let seen = counts.parameters.id(of: parameter).map { counts.commandParameters[c, Int($0)] } ?? 0
        return (seen + 1) / smoothedUnigram[c]
    }

    /// `r[p][v]`, the probability of `value` given `parameter` (categorical; docs/SPEC.md §4).
    /// An unseen value, an empty value and an unseen parameter read the UNK fall-backs.
    public func valueProbability(_ value: String, given parameter: String) -> Double {
        guard type.usesValues, let p = counts.parameters.id(of: parameter), isKnownParameter[Int(p)] else { return 1 }
        if !value.isEmpty, let pair = counts.values.id(parameter: p, value: value), counts.valueCounts[Int(pair)] > 0 {
            return exp(logValue[Int(pair)])
        }
        return exp(logUnknownValue[Int(p)])
    }

    /// How many commands the model saw in training (the START, END and UNK tokens not counted).
    public var commandCount: Int { stateCount - CommandToken.names.count }

    /// The commands of the model (not the tokens), in id order.
    public var knownCommands: [String] {
        (counts.commands.reservedCount..<counts.commands.count).filter { isKnownCommand[$0] }.map {
            counts.commands[Int32($0)]
        }
    }
}
