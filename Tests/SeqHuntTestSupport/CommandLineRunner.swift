import Foundation

/// Runs the built `seqhunt` binary (next to the test bundle) and returns what it printed.
/// With `feed`, that writes its standard input on another thread (so that a slow writer is
/// a real slow pipe); without, standard input is empty.
public func runSeqHunt(
    _ arguments: [String], environment: [String: String] = [:],
    stdin feed: (@Sendable (FileHandle) -> Void)? = nil
) throws -> (status: Int32, stdout: String, stderr: String) {
    let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [
        directory.appendingPathComponent("seqhunt"),
        directory.deletingLastPathComponent().appendingPathComponent("seqhunt")
    ]
    guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
        throw CocoaError(.fileNoSuchFile)
    }
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let input = Pipe(), out = Pipe(), err = Pipe()
    process.standardInput = input
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let writer = Thread {
        feed?(input.fileHandleForWriting)
        try? input.fileHandleForWriting.close()
    }
    writer.start()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

/// Runs `command` with `/bin/sh` and returns its exit status.
public func runShell(_ command: String) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

/// A fresh temporary directory.
public func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "seqhunt-test-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// `Tests/Golden`: the msticpy golden files (made by `perf/make_golden.py`).
public let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Golden").path

/// The header of a Log Analytics `OfficeActivity` export, as the tests' logs start.
public let officeActivityHeader = "TimeGenerated,UserId,ClientIP,Operation,Parameters\n"

/// One command name spelled two ways: "Set-Café" with é precomposed (NFC) and with e and a
/// combining acute accent (NFD). Swift's `==` calls them equal; SeqHunt, like msticpy, does not.
public let setCafeNFC = "Set-Caf\u{E9}"
public let setCafeNFD = "Set-Cafe\u{301}"
