@_spi(Benchmarking) @testable import SeqHuntIO
import Testing

/// Log Analytics answers, shaped as the query API's reference documents them, turned into the
/// JSON Lines the readers take.
@Suite("Query answers to JSON Lines")
struct QueryResponseTests {
    static func read(_ text: String) throws -> (String, QueryResponse.Summary) {
        var out: [UInt8] = []
        let summary = try Array(text.utf8).withUnsafeBytes { try QueryResponse.readLogAnalytics($0, source: "workspace", into: &out) }
        return (String(decoding: out, as: UTF8.self), summary)
    }

    @Test("the reference's example: one object per row, keyed by column, values as written")
    func documentedExample() throws {
        let (lines, summary) = try Self.read("""
            {"tables":[{"name":"PrimaryResult","columns":[{"name":"Category","type":"string"},{"name":"count_","type":"long"}],
            "rows":[["Administrative",20839],["Recommendation",122],["Alert",64],["ServiceHealth",11]]}]}
            """)
        #expect(lines == """
            {"Category":"Administrative","count_":20839}
            {"Category":"Recommendation","count_":122}
            {"Category":"Alert","count_":64}
            {"Category":"ServiceHealth","count_":11}

            """)
        #expect(summary == QueryResponse.Summary(columns: ["Category", "count_"], rows: 4, partialError: nil))
    }

    @Test("an OfficeActivity answer reads as events: dynamic Parameters stay JSON text in a string, nulls stay null")
    func officeActivity() throws {
        let (lines, _) = try Self.read(#"""
            {"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"UserId","type":"string"},
            {"name":"ClientIP","type":"string"},{"name":"Operation","type":"string"},{"name":"Parameters","type":"dynamic"}],
            "rows":[["2020-04-18T04:50:30.123Z","alex@contoso.com","1.2.3.4","Set-Mailbox","[{\"Name\":\"Identity\",\"Value\":\"alex\"}]"],
            ["2020-04-18T04:51:00Z",null,"","New-InboxRule","[]"]]}]}
            """#)
        let reader = EventReader(schema: EventSchema(), policy: .fail)
        try reader.read(ByteSource(bytes: Array(lines.utf8), name: "workspace"))
        #expect(reader.events.count == 2)
        #expect(lines.contains(#""Parameters":"[{\"Name\":\"Identity\",\"Value\":\"alex\"}]""#))
        #expect(lines.contains(#""UserId":null"#))
    }

    @Test("a partial answer (200 with an error beside the tables) keeps its rows and says which limit was hit")
    func partial() throws {
        // The shape of a recorded live answer that went past the 64 MB result limit.
        let (lines, summary) = try Self.read(#"""
            {"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"Message","type":"string"}],
            "rows":[["2022-06-03T19:50:29.043Z","{\"size\":500}"]]}],"error":{"code":"PartialError","message":"There were some errors when processing your query.",
            "details":[{"code":"EngineError","message":"Something went wrong processing your query on the server.",
            "innererror":{"code":"-2133196797","message":"Query result set has exceeded the internal data size limit 64000000 (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)","severity":2,"severityName":"Error"}}]}}
            """#)
        #expect(summary.rows == 1 && lines.hasSuffix("}\n"))
        #expect(summary.partialError?.hasPrefix("PartialError: There were some errors") == true)
        #expect(summary.partialError?.contains("E_QUERY_RESULT_SET_TOO_LARGE") == true)
    }

    @Test("escaped column names and values are written the one way the writers escape", arguments: [
        (#"{"tables":[{"columns":[{"name":"a\"b\u0041"}],"rows":[["x\u0041\/y\n"]]}]}"#, #"{"a\"bA":"xA/y\n"}"# + "\n"),
        (#"{"tables":[{"columns":[{"name":"n"}],"rows":[[{"k": [1, 2.5e3, true]}]]}]}"#, #"{"n":{"k":[1,2.5e3,true]}}"# + "\n"),
        (#"{"tables":[]}"#, ""), (#"{"tables":[{"columns":[{"name":"n"}],"rows":[]}]}"#, ""),
    ])
    func escaping(answer: String, expected: String) throws {
        #expect(try Self.read(answer).0 == expected)
    }

    @Test("a malformed, truncated or misshapen answer is one line naming the byte or the row", arguments: [
        (#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"],["y"#, "not a Log Analytics answer"),
        ("", "unexpected end of JSON"), ("[]", "is not a JSON object"), (#"{"value":1}"#, #"no "tables" array"#),
        (#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x","y"]]}]}"#, "row 1 has more cells than the 1 columns"),
        (#"{"tables":[{"columns":[{"name":"a"},{"name":"b"}],"rows":[["x"]]}]}"#, "row 1 has 1 cells for 2 columns"),
        (#"{"tables":[{"columns":[{"name":"a"}],"rows":[{"a":1}]}]}"#, "row 1 is not an array"),
        (#"{"tables":[{"columns":[{"type":"string"}],"rows":[]}]}"#, #"column 1 has no "name" string"#),
        (#"{"tables":[{"columns":[{"name":"a"}]}]}"#, #"no "columns" and "rows" arrays"#),
        (#"{"tables":[]} x"#, "more after the answer"),
        (#"{"error":{"code":"BadArgumentError","message":"The request had some invalid properties","innererror":{"code":"SyntaxError","message":"Syntax Error"}}}"#,
         "BadArgumentError: The request had some invalid properties (Syntax Error)"),
        (String(repeating: "[", count: 300), "nested deeper than 256 levels"),
        (#"{"tables":[{"columns":[{"name":"a"}],"rows":[["\#u{1}"]]}]}"#, "not a Log Analytics answer"),
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
}
