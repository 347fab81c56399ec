import SeqHuntIO
import Testing

/// Fuzzer regressions the library answers by itself. The inputs the fuzzers (`make fuzz`) once
/// crashed on, kept in `Tests/Regressions/<target>/`, are replayed through the command line by
/// `FuzzRegressionCommandLineTests` in SeqHuntCommandLineTests.
@Suite("Fuzzer regressions")
struct FuzzRegressionTests {
    @Test("error messages quote hostile text on one line, without control characters")
    func oneLineMessages() {
        let error = InputError(file: "log.csv", line: 1, cause: "missing column; columns: a\nb, \u{1B}[31mred")
        #expect(error.description == "log.csv:1: missing column; columns: a\\nb, \\u{1B}[31mred")
    }
}
