import Foundation
import SeqHunt
import SeqHuntTestSupport
import Testing

@_spi(Internals) @testable import SeqHuntIO

/// Logs are written by the people we hunt. Each hostile or extreme input either works in
/// linear time and bounded memory or fails with one clear line: never a crash or a hang.
@Suite("Hostile and extreme input")
struct HostileInputTests {
    static let header = officeActivityHeader

    /// Reads `content` as an event log and returns the reader, or the one-line error.
    func read(_ content: [UInt8], name: String = "log.csv", policy: BadRowPolicy = .fail) throws -> Result<
        EventReader, InputError
    > {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/" + name
        try Data(content).write(to: URL(fileURLWithPath: path))
        let reader = EventReader(policy: policy)
        do {
            try reader.read(path: path)
            return .success(reader)
        } catch let error as InputError {
            #expect(!error.description.contains("\n"))
            return .failure(error)
        }
    }

    @Test("a 1 GB field: one clear line after at most 256 MiB, not a 1 GB buffer")
    func gigabyteField() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A sparse file: a header, then one quoted field of 1 GiB of NUL bytes that never ends.
        for (name, opening) in [
            ("quoted.csv", "2020-01-01T00:00:00Z,a,b,\""), ("unquoted.csv", "2020-01-01T00:00:00Z,a,b,")
        ] {
            let path = dir + "/" + name
            try (Self.header + opening).write(toFile: path, atomically: true, encoding: .utf8)
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.truncate(atOffset: UInt64(1 << 30) + 100)
            try handle.close()
            let reader = EventReader()
            #expect {
                try reader.read(path: path)
            } throws: { error in
                let text = "\(error)"
                return text.hasPrefix(path + ":2: a record longer than 256 MiB starts here") && !text.contains("\n")
            }
        }
    }

    @Test("a line of 10 million commas is one bad row, read in linear time")
    func tenMillionCommas() throws {
        var log = Array(Self.header.utf8)
        log += Array("2020-01-01T00:00:00Z,a,b,Get-Mailbox,".utf8)
        log += [UInt8](repeating: UInt8(ascii: ","), count: 10_000_000)
        log += Array("\n2020-01-01T00:00:10Z,a,b,Set-Mailbox,\n".utf8)
        let failed = try read(log)
        guard case .failure(let error) = failed else {
            Issue.record("accepted 10M fields")
            return
        }
        #expect(error.line == 2 && error.cause.contains("fields"), "\(error)")
        guard case .success(let reader) = try read(log, policy: .skip) else {
            Issue.record("skip failed")
            return
        }
        #expect(reader.report.rowsRead == 2 && reader.report.eventsKept == 1 && reader.report.rowsSkipped == 1)
    }

    @Test("NUL bytes are data; a CSV that ends inside a quote is one clear line")
    func nulAndOpenQuote() throws {
        let nul = Array(Self.header.utf8) + Array("2020-01-01T00:00:00Z,a\u{0}b,c,Get-\u{0}Mailbox,\n".utf8)
        guard case .success(let reader) = try read(nul) else {
            Issue.record("NUL rejected")
            return
        }
        #expect(reader.events.columns.commands.allNames.contains("Get-\u{0}Mailbox"))
        let open = Array(Self.header.utf8) + Array("2020-01-01T00:00:00Z,a,b,Get-Mailbox,\"[{\n".utf8)
        guard case .failure(let error) = try read(open) else {
            Issue.record("accepted an open quote")
            return
        }
        #expect(error.line == 2 && error.cause.contains("quote"), "\(error)")
    }

    @Test("times in the year 9999 and before 1970 are times; year 10000 is a clear error")
    func extremeTimes() throws {
        #expect(TimeParser.ticks("9999-12-31T23:59:59.999999Z") == 2_534_023_007_999_999_990)
        #expect(TimeParser.ticks("1969-07-20T20:17:40Z") == -141_829_400_000_000)
        #expect(TimeParser.ticks("0001-01-01T00:00:00Z") == -621_355_968_000_000_000)
        #expect(TimeParser.isoText(ticks: -141_829_400_000_000) == "1969-07-20T20:17:40Z")
        let log = Self.header + "1969-07-20T20:17:40Z,a,b,Get-Mailbox,\n9999-12-31T23:59:59Z,a,b,Set-Mailbox,\n"
        guard case .success(let reader) = try read(Array(log.utf8)) else {
            Issue.record("rejected")
            return
        }
        let result = Sessionizer().sessionize(reader.events, keyRank: reader.keyRanks())
        #expect(result.store.sessionCount == 2)
        guard case .failure(let error) = try read(Array((Self.header + "10000-01-01T00:00:00Z,a,b,X,\n").utf8)) else {
            Issue.record("accepted year 10000")
            return
        }
        #expect(error.line == 2 && error.cause.contains("time"), "\(error)")
        // Year 9999 in its own zone but year 10000 in UTC: refused at read, not lost from a picture later.
        guard case .failure(let late) = try read(Array((Self.header + "9999-12-31T23:59:00-14:00,a,b,X,\n").utf8))
        else {
            Issue.record("accepted a time past 9999 in UTC")
            return
        }
        #expect(late.line == 2 && late.cause.contains("outside the years 0001 to 9999 in UTC"), "\(late)")
    }
}

/// Scale: many events, keys and commands take linear time and memory in the engine.
@Suite("Scale limits")
struct ScaleTests {
    @Test("10 million events for one key: sessions of at most 20 minutes, nothing lost")
    func oneKeyTenMillionEvents() {
        var events = EventStore()
        let n = 10_000_000
        events.reserveCapacity(events: n, parameters: 0)
        let command = events.internCommand("Get-Mailbox")
        // One event per second, so every session holds 1,200 events (the 20-minute cap).
        for i in 0..<n {
            try! events.beginEvent(commandID: command, time: Timestamp(secondsSince1970: Int64(i)), key: 0)
        }
        let result = Sessionizer().sessionize(events, keyRank: [0])
        #expect(result.store.eventCount == n)
        #expect(result.store.sessionCount == (n + 1199) / 1200)
    }

    @Test("one session of 1,000,000 commands and 1,000,000 distinct users score in linear time")
    func longSessionAndManyUsers() throws {
        let names = (0..<50).map { "Cmd-\($0)" }
        var builder = SessionStore.Builder()
        var state: UInt64 = 1
        for _ in 0..<1_000_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            builder.beginEvent(command: names[Int(state >> 59)])
        }
        try builder.endSession()
        let long = builder.store
        let model = try Model(training: long, type: .commands)
        let scores = try model.score(long, options: ScoringOptions(windowLengths: [3]))
        #expect(scores.logLikelihood[0].isFinite && scores.logLikelihood[0] < 0)

        var events = EventStore()
        events.reserveCapacity(events: 1_000_000, parameters: 0)
        let command = events.internCommand("Set-Mailbox")
        for user in 0..<1_000_000 {
            try! events.beginEvent(commandID: command, time: Timestamp(ticks: 0), key: Int32(user))
        }
        let result = Sessionizer().sessionize(events, keyRank: (0..<1_000_000).map { Int32($0) })
        #expect(result.store.sessionCount == 1_000_000)
    }
}

/// Names chosen to collide must not make interning quadratic.
@Suite("Hash flooding")
struct HashFloodingTests {
    /// 16-byte keys that all have the same fast hash: the second word cancels the first
    /// (anyone who knows the hash and its seed can make them).
    static func collidingKeys(_ n: Int) -> [[UInt8]] {
        func mix(_ x: UInt64) -> UInt64 {
            let y = x &* 0xFF51_AFD7_ED55_8CCD
            return y ^ (y >> 32)
        }
        let h0 = 0x9E37_79B9_7F4A_7C15 ^ ByteInterner.seed ^ 16
        var keys: [[UInt8]] = []
        var state: UInt64 = 7
        for _ in 0..<n {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let w1 = state
            let w2 = mix(h0 ^ w1) ^ 0x1234_5678_9ABC_DEF0
            var key: [UInt8] = []
            withUnsafeBytes(of: w1.littleEndian) { key += $0 }
            withUnsafeBytes(of: w2.littleEndian) { key += $0 }
            keys.append(key)
        }
        return keys
    }

    @Test("20,000 names with one fast hash: the interner switches to its keyed hash and probing stays short")
    func chosenCollisions() {
        let keys = Self.collidingKeys(20_000)
        let hashes = Set(keys.map { key in key.withUnsafeBytes { ByteInterner.fastHash($0) } })
        #expect(hashes.count == 1)  // the keys do collide
        var interner = ByteInterner()
        for (i, key) in keys.enumerated() {
            let (id, isNew) = key.withUnsafeBytes { interner.intern($0) }
            #expect(isNew && id == Int32(i))
        }
        #expect(interner.isKeyed)
        #expect(interner.longestOccupiedRun() < 100, "a probe run of \(interner.longestOccupiedRun())")
        for (i, key) in keys.enumerated() where i % 997 == 0 {
            #expect(key.withUnsafeBytes { interner.intern($0) } == (Int32(i), false))
        }
    }

    @Test("ordinary names keep the fast hash")
    func ordinaryNames() {
        var interner = ByteInterner()
        for i in 0..<100_000 {
            _ = Array("user\(i)@contoso.com|10.0.\(i % 256).\(i % 7)".utf8).withUnsafeBytes { interner.intern($0) }
        }
        #expect(!interner.isKeyed && interner.count == 100_000)
    }
}

/// Records with very many members are read in time linear in their size.
@Suite("Wide records")
struct WideRecordTests {
    @Test("a sessions line with 80,000 members is one clear line, found in linear time")
    func eightyThousandMembers() throws {
        var line = "{\"cmds\":[\"A\"]"
        for i in 0..<80_000 { line += ",\"m\(i)\":\(i)" }
        line += "}\n"
        let failed = #expect(throws: InputError.self) {
            try SessionReader.read(bytes: Array(line.utf8), file: "wide.jsonl")
        }
        #expect(
            failed?.description.hasPrefix("wide.jsonl:1: more than 1024 columns") == true,
            "\(String(describing: failed))")
        // 1,000 columns are fine, repeated members included (the last one wins).
        var ok = "{\"cmds\":[\"A\"]"
        for i in 0..<1_000 { ok += ",\"m\(i)\":\(i),\"m\(i)\":\(i + 1)" }
        ok += "}\n{\"cmds\":[\"B\"],\"m999\":\"x\"}\n"
        let table = try SessionReader.read(bytes: Array(ok.utf8), file: "ok.jsonl")
        #expect(
            table.columns.count == 1_000 && table.value("m7", session: 0) == "8"
                && table.value("m999", session: 1) == "x")
        #expect(table.rows[1].count == 1_000 && table.value("m1", session: 1) == nil)
    }
}
