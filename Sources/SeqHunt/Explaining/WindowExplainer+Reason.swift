import Foundation
import SeqHuntSupport

extension WindowExplainer {
    /// The name of a command id of the store (`START` and `END` for the tokens).
    public func commandName(_ id: Int32) -> String {
        switch id {
        case CommandToken.start: return "START"
        case CommandToken.end: return "END"
        case CommandToken.unknown: return "UNK"
        default: return store.commands[id]
        }
    }

    /// The parameter name of a term, `nil` for terms about no parameter and for the
    /// smoothing column ("any unseen parameter").
    public func parameterName(of term: ExplanationTerm) -> String? {
        switch term.kind {
        case .parameter, .value:
            return term.parameter == ParameterToken.unknown ? nil : model.counts.parameters[term.parameter]
        case .unscoredParameter: return store.parameters[term.parameter]
        default: return nil
        }
    }

    /// The value of a `value` term, `nil` when the parameter had none (or for other kinds).
    public func valueText(of term: ExplanationTerm) -> String? {
        term.kind == .value && term.value >= 0 ? store.values.valueOfPair[Int(term.value)] : nil
    }

    /// One line saying why the window is rare: its rarest term and how rare it is, and
    /// the next rarest too when that one was never seen in training or weighs at least
    /// half as much; for example
    /// `New-InboxRule after Set-Mailbox never seen (UNK); ForwardingSmtpAddress=smtp:x@evil.test unseen value (UNK)`.
    /// Log text in it is escaped onto one line and long names are shortened.
    public func reason<C: Collection>(for terms: C) -> String where C.Element == ExplanationTerm {
        var first: ExplanationTerm? = nil, second: ExplanationTerm? = nil
        // The smoothing column ("no unseen parameter") has a zero count by construction and is
        // never what makes a window rare: it is left out.
        for term in terms
        where term.contribution < 0 && !(term.kind == .parameter && term.parameter == ParameterToken.unknown) {
            if first == nil || term.contribution < first!.contribution {
                second = first
                first = term
            } else if second == nil || term.contribution < second!.contribution {
                second = term
            }
        }
        guard let first else { return "" }
        var text = phrase(first)
        if let second, second.unseen || second.contribution <= first.contribution / 2 {
            text += "; " + phrase(second)
        }
        return text
    }

    /// The reason (``reason(for:)``) of `session`'s rarest window as `scores` holds it, or
    /// `nil` when the session has none.
    /// - Parameters:
    ///   - session: the session's index in the store.
    ///   - scores: the scored column of the window length to explain.
    public func reason(ofSession session: Int, scores: SessionScores.RarestWindowColumn) -> String? {
        explain(session: session, scores: scores).map { reason(for: $0.terms) }
    }

    /// One term in words.
    public func phrase(_ term: ExplanationTerm) -> String {
        func short(_ text: String) -> String {
            let line = oneLine(text)
            return line.count > 60 ? String(line.prefix(59)) + "…" : line
        }
        let p = "p=" + Self.scientific(exp(term.logProbability))
        let seen = "seen " + (term.count == 1 ? "once" : "\(Int(term.count)) times") + ", \(p)"
        let command = short(commandName(term.command))
        let unseen = term.unseen
        switch term.kind {
        case .start:
            return unseen ? "\(command) never opens a session (UNK)" : "session opens with \(command) (\(seen))"
        case .prior:
            return unseen ? "\(command) never seen (UNK)" : "\(command) is rare (\(seen))"
        case .transition:
            let previous = short(commandName(term.previous))
            return unseen ? "\(command) after \(previous) never seen (UNK)" : "\(command) after \(previous) (\(seen))"
        case .end:
            let previous = short(commandName(term.previous))
            return unseen ? "session never ends after \(previous) (UNK)" : "session ends after \(previous) (\(seen))"
        case .parameter:
            let share = "\(Int(term.count)) of \(Int(term.total)), \(p)"
            guard let name = parameterName(of: term).map(short) else {
                return "\(command) with no unseen parameter (\(p))"
            }
            return term.present
                ? "\(command) with \(name) (\(share))"
                : "\(command) without \(name) (\(Int(term.total - term.count)) of \(Int(term.total)), \(p))"
        case .value:
            let name = parameterName(of: term).map(short) ?? "?"
            guard let value = valueText(of: term).map(short) else { return "\(name) without a value (UNK)" }
            return unseen
                ? "\(name)=\(value) unseen value (UNK)"
                : "\(name)=\(value) (\(Int(term.count)) of \(Int(term.total)), \(p))"
        case .unscoredParameter:
            return "\(parameterName(of: term).map(short) ?? "?") never seen with \(command) (not scored)"
        }
    }

    /// `x` in scientific notation with one decimal, as `%.1e` writes it (`9.5e-04`), without
    /// Foundation's formatter: a million reasons call it twice each.
    package static func scientific(_ x: Double) -> String {
        guard x > 0 && x.isFinite else { return x == 0 ? "0.0e+00" : "\(x)" }
        var exponent = Int((log10(x)).rounded(.down))
        var tenths = Int((x / pow(10, Double(exponent)) * 10).rounded())
        if tenths >= 100 {
            tenths = (tenths + 5) / 10
            exponent += 1
        }
        if tenths < 10 {
            tenths *= 10
            exponent -= 1
        }
        let e = abs(exponent)
        return "\(tenths / 10).\(tenths % 10)e\(exponent < 0 ? "-" : "+")\(e < 10 ? "0" : "")\(e)"
    }
}
