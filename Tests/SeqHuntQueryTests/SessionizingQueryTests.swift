import SeqHunt
import SeqHuntIO
import SeqHuntSupport
import Testing

@testable import SeqHuntQuery

@Suite("The KQL that sessionizes in Kusto")
struct SessionizingQueryTests {
    @Test("the defaults and the seed query's filters give msticpy's seed query, generalised")
    func seedQuery() throws {
        var schema = EventSchema()
        schema.recordTypes = ["ExchangeAdmin"]
        schema.excludedUserPrefixes = ["NT AUTHORITY"]
        schema.excludedUserSubstrings = ["prod.outlook.com"]
        let text = try SessionizingQuery(source: "OfficeActivity", schema: schema).text()
        #expect(
            text == """
                // seqhunt kql: sessions as `seqhunt sessionize` makes them (UserId, ClientIP; 20m at most, 2m gaps; boundary kql)
                OfficeActivity
                | where tostring(RecordType) in ("ExchangeAdmin")
                | where tostring(UserId) !startswith "NT AUTHORITY"
                | where tostring(UserId) !contains "prod.outlook.com"
                | where isnotnull(TimeGenerated) and isnotempty(tostring(Operation))
                | project TimeGenerated, UserId = tostring(UserId), ClientIP = tostring(ClientIP), cmd = tostring(Operation), params = bag_pack(tostring(Operation), todynamic(Parameters))
                | sort by UserId asc, ClientIP asc, TimeGenerated asc
                | extend begin = row_window_session(TimeGenerated, 20m, 2m, UserId != prev(UserId) or ClientIP != prev(ClientIP))
                | summarize cmds = make_list(cmd), params = make_list(params), end = max(TimeGenerated), nCmds = count(), nDistinctCmds = array_length(make_set(cmd)) by UserId, ClientIP, begin
                | project UserId, ClientIP, begin, end, duration = (end - begin) / 1s, nCmds, nDistinctCmds, cmds, params
                | sort by UserId asc, ClientIP asc, begin asc

                """)
    }

    @Test("msticpy's boundary (a limit exceeded, not reached) is the limit plus one tick; odd limits to the tick")
    func limits() {
        #expect(SessionizingQuery.timespan(.seconds(1200), boundary: .kql) == "20m")
        #expect(SessionizingQuery.timespan(.seconds(1200), boundary: .msticpy) == "time(0.00:20:00.0000001)")
        #expect(SessionizingQuery.exactTimespan(.seconds(90)) == "90s")
        #expect(
            SessionizingQuery.exactTimespan(Duration(ticks: 86_400 * 10_000_000 + 15)) == "time(1.00:00:00.0000015)")
    }

    @Test("names and values from the command line cannot break out of their literal")
    func hostileText() throws {
        #expect(try SessionizingQuery.literal(#"a"b\c"#) == #""a\"b\\c""#)
        #expect(try SessionizingQuery.name("User Id") == #"["User Id"]"#)
        #expect(try SessionizingQuery.name("by") == #"["by"]"#)
        #expect(try SessionizingQuery.column("userIdentity.arn") == "userIdentity.arn")
        #expect(throws: QueryError.self) { try SessionizingQuery.literal("a\nb") }
        var schema = EventSchema()
        schema.exclusions = [.init(column: "Operation", value: "x\" or 1==1 //")]
        let text = try SessionizingQuery(source: "OfficeActivity", schema: schema).text()
        #expect(text.contains(#"| where tostring(Operation) != "x\" or 1==1 //""#))
        schema.timeFormat = try TimeFormat("%Y")
        #expect(throws: QueryError.self) { try SessionizingQuery(source: "OfficeActivity", schema: schema).text() }
    }

    @Test("the events must be one tabular expression, since they are wrapped")
    func tabularSource() {
        #expect(SessionizingQuery.isTabularExpression("OfficeActivity | where Operation != \";\" // a;b\n| take 5"))
        #expect(!SessionizingQuery.isTabularExpression("let x = 1; OfficeActivity"))
        #expect(!SessionizingQuery.isTabularExpression("OfficeActivity; SigninLogs"))
        #expect(!SessionizingQuery.isTabularExpression(".show tables"))
        #expect(
            !SessionizingQuery.isTabularExpression(#"T | where a == "x\\" ; T"#), "an escaped backslash ends the string"
        )
        #expect(
            SessionizingQuery.isTabularExpression(#"T | where a == @"C:\" | where b == ';'"#),
            "a verbatim string ends at its quote")
        #expect(!SessionizingQuery.isTabularExpression(#"T | where a == @"C:\"; T"#))
        #expect(throws: QueryError.self) { try SessionizingQuery.literal("a\u{2028}b") }
        #expect(throws: QueryError.self) { try SessionizingQuery(source: "set notruncation; OfficeActivity").text() }
    }
}

@Suite("Gathering the slices of a query")
struct SliceGatheringTests {
    @Test("slices come out in time order whatever order they finished in; columns are the union, first seen first")
    func union() {
        func answer(_ columns: [String], _ lines: String) -> SliceFetcher.Answer {
            var answer = SliceFetcher.Answer(jsonLines: Array(lines.utf8))
            answer.summary = .init(columns: columns, rows: lines.split(separator: "\n").count, partialError: nil)
            return answer
        }
        let result = WorkspaceQuery.Result(
            gathering: [
                (ticks(10..<20), answer(["t", "b"], "{\"t\":15,\"b\":1}\n")),
                (ticks(0..<10), answer(["t", "a"], "{\"t\":5,\"a\":1}\n"))
            ], halvings: 0)
        #expect(result.columns == ["t", "a", "b"])
        #expect(String(decoding: result.jsonLines, as: UTF8.self) == "{\"t\":5,\"a\":1}\n{\"t\":15,\"b\":1}\n")
        #expect(result.slices.map(\.range) == [ticks(0..<10), ticks(10..<20)] && result.rows == 2)
    }
}
