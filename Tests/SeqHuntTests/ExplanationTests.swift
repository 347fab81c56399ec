import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntTestSupport
import Testing

@Suite("Explained rarest windows")
struct ExplanationTests {
    @Test(
        "the contributions add up to the window's log likelihood, on every session, type, window, with and without tokens and geo mean",
        arguments: ["demo", "generated"])
    func sums(dataSet: String) throws {
        let table = try SessionReader.read(paths: [GoldenFiles.path("\(dataSet).sessions.jsonl")])
        let store = table.store
        var checked = 0
        for type in SessionType.allCases {
            let model = try Model(training: store, type: type)
            for tokens in [true, false] {
                for geo in [false, true] {
                    let options = ScoringOptions(
                        windowLengths: [1, 2, 3, 4], usesStartEndTokens: tokens, windowGeometricMean: geo)
                    let scores = try model.score(store, options: options)
                    let explainer = model.explainer(for: store, options: options)
                    var terms: [ExplanationTerm] = []
                    for column in scores.rarestWindows {
                        for s in 0..<store.sessionCount {
                            guard let window = column.window(ofSession: s, commands: store.events(ofSession: s).count)
                            else { continue }
                            terms.removeAll(keepingCapacity: true)
                            explainer.explain(session: s, window: window, into: &terms)
                            let sum = terms.reduce(0) { $0 + $1.contribution }
                            #expect(
                                abs(sum - window.logLikelihood) <= 1e-9,
                                "\(dataSet) \(type) tokens=\(tokens) geo=\(geo) k=\(column.length) session \(s): \(sum) vs \(window.logLikelihood)"
                            )
                            // Each kind appears where the model says it should.
                            let firstKind = terms.first!.kind
                            #expect(firstKind == (window.start == 0 && tokens ? .start : .prior))
                            if type == .commands {
                                #expect(
                                    terms.allSatisfy { ![.parameter, .value, .unscoredParameter].contains($0.kind) })
                            }
                            if type != .values { #expect(!terms.contains { $0.kind == .value }) }
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked > 1000)
    }

    @Test("the library call finds the kernel's window and explains it")
    func libraryCall() throws {
        let table = try SessionReader.read(paths: [GoldenFiles.path("demo.sessions.jsonl")])
        let model = try Model(training: table.store, type: .values)
        let scores = try model.score(table.store)
        for s in stride(from: 0, to: table.store.sessionCount, by: 7) {
            let explained = try model.explain(session: s, in: table.store, window: 3)
            let window = scores.rarestWindows[0].window(ofSession: s, commands: table.store.events(ofSession: s).count)
            #expect(explained?.window == window)
            if let explained { #expect(abs(explained.logLikelihood - window!.logLikelihood) <= 1e-9) }
        }
        #expect(throws: ScoringError.invalidWindowLength(0)) {
            try model.explain(session: 0, in: table.store, window: 0)
        }
    }

    /// A baseline where Set-Mailbox is followed by Get-Mailbox and always carries
    /// Identity and a `Forward` value from a small set.
    func baseline() throws -> Model {
        var sessions: [[Event]] = []
        for i in 0..<40 {
            var session = [
                Event(
                    command: "Set-Mailbox",
                    parameters: [
                        .init(name: "Identity", value: "user\(i % 3)"),
                        .init(name: "Forward", value: "smtp:team@contoso.com")
                    ]),
                Event(command: "Get-Mailbox", parameters: [.init(name: "Identity", value: "user\(i % 3)")])
            ]
            if i % 10 == 0 { session[0].parameters.append(.init(name: "Rare", value: "x")) }
            sessions.append(session)
        }
        return try Model(training: SessionStore(sessions), type: .values, modellableParameters: ["Forward"])
    }

    /// The reason and explanation of `session`'s rarest window; the default window
    /// length covers the whole of a two-command session (START, both, END).
    func reason(_ model: Model, _ session: [Event], window: Int = 3) throws -> (String, WindowExplanation) {
        let store = try SessionStore([session])
        let explained = try #require(try model.explain(session: 0, in: store, window: window))
        let explainer = model.explainer(for: store, options: ScoringOptions(windowLengths: [window]))
        return (explainer.reason(for: explained.terms), explained)
    }

    @Test("an unseen transition is the reason")
    func unseenTransition() throws {
        let model = try baseline()
        let (text, explained) = try reason(
            model,
            [
                Event(
                    command: "Set-Mailbox",
                    parameters: [
                        .init(name: "Identity", value: "user1"), .init(name: "Forward", value: "smtp:team@contoso.com")
                    ]),
                Event(command: "New-InboxRule")
            ])
        #expect(text.hasPrefix("New-InboxRule after Set-Mailbox never seen (UNK)"), "\(text)")
        let transition = try #require(explained.terms.first { $0.kind == .transition })
        #expect(transition.unseen && transition.count == 0)
    }

    @Test("an unseen value is the reason")
    func unseenValue() throws {
        let model = try baseline()
        let (text, explained) = try reason(
            model,
            [
                Event(
                    command: "Set-Mailbox",
                    parameters: [
                        .init(name: "Identity", value: "user1"), .init(name: "Forward", value: "smtp:x@evil.test")
                    ]),
                Event(command: "Get-Mailbox", parameters: [.init(name: "Identity", value: "user1")])
            ])
        #expect(text.contains("Forward=smtp:x@evil.test unseen value (UNK)"), "\(text)")
        let value = try #require(explained.terms.first { $0.kind == .value })
        #expect(value.unseen && value.present)
    }

    @Test("a rare parameter is the reason, with its count")
    func rareParameter() throws {
        let model = try baseline()
        let (text, explained) = try reason(
            model,
            [
                Event(
                    command: "Set-Mailbox",
                    parameters: [
                        .init(name: "Identity", value: "user1"), .init(name: "Forward", value: "smtp:team@contoso.com"),
                        .init(name: "Rare", value: "x")
                    ]),
                Event(command: "Get-Mailbox", parameters: [.init(name: "Identity", value: "user1")])
            ])
        #expect(text.hasPrefix("Set-Mailbox with Rare (4 of 40, p="), "\(text)")
        let rare = try #require(explained.terms.first { $0.kind == .parameter && $0.present && $0.count == 4 })
        #expect(rare.total == 40 && !rare.unseen)
        // A parameter the model never saw with the command is listed, and adds nothing.
        let (_, other) = try reason(
            model, [Event(command: "Get-Mailbox", parameters: [.init(name: "Forward", value: "y")])], window: 1)
        let unscored = try #require(other.terms.first { $0.kind == .unscoredParameter })
        #expect(unscored.contribution == 0)
    }

    @Test("the smoothing column (no unseen parameter) is never named as a reason, though its count is zero")
    func smoothingColumnIsNoReason() throws {
        let model = try baseline()
        // A command the model never saw, with a parameter: its only parameter term is the smoothing column.
        let (text, explained) = try reason(
            model, [Event(command: "Invoke-Evil", parameters: [.init(name: "X", value: "1")])], window: 1)
        #expect(
            explained.terms.contains { $0.kind == .parameter && $0.parameter == ParameterToken.unknown && $0.unseen })
        #expect(!text.contains("no unseen parameter"), "\(text)")
    }

    @Test("log text in a reason stays on one line")
    func oneLineReason() throws {
        let model = try baseline()
        let (text, _) = try reason(model, [Event(command: "Set-Mailbox"), Event(command: "evil\ncommand\u{1B}[31m")])
        #expect(!text.contains("\n") && !text.contains("\u{1B}"), "\(text)")
    }

    @Test("names in a reason are cut at 60 characters (graphemes, not bytes) and escaped onto one line")
    func shortenedNames() throws {
        let model = try baseline()
        let ascii = String(repeating: "Set-", count: 17) + "xy"  // 70 characters
        let (long, _) = try reason(model, [Event(command: "Set-Mailbox"), Event(command: ascii)])
        #expect(long.hasPrefix(String(ascii.prefix(59)) + "… after Set-Mailbox never seen (UNK)"), "\(long)")
        let exactly60 = String(repeating: "a", count: 60)
        let (kept, _) = try reason(model, [Event(command: "Set-Mailbox"), Event(command: exactly60)])
        #expect(kept.hasPrefix(exactly60 + " after Set-Mailbox"), "\(kept)")
        // 61 characters of two scalars each (e and a combining acute): cut after 59 of them.
        let accents = String(repeating: "e\u{301}", count: 61)
        let (accented, _) = try reason(model, [Event(command: "Set-Mailbox"), Event(command: accents)])
        #expect(accented.hasPrefix(String(repeating: "e\u{301}", count: 59) + "… after"), "\(accented)")
        // A control character is escaped before the name is measured.
        let tabbed = "a\t" + String(repeating: "b", count: 56)
        let (escaped, _) = try reason(model, [Event(command: "Set-Mailbox"), Event(command: tabbed)])
        #expect(escaped.hasPrefix("a\\t" + String(repeating: "b", count: 56) + " after"), "\(escaped)")
        let (valued, _) = try reason(
            model,
            [
                Event(
                    command: "Set-Mailbox",
                    parameters: [
                        .init(name: "Identity", value: "user1"), .init(name: "Forward", value: "smtp:\u{7F}ü" + ascii)
                    ]),
                Event(command: "Get-Mailbox", parameters: [.init(name: "Identity", value: "user1")])
            ])
        let value = "smtp:\\u{7F}ü" + ascii
        #expect(valued.contains("Forward=" + String(value.prefix(59)) + "… unseen value (UNK)"), "\(valued)")
    }

    @Test("probabilities in reasons read as %.1e writes them")
    func scientific() {
        var x = 1.234567e-300
        while x < 1e300 {
            let ours = WindowExplainer.scientific(x), printf = String(format: "%.1e", x)
            // Both round to one decimal; they may differ only on a value within rounding of a half.
            if ours != printf {
                let mantissa = x / pow(10, (log10(x)).rounded(.down)) * 10
                #expect(abs(mantissa - mantissa.rounded(.down) - 0.5) < 1e-6, "\(x): \(ours) vs \(printf)")
            }
            x *= 1.37
        }
        #expect(WindowExplainer.scientific(1) == "1.0e+00" && WindowExplainer.scientific(0.0102) == "1.0e-02")
    }
}
