import Foundation
import SeqHuntTestSupport
import Testing

@testable import SeqHuntIO

/// Outputs never destroy what is not theirs (issue: safe outputs): the temporary files behind them.
/// The command-line half (inputs reached through links, special files, signals, re-runs) is
/// `OutputPathsCommandLineTests` in SeqHuntCommandLineTests.
@Suite("Outputs that destroy nothing")
struct OutputPlanTests {
    @Test("a temporary file being created when a signal's removal starts is removed too, not left behind")
    func creationRacesRemoval() throws {
        let files = TemporaryFiles()
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/.out.csv.tmp-race"
        let opening = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        let creator = Thread {
            let descriptor = try? files.create(path) { () throws(SystemError) -> Int32 in
                opening.signal()
                usleep(200_000)  // the signal arrives while the file is being created
                return try SystemCall.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o644)
            }
            if let descriptor { close(descriptor) }
            done.signal()
        }
        creator.start()
        opening.wait()
        files.removeAll()
        done.wait()
        #expect(!FileManager.default.fileExists(atPath: path), "the file created during removal was left behind")
    }
}
