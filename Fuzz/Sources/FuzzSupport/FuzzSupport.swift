import Foundation
import SeqHunt
@_spi(Internals) import SeqHuntFormats
import SeqHuntIO

/// Shared pieces of the fuzz targets: every input must either work or fail with one
/// of SeqHunt's typed, one-line errors. Anything else (a crash, a trap, another
/// error type, a multi-line message) stops the fuzzer.
public enum FuzzSupport {
    /// A scratch file in memory-backed storage, one per process.
    public static let scratchPath: String = {
        let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return directory + "/seqhunt-fuzz-\(getpid())"
    }()

    /// Writes `bytes` to the scratch file with `suffix` (for format detection) and returns its path.
    public static func scratch(_ bytes: UnsafeRawBufferPointer, suffix: String) -> String {
        let path = scratchPath + suffix
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(descriptor >= 0, "cannot write \(path)")
        var written = 0
        while written < bytes.count {
            let n = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            precondition(n > 0)
            written += n
        }
        close(descriptor)
        return path
    }

    /// Checks that `error` is one of the errors SeqHunt reports, as one line.
    public static func expectReported(_ error: Error) {
        let text: String
        switch error {
        case let e as InputError: text = e.description
        case let e as ModelFileError: text = e.description
        case let e as ModelError: text = e.description
        case let e as SessionStoreError: text = e.description
        case let e as JSONParser.SyntaxError: text = e.description
        default: fatalError("unexpected error type \(type(of: error)): \(error)")
        }
        precondition(!text.isEmpty && !text.contains("\n"), "error message is not one line: \(text)")
    }

    /// Scores `store` with a model trained on it, checking every log likelihood is ≤ 0 or NaN.
    public static func trainAndScore(_ store: SessionStore) {
        guard store.sessionCount > 0 else { return }
        for type in SessionType.allCases {
            do {
                let model = try Model(training: store, type: type)
                let scores = try model.score(store, options: ScoringOptions(windowLengths: [1, 3]))
                for value in scores.logLikelihood {
                    precondition(value <= 0 || value.isNaN, "log likelihood \(value) above 0")
                }
            } catch {
                expectReported(error)
            }
        }
    }
}
