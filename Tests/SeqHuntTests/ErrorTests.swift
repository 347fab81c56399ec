import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntSupport
import Testing

@Suite("Typed errors")
struct ErrorTests {
    @Test(
        "engine entry points throw their own error type, and every error is a SeqHuntError with a one-line description")
    func typedErrors() throws {
        let store = try SessionStore(commandSessions: [["A", "B"], ["A"]])
        let model = try Model(training: store, type: .commands)
        do {
            _ = try model.score(store, options: ScoringOptions(windowLengths: [0]))
            Issue.record("a window length of 0 was accepted")
        } catch {
            let typed: ScoringError = error  // typed throws: no cast needed
            #expect(typed == .invalidWindowLength(0))
        }
        do {
            _ = try Model(training: SessionStore(), type: .values)
        } catch {
            let typed: ModelError = error
            #expect(typed == .noSessions)
        }
        let errors: [any SeqHuntError] = [
            ModelError.modellableMismatch, ScoringError.invalidWindowLength(0),
            SessionStoreError.emptySession(index: 2),
            InputError(file: "a.csv", line: 3, column: 7, cause: "bad\nthing"),
            InputError(file: "b.csv", line: 0, cause: "no such file"),
            OutputError(path: "out.csv", cause: "is a directory"),
            ModelFileError(path: "m.seqhunt", offset: 12, cause: "truncated")
        ]
        for error in errors {
            #expect(!error.description.contains("\n") && !error.description.contains("--"), "\(error)")
        }
        #expect(errors[0].location == nil)
        #expect(errors[3].location == SeqHuntErrorLocation(file: "a.csv", line: 3, column: 7))
        #expect(errors[4].location == SeqHuntErrorLocation(file: "b.csv"))
        #expect(errors[6].location == SeqHuntErrorLocation(file: "m.seqhunt", offset: 12))
    }
}

@Suite("Async calls")
struct AsyncTests {
    @Test(
        "async training and scoring give the sync results; a cancelled task gets ScoringError.cancelled and no scores")
    func asyncScoring() async throws {
        let sessions = (0..<5_000).map { i in ["Get-Mailbox", i % 7 == 0 ? "Set-Mailbox" : "Get-User", "Get-Mailbox"] }
        let store = try SessionStore(commandSessions: sessions)
        let model = try await Model(training: store, type: .commands)
        let expected = try Self.synchronousScores(store)
        let scores = try await model.score(store)
        #expect(scores.logLikelihood == expected.logLikelihood)
        #expect(
            scores.rarestWindows[0].logLikelihood.elementsEqual(expected.rarestWindows[0].logLikelihood) {
                $0 == $1 || ($0.isNaN && $1.isNaN)
            })
        let cancelled = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            do {
                _ = try await model.score(store)
                return false
            } catch {
                return (error as? ScoringError) == .cancelled
            }
        }
        #expect(await cancelled.value)
    }

    /// The blocking calls (a synchronous context picks them).
    static func synchronousScores(_ store: SessionStore) throws -> SessionScores {
        try Model(training: store, type: .commands).score(store)
    }
}

@Suite("Per-session scores")
struct SessionScoreTests {
    @Test("one value per session holds what the columns hold")
    func perSession() throws {
        let store = try SessionStore(commandSessions: [["A", "B", "C", "A"], ["A"], ["B", "C"]])
        let scores = try Model(training: store, type: .commands).score(
            store, options: ScoringOptions(windowLengths: [2, 5]))
        for s in 0..<store.sessionCount {
            let one = scores.session(s, in: store)
            #expect(
                one.logLikelihood == scores.logLikelihood[s]
                    && one.geometricMeanLogLikelihood == scores.geometricMeanLogLikelihood[s])
            #expect(
                one.rarestWindow(length: 2)
                    == scores.rarestWindows[0].window(ofSession: s, commands: store.events(ofSession: s).count))
            #expect(
                one.rarestWindow(length: 5)
                    == scores.rarestWindows[1].window(ofSession: s, commands: store.events(ofSession: s).count))
        }
        #expect(scores.session(1, in: store).rarestWindow(length: 5) == nil)
    }
}

@Suite("Durations")
struct DurationTests {
    @Test("a sessionizer takes its limits as Durations, compared in whole ticks of 100 ns")
    func sessionizerDurations() {
        let byDuration = Sessionizer(maximumSession: .seconds(1200), maximumGap: .milliseconds(120_000))
        #expect(
            byDuration.maximumSession == Sessionizer().maximumSession
                && byDuration.maximumGap == Sessionizer().maximumGap)
        #expect(
            Sessionizer().maximumSession.ticks == 20 * 600_000_000 && Sessionizer().maximumGap.ticks == 2 * 600_000_000)
        #expect(Duration.nanoseconds(250).ticks == 2 && Duration.nanoseconds(-250).ticks == -2)
        #expect(Duration.seconds(Int64.max).ticks == .max && Duration.seconds(Int64.min).ticks == .min)
        for ticks: Int64 in [0, 1, -1, 9_999_999, 10_000_001, -10_000_001, .max, .min] {
            #expect(Duration(ticks: ticks).ticks == ticks)
        }
    }

    @Test("timestamps: spans add and subtract exactly, saturating at the ends; differences are exact for every pair")
    func timestamps() {
        let instant = Timestamp(secondsSince1970: 1_587_185_430)
        #expect(instant.ticks == 15_871_854_300_000_000)
        #expect((instant + .seconds(90)) - instant == .seconds(90))
        #expect(instant - .milliseconds(1) == Timestamp(ticks: instant.ticks - 10_000))
        #expect(Timestamp.max + .seconds(1) == .max && Timestamp.min - .seconds(1) == .min)
        #expect(Timestamp.min + .seconds(-1) == .min && Timestamp.max - .seconds(-1) == .max)
        #expect(Timestamp(secondsSince1970: .max) == .max && Timestamp(secondsSince1970: .min) == .min)
        #expect((Timestamp.max - Timestamp.min).ticks == .max, "past Int64 ticks, a Duration saturates only in .ticks")
        let forwards: Duration = Timestamp.max - Timestamp.min
        #expect(forwards == Duration(ticks: .max) * 2 + Duration(ticks: 1))
        let widest: Duration = Duration(ticks: .max) * 2 + Duration(ticks: 1)
        let backwards: Duration = Timestamp.min - Timestamp.max
        #expect(backwards == .zero - widest)
        // Spans past Int64 ticks: exact where the result fits, saturating where it does not.
        let pairs: [(Timestamp, Timestamp)] = [
            (.min, .max), (.max, .min), (Timestamp(ticks: -5), .max), (Timestamp(ticks: 7), .min), (.min, .min)
        ]
        for (a, b) in pairs { #expect(a + (b - a) == b && b - (b - a) == a, "\(a.ticks) \(b.ticks)") }
        #expect(Timestamp(ticks: 1 << 62) - Duration(ticks: .max) * 2 == .min)
        #expect(Timestamp(ticks: -(1 << 62)) + Duration(ticks: .max) * 2 == .max)
        #expect(Timestamp(ticks: 1 << 62) + Duration(ticks: .max) * -2 == .min)
        // The clock is read as ticks: within a minute of Foundation's.
        let foundation = Int64(Date().timeIntervalSince1970 * 10_000_000)
        #expect(abs(Timestamp.now.ticks - foundation) < 600_000_000)
        let column = Timestamps([3, 1, 2])
        #expect(Array(column) == [Timestamp(ticks: 3), Timestamp(ticks: 1), Timestamp(ticks: 2)])
        #expect(column.max() == Timestamp(ticks: 3))
    }
}
