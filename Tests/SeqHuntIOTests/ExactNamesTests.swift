import Foundation
import SeqHuntTestSupport
import Testing

@testable import SeqHuntIO

/// Names are equal when their UTF-8 bytes are, as in msticpy (Python) and Kusto: in the readers.
/// Scored, saved and written through the built `seqhunt`: `ExactNamesCommandLineTests`.
@Suite("Exact names")
struct ExactNamesTests {
    static let nfc = setCafeNFC  // é precomposed
    static let nfd = setCafeNFD  // e + combining acute accent

    @Test("the event reader keeps the spellings apart too, in commands, parameters, values and keys")
    func eventsAreExact() throws {
        let log =
            "TimeGenerated,UserId,ClientIP,Operation,Parameters\n"
            + "2020-01-01T00:00:00Z,\(Self.nfc),1,\(Self.nfc),\"{\"\"\(Self.nfc)\"\":\"\"\(Self.nfc)\"\"}\"\n"
            + "2020-01-01T00:00:01Z,\(Self.nfd),1,\(Self.nfd),\"{\"\"\(Self.nfd)\"\":\"\"\(Self.nfd)\"\"}\"\n"
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try log.write(toFile: dir + "/log.csv", atomically: true, encoding: .utf8)
        let reader = EventReader()
        try reader.read(path: dir + "/log.csv")
        let columns = reader.events.columns
        #expect(reader.keyCount == 2)
        #expect(columns.commands.count == 3 + 2 && columns.parameters.count == 1 + 2 && columns.values.count == 2)
    }
}
