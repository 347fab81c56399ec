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
        withParameterName(of: term) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// Calls `body` with the UTF-8 bytes of ``parameterName(of:)``, or `nil` where it has none.
    func withParameterName<R>(of term: ExplanationTerm, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        switch term.kind {
        case .parameter, .value:
            guard term.parameter != ParameterToken.unknown else { return body(nil) }
            return model.counts.parameters.withBytes(of: term.parameter) { body($0) }
        case .unscoredParameter: return store.parameters.withBytes(of: term.parameter) { body($0) }
        default: return body(nil)
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
        var line: [UInt8] = []
        appendReason(for: Array(terms), to: &line)
        return String(decoding: line, as: UTF8.self)
    }

    /// Appends the UTF-8 bytes of ``reason(for:)`` to `line`: the scores writer writes a
    /// reason per session and window without a `String`.
    package func appendReason(for terms: [ExplanationTerm], to line: inout [UInt8]) {
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
        guard let first else { return }
        appendPhrase(first, to: &line)
        if let second, second.unseen || second.contribution <= first.contribution / 2 {
            line.append(0x3B)
            line.append(0x20)
            appendPhrase(second, to: &line)
        }
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
        var line: [UInt8] = []
        appendPhrase(term, to: &line)
        return String(decoding: line, as: UTF8.self)
    }

    /// Appends the UTF-8 bytes of ``phrase(_:)`` to `line`.
    package func appendPhrase(_ term: ExplanationTerm, to line: inout [UInt8]) {
        func text(_ literal: StaticString) {
            line.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        }
        func number(_ value: Double) { Self.appendDecimal(Int(value), to: &line) }
        func p() {
            text("p=")
            Self.appendScientific(exp(term.logProbability), to: &line)
        }
        func seen() {
            text("seen ")
            if term.count == 1 {
                text("once")
            } else {
                number(term.count)
                text(" times")
            }
            text(", ")
            p()
        }
        func command(_ id: Int32) {
            if store.commands.isReserved(id) {
                line.append(contentsOf: commandName(id).utf8)  // START, END or UNK
            } else {
                store.commands.withBytes(of: id) { Self.appendShortened($0, to: &line) }
            }
        }
        /// The parameter's name, shortened; false for none (the smoothing column, or no parameter).
        func parameter() -> Bool {
            withParameterName(of: term) { name in
                guard let name else { return false }
                Self.appendShortened(name, to: &line)
                return true
            }
        }
        let unseen = term.unseen
        switch term.kind {
        case .start:
            if unseen {
                command(term.command)
                text(" never opens a session (UNK)")
            } else {
                text("session opens with ")
                command(term.command)
                text(" (")
                seen()
                text(")")
            }
        case .prior:
            command(term.command)
            if unseen {
                text(" never seen (UNK)")
            } else {
                text(" is rare (")
                seen()
                text(")")
            }
        case .transition:
            command(term.command)
            text(" after ")
            command(term.previous)
            if unseen {
                text(" never seen (UNK)")
            } else {
                text(" (")
                seen()
                text(")")
            }
        case .end:
            text(unseen ? "session never ends after " : "session ends after ")
            command(term.previous)
            if unseen {
                text(" (UNK)")
            } else {
                text(" (")
                seen()
                text(")")
            }
        case .parameter:
            command(term.command)
            let mark = line.count
            text(term.present ? " with " : " without ")
            guard parameter() else {
                line.removeSubrange(mark...)
                text(" with no unseen parameter (")
                p()
                text(")")
                return
            }
            text(" (")
            number(term.present ? term.count : term.total - term.count)
            text(" of ")
            number(term.total)
            text(", ")
            p()
            text(")")
        case .value:
            if !parameter() { text("?") }
            guard term.value >= 0 else {
                text(" without a value (UNK)")
                return
            }
            text("=")
            store.values.withValueBytes(ofPair: term.value) { Self.appendShortened($0, to: &line) }
            if unseen {
                text(" unseen value (UNK)")
            } else {
                text(" (")
                number(term.count)
                text(" of ")
                number(term.total)
                text(", ")
                p()
                text(")")
            }
        case .unscoredParameter:
            if !parameter() { text("?") }
            text(" never seen with ")
            command(term.command)
            text(" (not scored)")
        }
    }

    /// Appends `name`, made one line (``oneLine(_:)``) and cut to 59 characters and an
    /// ellipsis when it is longer than 60. Printable ASCII, which nearly every name is, is
    /// measured in bytes; anything else goes through `String`, whose characters are
    /// grapheme clusters.
    static func appendShortened(_ name: UnsafeRawBufferPointer, to line: inout [UInt8]) {
        if !name.contains(where: { $0 < 0x20 || $0 > 0x7E }) {
            if name.count > 60 {
                line.append(contentsOf: name.prefix(59))
                line.append(contentsOf: "…".utf8)
            } else {
                line.append(contentsOf: name)
            }
            return
        }
        let text = oneLine(String(decoding: name, as: UTF8.self))
        line.append(contentsOf: (text.count > 60 ? String(text.prefix(59)) + "…" : text).utf8)
    }

    /// Appends the decimal digits of `value`.
    static func appendDecimal(_ value: Int, to line: inout [UInt8]) {
        DecimalDigits.withDigits(of: value) { line.append(contentsOf: $0) }
    }

    /// `x` in scientific notation with one decimal, as `%.1e` writes it (`9.5e-04`), without
    /// Foundation's formatter: a million reasons call it twice each.
    package static func scientific(_ x: Double) -> String {
        var text: [UInt8] = []
        appendScientific(x, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the UTF-8 bytes of ``scientific(_:)`` to `line`.
    static func appendScientific(_ x: Double, to line: inout [UInt8]) {
        guard x > 0 && x.isFinite else {
            line.append(contentsOf: (x == 0 ? "0.0e+00" : "\(x)").utf8)
            return
        }
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
        line.append(0x30 + UInt8(tenths / 10))
        line.append(0x2E)
        line.append(0x30 + UInt8(tenths % 10))
        line.append(0x65)
        line.append(exponent < 0 ? 0x2D : 0x2B)
        if e < 10 { line.append(0x30) }
        appendDecimal(e, to: &line)
    }
}
