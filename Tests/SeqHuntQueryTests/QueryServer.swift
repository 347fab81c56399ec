import Foundation
import SeqHuntTestSupport

/// `Tests/QueryServer/query_server.py`, started on 127.0.0.1 for one test and stopped with it.
final class QueryServer: @unchecked Sendable {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("QueryServer/query_server.py").path
    /// What the server accepts.
    static let token = "test-token-0b8c", clientID = "test-client", clientSecret = "test-secret-9f2e"

    let process = Process()
    let lifeline = Pipe()
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    /// Serves `events` (CSV or JSON Lines) as the OfficeActivity table.
    init(events: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, "--events", events]
        let out = Pipe()
        process.standardOutput = out
        // The server leaves when this pipe closes, even if this process dies.
        process.standardInput = lifeline
        try process.run()
        // The first line is "PORT n" once it listens.
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) {
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).dropFirst(5)) else {
            process.terminate()
            throw CocoaError(
                .fileReadCorruptFile,
                userInfo: [
                    NSLocalizedDescriptionKey:
                        "the query server did not start (is python3 installed? make test installs it)"
                ])
        }
        self.port = port
    }

    deinit {
        // SIGKILL: a child of the test process may have SIGTERM blocked (inherited mask).
        try? lifeline.fileHandleForWriting.close()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Sets the faults of the next requests (see the script's header).
    func control(_ settings: [String: Any]) throws {
        _ = try exchange("POST", "/control", body: JSONSerialization.data(withJSONObject: settings))
    }

    /// The requests the server saw, and the most it served at once.
    func requests() throws -> (requests: [[String: Any]], mostInFlight: Int) {
        let object = try JSONSerialization.jsonObject(with: exchange("GET", "/requests")) as! [String: Any]
        return (object["requests"] as! [[String: Any]], object["most_in_flight"] as! Int)
    }

    private func exchange(_ method: String, _ path: String, body: Data? = nil) throws -> Data {
        // Through Python's urllib: the control calls do not go through the client under test.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            """
            import sys, urllib.request
            data = sys.stdin.buffer.read() or None
            request = urllib.request.Request(sys.argv[1], data=data, method=sys.argv[2])
            sys.stdout.buffer.write(urllib.request.urlopen(request).read())
            """, url + path, method
        ]
        let input = Pipe(), out = Pipe()
        process.standardInput = input
        process.standardOutput = out
        try process.run()
        if let body { input.fileHandleForWriting.write(body) }
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }
}

/// A generated OfficeActivity log (`seqhunt demo --log-only`), made once for the suite.
enum DemoLog {
    static let path: String = {
        let directory = try! temporaryDirectory()
        let result = try! runSeqHunt([
            "demo", "--sessions", "300", "--seed", "17", "--log-only", "--out", directory, "--quiet"
        ])
        precondition(result.status == 0, result.stderr)
        return directory + "/OfficeActivity.csv"
    }()
}
