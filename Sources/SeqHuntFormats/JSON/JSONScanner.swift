import CStructural

#if canImport(Glibc)
import Glibc
#endif

/// A byte-level JSON scanner for the bulk paths (event rows and `Parameters`):
/// it validates and walks JSON without building values or `String`s, decoding
/// only the strings the caller asks for into a reused scratch buffer.
///
/// Errors are ``JSONSyntaxError`` with the byte offset in the scanned text.
package struct JSONScanner {
    package typealias SyntaxError = JSONSyntaxError

    /// The kind and byte range of a scanned value.
    package struct Span {
        package enum Kind { case string, number, literalTrue, literalFalse, null, array, object }
        package var kind: Kind
        package var start: Int
        package var end: Int
    }

    package let bytes: UnsafeRawBufferPointer
    package var position = 0

    package init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    package func error(_ cause: String, at offset: Int? = nil) -> SyntaxError {
        SyntaxError(offset: offset ?? position, cause: cause)
    }

    package mutating func skipWhitespace() {
        while position < bytes.count {
            let b = bytes[position]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            position += 1
        }
    }

    /// Whether only whitespace remains.
    package mutating func atEnd() -> Bool {
        skipWhitespace()
        return position >= bytes.count
    }

    @inline(__always) package func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    /// Scans (and validates) one value, returning its span.
    package mutating func scanValue(depth: Int = 0) throws(SyntaxError) -> Span {
        skipWhitespace()
        guard let b = peek() else { throw error("unexpected end of JSON") }
        let start = position
        switch b {
        case UInt8(ascii: "\""):
            try skipString()
            return Span(kind: .string, start: start, end: position)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < JSONParser.maximumDepth else {
                throw error("JSON nested deeper than \(JSONParser.maximumDepth) levels")
            }
            let isObject = b == UInt8(ascii: "{")
            let close: UInt8 = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            if try enter(b, close, expected: "") {
                repeat {
                    if isObject { _ = try skipMemberName() }
                    _ = try scanValue(depth: depth + 1)
                } while try continues(closing: close)
            }
            return Span(kind: isObject ? .object : .array, start: start, end: position)
        case UInt8(ascii: "t"):
            try literal("true")
            return Span(kind: .literalTrue, start: start, end: position)
        case UInt8(ascii: "f"):
            try literal("false")
            return Span(kind: .literalFalse, start: start, end: position)
        case UInt8(ascii: "n"):
            try literal("null")
            return Span(kind: .null, start: start, end: position)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try skipNumber()
            return Span(kind: .number, start: start, end: position)
        default:
            throw error("unexpected character in JSON")
        }
    }

    package mutating func literal(_ word: StaticString) throws(SyntaxError) {
        let n = word.utf8CodeUnitCount
        guard position + n <= bytes.count else { throw error("invalid literal in JSON") }
        for i in 0..<n where bytes[position + i] != word.utf8Start[i] { throw error("invalid literal in JSON") }
        position += n
    }

    package mutating func skipNumber() throws(SyntaxError) {
        @inline(__always) func isDigit(_ b: UInt8?) -> Bool { b.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard isDigit(peek()) else { throw error("invalid number in JSON") }
        if peek() == UInt8(ascii: "0") { position += 1 } else { while isDigit(peek()) { position += 1 } }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard isDigit(peek()) else { throw error("invalid number in JSON") }
            while isDigit(peek()) { position += 1 }
        }
        if let e = peek(), e | 0x20 == UInt8(ascii: "e") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard isDigit(peek()) else { throw error("invalid number in JSON") }
            while isDigit(peek()) { position += 1 }
        }
    }

    /// Skips a string literal, checking escapes and control characters (UTF-8 is
    /// checked when a string is decoded).
    package mutating func skipString() throws(SyntaxError) {
        position += 1
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        while position < bytes.count {
            // Jump over the plain run, 16 bytes at a time.
            position += seqhunt_json_string_run(base + position, bytes.count - position)
            guard position < bytes.count else { break }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                position += 1
                return
            }
            if b < 0x20 { throw error("control character in JSON string") }
            if b == UInt8(ascii: "\\") {
                position += 1
                guard position < bytes.count else { break }
                switch bytes[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    guard position + 4 < bytes.count else { throw error("invalid \\u escape in JSON string") }
                    for i in 1...4 where !isHex(bytes[position + i]) {
                        throw error("invalid \\u escape in JSON string")
                    }
                    position += 5
                default:
                    throw error("invalid escape in JSON string")
                }
                continue
            }
            position += 1
        }
        throw error("unterminated JSON string")
    }

    @inline(__always) package func isHex(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66)
    }

    /// Consumes `open` after any whitespace (throwing `expected` when it is missing);
    /// returns `false` when the container closes at once (its `close` consumed too),
    /// `true` when items follow.
    package mutating func enter(_ open: UInt8, _ close: UInt8, expected: String) throws(SyntaxError) -> Bool {
        skipWhitespace()
        guard peek() == open else { throw error(expected) }
        position += 1
        skipWhitespace()
        if peek() == close {
            position += 1
            return false
        }
        return true
    }

    /// Whitespace, then the opening quote of a member name (left for the caller to read).
    package mutating func expectMemberName() throws(SyntaxError) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a member name in JSON object") }
    }

    /// Whitespace, then the `:` after a member name.
    package mutating func expectColon() throws(SyntaxError) {
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw error("expected ':' in JSON object") }
        position += 1
    }

    /// Skips a member name and its `:`, returning the name's span (quotes included).
    package mutating func skipMemberName() throws(SyntaxError) -> Span {
        try expectMemberName()
        let start = position
        try skipString()
        let name = Span(kind: .string, start: start, end: position)
        try expectColon()
        return name
    }

    /// After an item of an array or a member of an object: consumes `,` (returns `true`:
    /// another item follows) or the closing bracket (returns `false`).
    package mutating func continues(closing close: UInt8) throws(SyntaxError) -> Bool {
        let isObject = close == UInt8(ascii: "}")
        skipWhitespace()
        guard let c = peek() else { throw error(isObject ? "unterminated JSON object" : "unterminated JSON array") }
        if c == UInt8(ascii: ",") {
            position += 1
            return true
        }
        if c == close {
            position += 1
            return false
        }
        throw error(isObject ? "expected ',' or '}' in JSON object" : "expected ',' or ']' in JSON array")
    }

    /// Calls `body(name, value)` for each member of the object at the current position.
    package mutating func forEachMember(_ body: (Span, Span) throws -> Void) throws {
        guard try enter(UInt8(ascii: "{"), UInt8(ascii: "}"), expected: "expected a JSON object") else { return }
        repeat {
            let name = try skipMemberName()
            try body(name, try scanValue(depth: 1))
        } while try continues(closing: UInt8(ascii: "}"))
    }

    /// Calls `body(name, &scanner)` for each member of the object at the current position,
    /// with the scanner at the member's value: the body scans the value itself, in one pass
    /// with whatever it reads from it.
    package mutating func forEachMember(scanningValues body: (Span, inout JSONScanner) throws -> Void) throws {
        guard try enter(UInt8(ascii: "{"), UInt8(ascii: "}"), expected: "expected a JSON object") else { return }
        repeat {
            let name = try skipMemberName()
            skipWhitespace()
            try body(name, &self)
        } while try continues(closing: UInt8(ascii: "}"))
    }

    /// Calls `body(item)` for each item of the array at the current position, items at
    /// nesting `depth`.
    package mutating func forEachItem(depth: Int = 1, _ body: (Span) throws -> Void) throws {
        guard try enter(UInt8(ascii: "["), UInt8(ascii: "]"), expected: "expected a JSON array") else { return }
        repeat {
            try body(try scanValue(depth: depth))
        } while try continues(closing: UInt8(ascii: "]"))
    }

    /// The first item of the array `span` (already scanned, so already valid), or `nil` when it
    /// is empty: only that item is read, not the rest of the array.
    package func firstItem(of span: Span) throws(SyntaxError) -> Span? {
        var scanner = self
        scanner.position = span.start
        guard try scanner.enter(UInt8(ascii: "["), UInt8(ascii: "]"), expected: "expected a JSON array") else {
            return nil
        }
        return try scanner.scanValue(depth: 1)
    }

    /// The members of the object `object` named `names`, in one pass over it (a lookup per name
    /// with ``member(at:in:)`` would scan the whole object each time); the first of a repeated
    /// name, as ``member(at:in:)`` takes. Names are compared unescaped, not as dotted paths.
    package func members(_ names: [[UInt8]], in object: Span) throws(SyntaxError) -> [Span?] {
        var found = [Span?](repeating: nil, count: names.count)
        var walker = self
        walker.position = object.start
        guard try walker.enter(UInt8(ascii: "{"), UInt8(ascii: "}"), expected: "expected a JSON object") else {
            return found
        }
        repeat {
            let name = try walker.skipMemberName()
            let value = try walker.scanValue(depth: 1)
            if let index = names.firstIndex(where: { nameEquals(name, $0) }), found[index] == nil {
                found[index] = value
            }
        } while try walker.continues(closing: UInt8(ascii: "}"))
        return found
    }

    /// Scans the array at the current position, appending its items' spans to `items`, and
    /// returns the array's span.
    package mutating func scanArray(items: inout [Span], depth: Int) throws -> Span {
        let start = position
        try forEachItem(depth: depth) { items.append($0) }
        return Span(kind: .array, start: start, end: position)
    }

    /// Reads the string literal at the current position, decoding it onto `out` in
    /// the same pass (escapes resolved, UTF-8 checked).
    package mutating func readString(into out: inout some ByteSink) throws(SyntaxError) {
        let start = position
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a JSON string") }
        position += 1
        let base = bytes.baseAddress!
        let startCount = out.count
        while true {
            // Copy the run up to the next quote, backslash or control character (found 16 bytes at a time).
            let i =
                position
                + seqhunt_json_string_run(base.assumingMemoryBound(to: UInt8.self) + position, bytes.count - position)
            if i > position { out.append(bytes: UnsafeRawBufferPointer(start: base + position, count: i - position)) }
            position = i
            guard position < bytes.count else { throw error("unterminated JSON string") }
            let b = bytes[position]
            if b == 0x22 {
                position += 1
                guard UTF8Validation.isValidFast(out, from: startCount) else {
                    throw error("invalid UTF-8 in JSON string", at: start)
                }
                return
            }
            if b < 0x20 { throw error("control character in JSON string") }
            // An escape: validate with skipString's rules, then decode it.
            let escapeStart = position
            position += 1
            guard position < bytes.count else { throw error("unterminated JSON string") }
            switch bytes[position] {
            case UInt8(ascii: "\""):
                out.append(0x22)
                position += 1
            case UInt8(ascii: "\\"):
                out.append(0x5C)
                position += 1
            case UInt8(ascii: "/"):
                out.append(0x2F)
                position += 1
            case UInt8(ascii: "b"):
                out.append(0x08)
                position += 1
            case UInt8(ascii: "f"):
                out.append(0x0C)
                position += 1
            case UInt8(ascii: "n"):
                out.append(0x0A)
                position += 1
            case UInt8(ascii: "r"):
                out.append(0x0D)
                position += 1
            case UInt8(ascii: "t"):
                out.append(0x09)
                position += 1
            case UInt8(ascii: "u"):
                guard position + 4 < bytes.count else { throw error("invalid \\u escape in JSON string") }
                for k in 1...4 where !isHex(bytes[position + k]) { throw error("invalid \\u escape in JSON string") }
                var scalar = hex4(at: position + 1)
                position += 5
                if (0xD800...0xDBFF).contains(scalar) {
                    guard position + 6 <= bytes.count, bytes[position] == 0x5C, bytes[position + 1] == UInt8(ascii: "u")
                    else {
                        throw error("lone surrogate in JSON string", at: escapeStart)
                    }
                    for k in 2...5 where !isHex(bytes[position + k]) {
                        throw error("invalid \\u escape in JSON string")
                    }
                    let low = hex4(at: position + 2)
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw error("lone surrogate in JSON string", at: escapeStart)
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    position += 6
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw error("lone surrogate in JSON string", at: escapeStart)
                }
                UTF8Validation.appendScalar(scalar, to: &out)
            default:
                throw error("invalid escape in JSON string")
            }
        }
    }

    /// Calls `body` with the text of the member name (or string) `span`, unescaped: the
    /// bytes in place when it has no escape, else decoded into `scratch`.
    package func withName<R>(
        _ span: Span, scratch: inout [UInt8],
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        let inner = UnsafeRawBufferPointer(rebasing: bytes[(span.start + 1)..<(span.end - 1)])
        guard !inner.isEmpty, memchr(inner.baseAddress!, 0x5C, inner.count) != nil else { return try body(inner) }
        scratch.removeAll(keepingCapacity: true)
        try decodeString(span, into: &scratch)
        return try scratch.withUnsafeBytes { try body($0) }
    }

    /// Whether the member name (or string) `span`, unescaped, is `literal`.
    package func nameEquals(_ span: Span, _ literal: [UInt8]) -> Bool {
        let length = span.end - span.start - 2
        // Escapes only make the text longer than what it decodes to: a name as long as the
        // literal equals it only byte for byte, and a shorter one never does.
        if length == literal.count {
            for i in 0..<length where bytes[span.start + 1 + i] != literal[i] { return false }
            return true
        }
        guard length > literal.count, memchr(bytes.baseAddress! + span.start + 1, 0x5C, length) != nil else {
            return false
        }
        var decoded: [UInt8] = []
        guard (try? decodeString(span, into: &decoded)) != nil else { return false }
        return decoded == literal
    }

    /// The value at `path` inside the object `object`: a member named `path`, or a path of
    /// nested members separated by dots. At each level a member whose own name is the whole
    /// rest of the path wins over a nested one.
    package func member(at path: ArraySlice<UInt8>, in object: Span) throws(SyntaxError) -> Span? {
        var scanner = self
        scanner.position = object.start
        var found: Span? = nil
        var exact = false
        var scratch: [UInt8] = []
        guard try scanner.enter(UInt8(ascii: "{"), UInt8(ascii: "}"), expected: "expected a JSON object") else {
            return nil
        }
        repeat {
            let nameSpan = try scanner.skipMemberName()
            let value = try scanner.scanValue(depth: 1)
            guard !exact else { continue }
            scratch.removeAll(keepingCapacity: true)
            try decodeString(nameSpan, into: &scratch)
            if scratch.elementsEqual(path) {
                found = value
                exact = true
            } else if value.kind == .object, path.count > scratch.count,
                path[path.startIndex + scratch.count] == UInt8(ascii: "."), path.starts(with: scratch)
            {
                found = try member(at: path[(path.startIndex + scratch.count + 1)...], in: value) ?? found
            }
        } while try scanner.continues(closing: UInt8(ascii: "}"))
        return found
    }

    /// Appends the text of a value to `out` as docs/SPEC.md §9 wants it: a string decoded, a
    /// number or boolean as its JSON text, a nested value as compact JSON text. Null
    /// appends nothing and returns `false`. Decoded text is checked to be UTF-8.
    package func appendText(of span: Span, to out: inout some ByteSink) throws(SyntaxError) -> Bool {
        switch span.kind {
        case .null:
            return false
        case .string:
            try decodeString(span, into: &out)
        case .number, .literalTrue, .literalFalse:
            out.append(bytes: UnsafeRawBufferPointer(rebasing: bytes[span.start..<span.end]))
        case .array, .object:
            try appendCanonical(span, to: &out)
        }
        return true
    }

    /// Appends the canonical compact JSON text of the (already scanned) value `span`: no
    /// whitespace, strings decoded and escaped again the one way the writers escape them
    /// (so `"\u0041\/b"` and `"A/b"` give the same text), numbers and literals as written.
    package func appendCanonical(_ span: Span, to out: inout some ByteSink) throws(SyntaxError) {
        var i = span.start
        var decoded: [UInt8] = []
        while i < span.end {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                var scanner = self
                scanner.position = i
                try scanner.skipString()
                decoded.removeAll(keepingCapacity: true)
                try decodeString(Span(kind: .string, start: i, end: scanner.position), into: &decoded)
                decoded.withUnsafeBufferPointer { out.appendJSONString(bytes: $0) }
                i = scanner.position
                continue
            }
            if !(b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09) { out.append(b) }
            i += 1
        }
    }

    /// Decodes the string literal `span` (escapes resolved) onto `out`.
    package func decodeString(_ span: Span, into out: inout some ByteSink) throws(SyntaxError) {
        let startCount = out.count
        var i = span.start + 1
        let end = span.end - 1
        let base = bytes.baseAddress!
        while i < end {
            // Copy the run up to the next backslash at once.
            let run = memchr(base + i, 0x5C, end - i).map { base.distance(to: UnsafeRawPointer($0)) } ?? end
            if run > i { out.append(bytes: UnsafeRawBufferPointer(start: base + i, count: run - i)) }
            i = run
            guard i < end else { break }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(at: i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 6 <= end, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw error("lone surrogate in JSON string", at: i)
                    }
                    let low = hex4(at: i + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("lone surrogate in JSON string", at: i) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw error("lone surrogate in JSON string", at: i)
                }
                UTF8Validation.appendScalar(scalar, to: &out)
            default: out.append(e)  // \" \\ \/
            }
        }
        guard UTF8Validation.isValidFast(out, from: startCount) else {
            throw error("invalid UTF-8 in JSON string", at: span.start)
        }
    }

    package func hex4(at i: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 {
            let b = bytes[i + k] | 0x20
            value = value << 4 | UInt32(b <= 0x39 ? b - 0x30 : b - 0x61 + 10)
        }
        return value
    }
}
