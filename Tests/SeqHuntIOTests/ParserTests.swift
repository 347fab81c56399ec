import Foundation
import Testing

@_spi(Internals) @testable import SeqHuntFormats
@_spi(Internals) @testable import SeqHuntIO

@Suite("CSV and JSON parsing")
struct ParserTests {
    func records(_ text: String) throws -> [[String]] {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            var scanner = CSVScanner(bytes: buffer, file: "t.csv")
            var out: [[String]] = []
            while let record = try scanner.nextRecord() { out.append(record) }
            return out
        }
    }

    @Test("RFC 4180: quotes spanning lines, doubled quotes, CRLF, BOM, empty fields")
    func csv() throws {
        #expect(
            try records("\u{FEFF}a,b\r\n1,\"x\r\ny\"\r\n\"he said \"\"hi\"\"\",\n") == [
                ["a", "b"], ["1", "x\r\ny"], ["he said \"hi\"", ""]
            ])
        #expect(throws: InputError.self) { try records("a\n\"open\n") }
    }

    @Test("line numbers count lines inside quoted fields")
    func csvLines() throws {
        let bytes = Array("a,b\n\"1\n2\n3\",x\nbad\"quote,y\n".utf8)
        do {
            try bytes.withUnsafeBufferPointer { buffer in
                var scanner = CSVScanner(bytes: buffer, file: "t.csv")
                while try scanner.nextRecord() != nil {}
            }
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.line == 5)
        }
    }

    @Test("JSON: values, escapes, surrogates, numbers kept as text")
    func json() throws {
        let value = try JSONParser.parse(#"{"a":[1,-2.5e3,true,null],"b":"\u00e9\ud83d\ude00\n","a":{}}"#)
        #expect(value["b"] == .string("é😀\n"))
        #expect(value["a"] == .object([]))  // the last duplicate wins on look-up
        if case .object(let members) = value { #expect(members.count == 3) }
        #expect(try JSONParser.parse("[1,-2.5e3]").compactText == "[1,-2.5e3]")
        for bad in ["[1,]", "{\"a\" 1}", "\"\\ud800\"", "01", "[", "\"a\u{01}\"", "tru"] {
            #expect(throws: JSONParser.SyntaxError.self, "\(bad)") { try JSONParser.parse(bad) }
        }
    }

    @Test("hostile nesting is an error, not a stack overflow")
    func deepNesting() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(deep) }
    }

    /// The (name, value) pairs that the one parameters parser finds in `text`.
    func parameters(_ text: String) throws -> [(String, String?)] {
        var parser = ParameterParser()
        var pairs: [(String, String?)] = []
        var copy = text
        try copy.withUTF8 { utf8 in
            try parser.parse(UnsafeRawBufferPointer(utf8)) { name, value in
                pairs.append((String(decoding: name, as: UTF8.self), value.map { String(decoding: $0, as: UTF8.self) }))
            }
        }
        return pairs
    }

    @Test("parameter values: numbers and booleans as JSON text, null as no value, nested as canonical compact JSON")
    func parameterValues() throws {
        let pairs = try parameters(
            #"[{"Name":"a","Value":5},{"Name":"b","Value":true},{"Name":"c","Value":null},{"Name":"d","Value":{"x":[1, 2], "y":"\u0041\/b"}}]"#
        )
        #expect(pairs.map(\.0) == ["a", "b", "c", "d"])
        #expect(pairs.map(\.1) == ["5", "true", nil, #"{"x":[1,2],"y":"A/b"}"#])
        #expect(try parameters(#"{"bucket":"logs","n":3}"#).map(\.1) == ["logs", "3"])
        // JSON text inside a JSON string, as some exports write the column.
        #expect(try parameters(#""[{\"Name\":\"Identity\",\"Value\":\"x\"}]""#).map(\.0) == ["Identity"])
        #expect(throws: JSONSyntaxError.self) { try parameters(#"[{"Value":1}]"#) }
        // The DOM's compact text is the same canonical text.
        #expect(try JSONParser.parse(#"{"x":[1, 2], "y":"\u0041\/b"}"#).compactText == #"{"x":[1,2],"y":"A/b"}"#)
    }
}

@Suite("Block splitting for parallel reads")
struct RecordBlocksTests {
    @Test("blocks end at record boundaries, pieces cover the file in order, line numbers carry across blocks")
    func smallBlocks() throws {
        // Records with quoted line feeds and doubled quotes, longer than the block size.
        var text = "h1,h2\n"
        for i in 0..<200 {
            text += "\(i),\"line \(i)\nmore \"\"quoted\"\" text \(String(repeating: "x", count: i % 37))\"\n"
        }
        let path = try writeTemporary("blocks.csv", text)
        let blocks = RecordBlocks(source: try ByteSource(path: path), quoteAware: true)
        var rebuilt: [UInt8] = []
        var expectedLine = 1
        while let pieces = try blocks.next(blockSize: 64, pieces: 3) {
            for piece in pieces {
                #expect(piece.firstLine == expectedLine)
                let bytes = Array(blocks.bytes[piece.range])
                rebuilt += bytes
                expectedLine += bytes.filter { $0 == 0x0A }.count
                // Every piece ends at a record end: a line feed outside quotes, or the end of the file.
                #expect(bytes.last == 0x0A)
                #expect(bytes.filter { $0 == 0x22 }.count % 2 == 0)
            }
        }
        #expect(rebuilt == Array(text.utf8))
    }
}
