/// Streams the records of a JSON document that holds them in an array — a top-level
/// array (`az ... -o json`, `DataFrame.to_json(orient="records")`) or an object whose
/// first member is one (`{"Records": [...]}`, as CloudTrail delivers its files) — out
/// as JSON Lines, one record per line, so that the JSON Lines reader reads them.
///
/// Nothing is held whole: bytes go in and out a buffer at a time. Line breaks inside a
/// record become spaces, and each record starts on the output line of the input line it
/// started on (when records share an input line, on the next free one), so errors name
/// the input's lines. Several documents one after another (`zcat *.json.gz`) read as one.
package struct JSONRecordUnwrapper {
    /// Where the records are.
    package enum Layout: Equatable, Sendable {
        /// The document is an array of records.
        case array
        /// The document is an object whose first member, with this name, is an array of records.
        case member(String)
    }

    private enum State {
        /// Before a document (whitespace, or the end of the input).
        case document
        /// Inside `{` of a `.member` document, reading up to the records array's `[`.
        case memberPrelude
        /// Inside the records array, between records.
        case between(afterRecord: Bool)
        /// Inside a record.
        case record
        /// After the records array: the rest of the document (for `.member`, other members and `}`).
        case trailer
    }

    let layout: Layout
    let file: String
    private var state = State.document
    private var prelude: [UInt8] = []
    private let memberPattern: [UInt8]
    private var inputLine = 1
    private var outputLine = 1
    private var pendingNewlines = 0
    private var documentLine = 1
    // Inside a record or the trailer.
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var scalarRecord = false
    private var atStart = true

    package init(layout: Layout, file: String) {
        self.layout = layout
        self.file = file
        var pattern: [UInt8] = []
        if case .member(let name) = layout { pattern.append(jsonString: name) }
        memberPattern = pattern
    }

    private func failure(_ cause: String, line: Int? = nil) -> InputError {
        InputError(file: file, line: line ?? inputLine, cause: cause)
    }

    @inline(__always) private static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
    }

    /// Moves bytes from `input` to `output`. Returns the bytes consumed and produced; stops
    /// when either runs out.
    package mutating func transform(
        _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws -> (consumed: Int, produced: Int) {
        var i = 0, o = 0
        let n = input.count, room = output.count
        if atStart, n >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF { i = 3 }
        if n > 0 { atStart = false }
        while i < n {
            while pendingNewlines > 0 && o < room {
                output[o] = 0x0A
                o += 1
                outputLine += 1
                pendingNewlines -= 1
            }
            guard o < room else { break }
            let b = input[i]
            switch state {
            case .document:
                if b == 0x0A { inputLine += 1 }
                if Self.isSpace(b) {
                    i += 1
                    continue
                }
                documentLine = inputLine
                switch (layout, b) {
                case (.array, UInt8(ascii: "[")): state = .between(afterRecord: false)
                case (.member, UInt8(ascii: "{")):
                    state = .memberPrelude
                    prelude.removeAll(keepingCapacity: true)
                case (.array, _): throw failure("unexpected text after the JSON array of records")
                case (.member(let name), _):
                    throw failure("unexpected text after the JSON object holding \"\(name)\": [...]")
                }
                i += 1
            case .memberPrelude:
                if b == 0x0A { inputLine += 1 }
                i += 1
                if b == UInt8(ascii: "[") {
                    guard preludeMatches() else { throw failure(preludeCause(), line: documentLine) }
                    state = .between(afterRecord: false)
                    continue
                }
                prelude.append(b)
                if prelude.count > memberPattern.count + 64 || (b == UInt8(ascii: ":") && !preludeNameMatches()) {
                    throw failure(preludeCause(), line: documentLine)
                }
            case .between(let afterRecord):
                if b == 0x0A { inputLine += 1 }
                if Self.isSpace(b) {
                    i += 1
                    continue
                }
                if b == UInt8(ascii: ",") {
                    guard afterRecord else { throw failure("unexpected ',' in the JSON array of records") }
                    state = .between(afterRecord: false)
                    i += 1
                    continue
                }
                if b == UInt8(ascii: "]") {
                    // An array document ends here; a `.member` one has the rest of its object to go.
                    state = layout == .array ? .document : .trailer
                    depth = 1
                    inString = false
                    escaped = false
                    i += 1
                    continue
                }
                guard !afterRecord else { throw failure("expected ',' or ']' in the JSON array of records") }
                // A record starts: on its own input line when it can.
                pendingNewlines += max(0, inputLine - (outputLine + pendingNewlines))
                state = .record
                depth = 0
                inString = false
                escaped = false
                scalarRecord = !(b == UInt8(ascii: "{") || b == UInt8(ascii: "["))
            case .record:
                if inString {
                    output[o] = b
                    o += 1
                    i += 1
                    if b == 0x0A { inputLine += 1 }  // invalid in JSON: the reader reports it
                    if escaped {
                        escaped = false
                    } else if b == UInt8(ascii: "\\") {
                        escaped = true
                    } else if b == 0x22 {
                        inString = false
                    }
                    continue
                }
                if scalarRecord && (b == UInt8(ascii: ",") || b == UInt8(ascii: "]") || Self.isSpace(b)) {
                    endRecord(&o, output)
                    continue
                }
                i += 1
                switch b {
                case 0x22:
                    inString = true
                    output[o] = b
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                    output[o] = b
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    output[o] = b
                case 0x0A:
                    inputLine += 1
                    output[o] = 0x20
                case 0x0D, 0x09: output[o] = 0x20
                default: output[o] = b
                }
                o += 1
                if depth == 0 && !scalarRecord { endRecord(&o, output) }
            case .trailer:
                if b == 0x0A { inputLine += 1 }
                i += 1
                if inString {
                    if escaped {
                        escaped = false
                    } else if b == UInt8(ascii: "\\") {
                        escaped = true
                    } else if b == 0x22 {
                        inString = false
                    }
                    continue
                }
                switch b {
                case 0x22: inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
                if depth == 0 { state = .document }
            }
        }
        return (i, o)
    }

    /// Ends the record just copied: a line feed (there is always room: a record byte was
    /// just written, or the caller checked).
    private mutating func endRecord(_ o: inout Int, _ output: UnsafeMutableRawBufferPointer) {
        if o < output.count {
            output[o] = 0x0A
            o += 1
            outputLine += 1
        } else {
            pendingNewlines += 1
        }
        state = .between(afterRecord: true)
    }

    /// Called at the end of the input: throws when a document is still open.
    package func finish() throws {
        switch state {
        case .document: return
        case .record where scalarRecord: throw failure("the JSON array of records never closes", line: documentLine)
        case .memberPrelude, .between, .record, .trailer:
            throw failure(
                layout == .array
                    ? "the JSON array of records that opens here never closes"
                    : "the JSON object of records that opens here never closes", line: documentLine)
        }
    }

    /// Whether the bytes between `{` and `[` are `"NAME"` `:` with any whitespace.
    private func preludeMatches() -> Bool {
        var p = 0
        while p < prelude.count && Self.isSpace(prelude[p]) { p += 1 }
        guard prelude.count - p >= memberPattern.count, Array(prelude[p..<(p + memberPattern.count)]) == memberPattern
        else { return false }
        p += memberPattern.count
        while p < prelude.count && Self.isSpace(prelude[p]) { p += 1 }
        guard p < prelude.count, prelude[p] == UInt8(ascii: ":") else { return false }
        p += 1
        while p < prelude.count && Self.isSpace(prelude[p]) { p += 1 }
        return p == prelude.count
    }

    /// Whether the prelude up to its `:` names the member.
    private func preludeNameMatches() -> Bool {
        var trimmed = prelude.dropLast()[...]
        while let first = trimmed.first, Self.isSpace(first) { trimmed = trimmed.dropFirst() }
        while let last = trimmed.last, Self.isSpace(last) { trimmed = trimmed.dropLast() }
        return Array(trimmed) == memberPattern
    }

    private func preludeCause() -> String {
        guard case .member(let name) = layout else { return "expected a JSON array of records" }
        return "expected each JSON object to start with \"\(name)\": [...] (the records)"
    }
}
