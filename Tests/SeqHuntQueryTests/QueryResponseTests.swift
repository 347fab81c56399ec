@_spi(Internals) import SeqHuntIO
import Testing

@testable import SeqHuntQuery

/// Log Analytics answers, shaped as the query API's reference documents them, turned into the
/// JSON Lines the readers take.
@Suite("Query answers to JSON Lines")
struct QueryResponseTests {
    static func read(_ text: String) throws -> (String, QueryResponse.Summary) {
        var out: [UInt8] = []
        let summary = try Array(text.utf8).withUnsafeBytes {
            try QueryResponse.read($0, dialect: .logAnalytics, source: "workspace", into: &out)
        }
        return (String(decoding: out, as: UTF8.self), summary)
    }

    @Test("the reference's example: one object per row, keyed by column, values as written")
    func documentedExample() throws {
        let (lines, summary) = try Self.read(
            """
            {"tables":[{"name":"PrimaryResult","columns":[{"name":"Category","type":"string"},{"name":"count_","type":"long"}],
            "rows":[["Administrative",20839],["Recommendation",122],["Alert",64],["ServiceHealth",11]]}]}
            """)
        #expect(
            lines == """
                {"Category":"Administrative","count_":20839}
                {"Category":"Recommendation","count_":122}
                {"Category":"Alert","count_":64}
                {"Category":"ServiceHealth","count_":11}

                """)
        #expect(summary == QueryResponse.Summary(columns: ["Category", "count_"], rows: 4, partialError: nil))
    }

    @Test(
        "an OfficeActivity answer reads as events: dynamic Parameters become the JSON they hold (as Azure Data Explorer writes them), nulls stay null"
    )
    func officeActivity() throws {
        let (lines, _) = try Self.read(
            #"""
            {"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"UserId","type":"string"},
            {"name":"ClientIP","type":"string"},{"name":"Operation","type":"string"},{"name":"Parameters","type":"dynamic"}],
            "rows":[["2020-04-18T04:50:30.123Z","alex@contoso.com","1.2.3.4","Set-Mailbox","[{\"Name\":\"Identity\",\"Value\":\"alex\"}]"],
            ["2020-04-18T04:51:00Z",null,"","New-InboxRule","[]"]]}]}
            """#)
        let reader = EventReader(schema: EventSchema(), policy: .fail)
        try reader.read(ByteSource(bytes: Array(lines.utf8), name: "workspace"))
        #expect(reader.events.count == 2)
        #expect(lines.contains(#""Parameters":[{"Name":"Identity","Value":"alex"}]"#))
        #expect(lines.contains(#""UserId":null"#))
    }

    @Test("a partial answer (200 with an error beside the tables) keeps its rows and says which limit was hit")
    func partial() throws {
        // The shape of a recorded live answer that went past the 64 MB result limit.
        let (lines, summary) = try Self.read(
            #"""
            {"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"Message","type":"string"}],
            "rows":[["2022-06-03T19:50:29.043Z","{\"size\":500}"]]}],"error":{"code":"PartialError","message":"There were some errors when processing your query.",
            "details":[{"code":"EngineError","message":"Something went wrong processing your query on the server.",
            "innererror":{"code":"-2133196797","message":"Query result set has exceeded the internal data size limit 64000000 (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)","severity":2,"severityName":"Error"}}]}}
            """#)
        #expect(summary.rows == 1 && lines.hasSuffix("}\n"))
        #expect(summary.partialError?.hasPrefix("PartialError: There were some errors") == true)
        #expect(summary.partialError?.contains("E_QUERY_RESULT_SET_TOO_LARGE") == true)
    }

    @Test(
        "escaped column names and values are written the one way the writers escape",
        arguments: [
            (
                #"{"tables":[{"columns":[{"name":"a\"b\u0041"}],"rows":[["x\u0041\/y\n"]]}]}"#,
                #"{"a\"bA":"xA/y\n"}"# + "\n"
            ),
            (
                #"{"tables":[{"columns":[{"name":"n"}],"rows":[[{"k": [1, 2.5e3, true]}]]}]}"#,
                #"{"n":{"k":[1,2.5e3,true]}}"# + "\n"
            ),
            (#"{"tables":[]}"#, ""), (#"{"tables":[{"columns":[{"name":"n"}],"rows":[]}]}"#, "")
        ])
    func escaping(answer: String, expected: String) throws {
        #expect(try Self.read(answer).0 == expected)
    }

    @Test(
        "a malformed, truncated or misshapen answer is one line naming the byte or the row",
        arguments: [
            (#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"],["y"#, "not a Log Analytics answer"),
            ("", "unexpected end of JSON"), ("[]", "is not a JSON object"), (#"{"value":1}"#, #"no "tables" array"#),
            (#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x","y"]]}]}"#, "row 1 has more cells than the 1 columns"),
            (
                #"{"tables":[{"columns":[{"name":"a"},{"name":"b"}],"rows":[["x"]]}]}"#,
                "row 1 has 1 cells for 2 columns"
            ),
            (#"{"tables":[{"columns":[{"name":"a"}],"rows":[{"a":1}]}]}"#, "row 1 is not an array"),
            (#"{"tables":[{"columns":[{"type":"string"}],"rows":[]}]}"#, #"column 1 has no "name" string"#),
            (#"{"tables":[{"columns":[{"name":"a"}]}]}"#, #"no "columns" and "rows" arrays"#),
            (#"{"tables":[]} x"#, "more after the answer"),
            (
                #"{"error":{"code":"BadArgumentError","message":"The request had some invalid properties","innererror":{"code":"SyntaxError","message":"Syntax Error"}}}"#,
                "BadArgumentError: The request had some invalid properties (Syntax Error)"
            ),
            (String(repeating: "[", count: 300), "nested deeper than 256 levels"),
            (#"{"tables":[{"columns":[{"name":"a"}],"rows":[["\#u{1}"]]}]}"#, "not a Log Analytics answer")
        ])
    func refused(answer: String, fragment: String) {
        do {
            _ = try Self.read(answer)
            Issue.record("accepted \(answer.prefix(60))")
        } catch {
            let line = "\(error)"
            #expect(line.contains(fragment), "\(line)")
            #expect(!line.contains("\n") && line.hasPrefix("workspace: "))
        }
    }

    static func read(_ text: String, dialect: QueryResponse.Dialect, filter: QueryResponse.TimeFilter? = nil) throws
        -> (String, QueryResponse.Summary)
    {
        var out: [UInt8] = []
        let summary = try Array(text.utf8).withUnsafeBytes {
            try QueryResponse.read($0, dialect: dialect, source: "cluster", filter: filter, into: &out)
        }
        return (String(decoding: out, as: UTF8.self), summary)
    }

    @Test("Azure Data Explorer v1: the first table of Tables, with ColumnName; dynamic values stay JSON values")
    func dataExplorerV1() throws {
        let (lines, summary) = try Self.read(
            #"""
            {"Tables":[{"TableName":"Table_0","Columns":[{"ColumnName":"UserId","DataType":"String","ColumnType":"string"},
            {"ColumnName":"cmds","DataType":"Object","ColumnType":"dynamic"}],"Rows":[["alex",["Get-Mailbox","Set-Mailbox"]]]},
            {"TableName":"Table_1","Columns":[{"ColumnName":"Value","DataType":"String"}],"Rows":[["{}"]]}]}
            """#, dialect: .dataExplorerV1)
        #expect(lines == #"{"UserId":"alex","cmds":["Get-Mailbox","Set-Mailbox"]}"# + "\n")
        #expect(summary.columns == ["UserId", "cmds"] && summary.partialError == nil)
    }

    @Test(
        "Azure Data Explorer v2: the PrimaryResult frame; an error in DataSetCompletion or among the rows makes the answer partial"
    )
    func dataExplorerV2() throws {
        let head =
            #"[{"FrameType":"DataSetHeader","IsProgressive":false,"Version":"v2.0"},"#
            + #"{"FrameType":"DataTable","TableId":0,"TableKind":"QueryProperties","TableName":"@ExtendedProperties","Columns":[{"ColumnName":"Key","ColumnType":"string"}],"Rows":[["x"]]},"#
            + #"{"FrameType":"DataTable","TableId":1,"TableKind":"PrimaryResult","TableName":"PrimaryResult","Columns":[{"ColumnName":"n","ColumnType":"long"}],"Rows":[[1],[2]"#
        let (lines, complete) = try Self.read(
            head + #"]},{"FrameType":"DataSetCompletion","HasErrors":false,"Cancelled":false}]"#,
            dialect: .dataExplorerV2)
        #expect(lines == "{\"n\":1}\n{\"n\":2}\n" && complete.partialError == nil)
        let (_, partial) = try Self.read(
            head
                + #"]},{"FrameType":"DataSetCompletion","HasErrors":true,"Cancelled":false,"OneApiErrors":[{"error":{"code":"LimitsExceeded","message":"Request is invalid and cannot be executed."}}]}]"#,
            dialect: .dataExplorerV2)
        #expect(partial.partialError == "LimitsExceeded: Request is invalid and cannot be executed.")
        let (inRows, streamed) = try Self.read(
            head
                + #",{"OneApiErrors":[{"error":{"code":"E_RUNAWAY_QUERY","message":"runaway"}}]}]},{"FrameType":"DataSetCompletion","HasErrors":true,"Cancelled":false}]"#,
            dialect: .dataExplorerV2)
        #expect(inRows == "{\"n\":1}\n{\"n\":2}\n" && streamed.partialError == "E_RUNAWAY_QUERY: runaway")
        // Without its completion frame the answer was cut short.
        #expect(throws: InputError.self) { try Self.read(head + "]}]", dialect: .dataExplorerV2) }
    }

    @Test(
        "Log Analytics writes dynamic values as JSON text in strings: they become the JSON values, other strings stay")
    func dynamicColumns() throws {
        let (lines, _) = try Self.read(
            #"""
            {"tables":[{"name":"PrimaryResult","columns":[{"name":"cmds","type":"dynamic"},{"name":"note","type":"dynamic"},{"name":"text","type":"string"}],
            "rows":[["[\"a\", \"b\"]","plain","[1]"],["{\"k\": [1, 2.50]}","[broken",null]]}]}
            """#)
        #expect(
            lines == #"""
                {"cmds":["a","b"],"note":"plain","text":"[1]"}
                {"cmds":{"k":[1,2.50]},"note":"[broken","text":null}

                """#)
    }

    @Test(
        "a time filter keeps the rows of a half-open slice and counts the others; an answer without the column is refused"
    )
    func timeFilter() throws {
        let answer =
            #"{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"}],"rows":[["2020-03-01T00:00:00Z"],["2020-03-01T12:00:00Z"],["2020-03-02T00:00:00Z"],["not a time"]]}]}"#
        let day = TimeParser.timestamp("2020-03-01T00:00:00Z")!..<TimeParser.timestamp("2020-03-02T00:00:00Z")!
        let (lines, summary) = try Self.read(
            answer, dialect: .logAnalytics, filter: .init(column: "TimeGenerated", range: day))
        #expect(
            lines
                == "{\"TimeGenerated\":\"2020-03-01T00:00:00Z\"}\n{\"TimeGenerated\":\"2020-03-01T12:00:00Z\"}\n{\"TimeGenerated\":\"not a time\"}\n"
        )
        #expect(summary.rows == 3 && summary.outsideRange == 1)
        #expect(throws: InputError.self) {
            try Self.read(answer, dialect: .logAnalytics, filter: .init(column: "Time", range: day))
        }
    }

    @Test("CSV from the JSON Lines: header, spreadsheet-safe text, numbers as written, JSON for lists, empty for null")
    func csv() throws {
        let (lines, summary) = try Self.read(
            #"{"tables":[{"name":"PrimaryResult","columns":[{"name":"a","type":"string"},{"name":"n","type":"long"},{"name":"l","type":"dynamic"}],"rows":[["=1+1",5,"[\"x\",\"y\"]"],["q\"uote",null,null]]}]}"#
        )
        let csv = try QueryResponse.csv(fromJSONLines: Array(lines.utf8), columns: summary.columns, source: "workspace")
        #expect(
            String(decoding: csv, as: UTF8.self) == "a,n,l\n\"'=1+1\",5,\"[\"\"x\"\",\"\"y\"\"]\"\n\"q\"\"uote\",,\n")
    }

    @Test("Azure Data Explorer v1: a failure object among the rows (its default placement) makes the answer partial")
    func dataExplorerV1Partial() throws {
        let (lines, summary) = try Self.read(
            #"{"Tables":[{"TableName":"Table_0","Columns":[{"ColumnName":"n","DataType":"Int64"}],"Rows":[[1],{"Exceptions":["Query execution has exceeded the allowed limits (80DA0003): E_QUERY_RESULT_SET_TOO_LARGE"]}]}]}"#,
            dialect: .dataExplorerV1)
        #expect(lines == "{\"n\":1}\n")
        #expect(summary.partialError?.contains("E_QUERY_RESULT_SET_TOO_LARGE") == true)
    }
}
