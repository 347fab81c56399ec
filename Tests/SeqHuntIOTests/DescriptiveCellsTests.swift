import SeqHunt
@_spi(Internals) import SeqHuntFormats
import Testing

@testable import SeqHuntIO

/// The descriptive cells of a session table, by column: text kept as read, dense or sparse, and
/// the sessionizer's numbers formatted as they are read.
@Suite("Descriptive cells")
struct DescriptiveCellsTests {
    @Test("a text column: dense while every session has a cell, sparse after a gap, appended with an offset")
    func textCells() {
        var cells = TextCells()
        for (session, text) in ["a", "", "ccc"].enumerated() { cells.append(text, session: session) }
        #expect((0..<4).map { cells.string($0) } == ["a", "", "ccc", nil])
        cells.append("e", session: 4)  // session 3 has none
        #expect((0..<6).map { cells.string($0) } == ["a", "", "ccc", nil, "e", nil])
        var sparse = TextCells()
        sparse.append("x", session: 2)
        var joined = cells
        joined.append(contentsOf: sparse, sessionOffset: 5)
        #expect((0..<9).map { joined.string($0) } == ["a", "", "ccc", nil, "e", nil, nil, "x", nil])
        var dense = TextCells()
        dense.append(contentsOf: cells, sessionOffset: 0)
        #expect((0..<6).map { dense.string($0) } == (0..<6).map { cells.string($0) })
    }

    @Test("a sessions file's columns present in some records only: each session keeps exactly its own cells")
    func sparseColumns() throws {
        let lines = """
            {"cmds":["A"],"UserId":"u1","x":1}
            {"cmds":["B"],"UserId":"u2"}
            {"cmds":["C"],"y":"only here","UserId":null}
            {"cmds":["D"],"x":4,"UserId":"u4"}

            """
        let table = try SessionReader.read(bytes: Array(lines.utf8), file: "mem")
        #expect(table.columns == ["UserId", "x", "y"])
        #expect(table.rows == [["u1", "1", nil], ["u2", nil, nil], [nil, nil, "only here"], ["u4", "4", nil]])
        #expect(table.numericColumns == ["x"])
    }

    @Test("sessionized cells are the sessionizer's numbers, written as the text they always were")
    func sessionizedCells() throws {
        var events = EventStore()
        let base = Int64(1_587_185_430) * TimeParser.ticksPerSecond
        for (i, (command, key)) in [("A", 0), ("B", 0), ("A", 1)].enumerated() {
            events.beginEvent(
                command: command, time: Timestamp(ticks: base + Int64(i) * 15_000_001), key: Int32(key))
        }
        let result = Sessionizer().sessionize(events, keyRank: [0, 1])
        let table = SessionTable(
            sessionized: result, keyColumns: ["UserId", "ClientIP"],
            keyValues: { $0 == 0 ? ["alice", "10.0.0.1"] : ["bob", ""] })
        #expect(table.columns == ["UserId", "ClientIP", "begin", "end", "duration", "nCmds", "nDistinctCmds"])
        #expect(
            table.rows == [
                ["alice", "10.0.0.1", "2020-04-18T04:50:30Z", "2020-04-18T04:50:31.5000001Z", "1.5000001", "2", "2"],
                ["bob", "", "2020-04-18T04:50:33.0000002Z", "2020-04-18T04:50:33.0000002Z", "0", "1", "1"]
            ])
        #expect(table.cells.ticks(column: 2, session: 1) == base + 30_000_002)
    }
}
