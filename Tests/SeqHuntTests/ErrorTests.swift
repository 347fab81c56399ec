import SeqHunt
import SeqHuntIO
import Testing

@Suite("Typed errors")
struct ErrorTests {
    @Test("engine entry points throw their own error type, and every error is a SeqHuntError with a one-line description")
    func typedErrors() throws {
        let store = try SessionStore(commandSessions: [["A", "B"], ["A"]])
        let model = try Model(training: store, type: .commands)
        do {
            _ = try model.score(store, options: ScoringOptions(windowLengths: [0]))
            Issue.record("a window length of 0 was accepted")
        } catch {
            let typed: ScoringError = error   // typed throws: no cast needed
            #expect(typed == .invalidWindowLength(0))
        }
        do {
            _ = try Model(training: SessionStore(), type: .values)
        } catch {
            let typed: ModelError = error
            #expect(typed == .noSessions)
        }
        let errors: [any SeqHuntError] = [
            ModelError.modellableMismatch, ScoringError.invalidWindowLength(0), SessionStoreError.emptySession(index: 2),
            InputError(file: "a.csv", line: 3, column: 7, cause: "bad\nthing"), InputError(file: "b.csv", line: 0, cause: "no such file"),
            OutputError(path: "out.csv", cause: "is a directory"), ModelFileError(path: "m.seqhunt", offset: 12, cause: "truncated"),
        ]
        for error in errors { #expect(!error.description.contains("\n") && !error.description.contains("--"), "\(error)") }
        #expect(errors[0].location == nil)
        #expect(errors[3].location == SeqHuntErrorLocation(file: "a.csv", line: 3, column: 7))
        #expect(errors[4].location == SeqHuntErrorLocation(file: "b.csv"))
        #expect(errors[6].location == SeqHuntErrorLocation(file: "m.seqhunt", offset: 12))
    }
}
