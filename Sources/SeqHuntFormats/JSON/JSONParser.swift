import SeqHunt

/// A strict JSON parser (RFC 8259) over UTF-8 bytes, for SeqHunt's own readers (query answers, the
/// timeline's points), its tests and its fuzzers. It is not public API: no embedder needs a general JSON
/// library from a log tool (Foundation's `JSONDecoder` is there for those who do), so it is reachable only
/// through the `Internals` SPI, which the fuzzers (a separate package) import.
///
/// Hostile input is expected: nesting deeper than ``maximumDepth`` is an error, not
/// a stack overflow; invalid UTF-8 in strings, lone surrogates, trailing bytes and
/// control characters in strings are errors. Errors carry the byte offset.
@_spi(Internals) public struct JSONParser {
    /// The deepest nesting accepted.
    public static let maximumDepth = 256

    /// A syntax error at a byte offset of the parsed text.
    public struct SyntaxError: Error, CustomStringConvertible, Equatable {
        public var offset: Int
        public var cause: String
        public var description: String { cause }

        package init(offset: Int, cause: String) {
            self.offset = offset
            self.cause = cause
        }

        /// The scanner's error, as this parser's callers see it.
        init(_ error: JSONSyntaxError) { self.init(offset: error.offset, cause: error.cause) }
    }

    /// Parses exactly one JSON value from `bytes` (surrounding whitespace allowed).
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(SyntaxError) -> JSONValue {
        do throws(JSONSyntaxError) {
            var scanner = JSONScanner(bytes)
            var scratch: [UInt8] = []
            let value = try parseValue(&scanner, depth: 0, scratch: &scratch)
            guard scanner.atEnd() else { throw scanner.error("unexpected text after the JSON value") }
            return value
        } catch {
            throw SyntaxError(error)
        }
    }

    /// Parses exactly one JSON value from `text`.
    public static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
        var copy = text
        let result: Result<JSONValue, SyntaxError> = copy.withUTF8 { utf8 in
            do throws(SyntaxError) { return .success(try parse(UnsafeRawBufferPointer(utf8))) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Builds the value at the scanner's position; the scanner does the lexing and checking.
    static func parseValue(
        _ scanner: inout JSONScanner, depth: Int,
        scratch: inout [UInt8]
    ) throws(JSONSyntaxError) -> JSONValue {
        scanner.skipWhitespace()
        guard let b = scanner.peek() else { throw scanner.error("unexpected end of JSON") }
        switch b {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < maximumDepth else { throw scanner.error("JSON nested deeper than \(maximumDepth) levels") }
            let isObject = b == UInt8(ascii: "{")
            let close: UInt8 = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            var members: [(String, JSONValue)] = []
            var items: [JSONValue] = []
            if try scanner.enter(b, close, expected: "") {
                repeat {
                    if isObject {
                        try scanner.expectMemberName()
                        scratch.removeAll(keepingCapacity: true)
                        try scanner.readString(into: &scratch)
                        let name = String(decoding: scratch, as: UTF8.self)
                        try scanner.expectColon()
                        members.append((name, try parseValue(&scanner, depth: depth + 1, scratch: &scratch)))
                    } else {
                        items.append(try parseValue(&scanner, depth: depth + 1, scratch: &scratch))
                    }
                } while try scanner.continues(closing: close)
            }
            return isObject ? .object(members) : .array(items)
        case UInt8(ascii: "\""):
            scratch.removeAll(keepingCapacity: true)
            try scanner.readString(into: &scratch)
            return .string(String(decoding: scratch, as: UTF8.self))
        default:
            let span = try scanner.scanValue(depth: depth)
            switch span.kind {
            case .literalTrue: return .bool(true)
            case .literalFalse: return .bool(false)
            case .null: return .null
            default:
                return .number(
                    String(
                        decoding: UnsafeRawBufferPointer(rebasing: scanner.bytes[span.start..<span.end]), as: UTF8.self)
                )
            }
        }
    }
}

extension JSONParser.SyntaxError: SeqHuntError {}
