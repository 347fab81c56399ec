/// The one parser of a parameters value, for event rows and sessions files alike: a
/// JSON array of `{"Name": ..., "Value": ...}` objects (members in any order, others
/// ignored, the last `Value` wins), a JSON object `{name: value}`, JSON text inside a
/// JSON string, or null.
///
/// Each parameter reaches `add(name, value)` as bytes: the name decoded, the value as
/// ``JSONScanner/appendText(of:to:)`` makes it (a string decoded, anything else its
/// canonical compact JSON text), nil for `null` or no `Value`. The bytes live in reused
/// scratch buffers: nothing is allocated per parameter once they have grown.
package struct ParameterParser {
    package init() {}

    private var name = OutputBuffer(capacity: 256)
    private var value = OutputBuffer(capacity: 1024)

    package typealias Sink = (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) throws -> Void

    /// Parses a whole cell.
    package mutating func parse(_ bytes: UnsafeRawBufferPointer, _ add: Sink) throws {
        var scanner = JSONScanner(bytes)
        if scanner.atEnd() { return }
        if let embedded = try parse(&scanner, add) {
            try embedded.withUnsafeBytes { try parse($0, add) }
            return
        }
        guard scanner.atEnd() else { throw scanner.error("unexpected text after the JSON value") }
    }

    /// Parses the value at the scanner's position. Returns the decoded text of a JSON
    /// string, which the caller parses in turn (JSON text inside a JSON string).
    package mutating func parse(_ scanner: inout JSONScanner, _ add: Sink) throws -> [UInt8]? {
        scanner.skipWhitespace()
        switch scanner.peek() {
        case UInt8(ascii: "["):
            if try scanner.enter(UInt8(ascii: "["), UInt8(ascii: "]"), expected: "") {
                repeat {
                    try nameValueObject(&scanner, add)
                } while try scanner.continues(closing: UInt8(ascii: "]"))
            }
        case UInt8(ascii: "{"):
            if try scanner.enter(UInt8(ascii: "{"), UInt8(ascii: "}"), expected: "") {
                repeat {
                    try scanner.expectMemberName()
                    name.removeAll()
                    try scanner.readString(into: &name)
                    try scanner.expectColon()
                    // Read first: `emit` must see the value just read (the call would capture `self` before its arguments).
                    let present = try readValue(&scanner)
                    try emit(present, add)
                } while try scanner.continues(closing: UInt8(ascii: "}"))
            }
        case UInt8(ascii: "\""):
            var decoded: [UInt8] = []
            try scanner.readString(into: &decoded)
            return decoded
        case UInt8(ascii: "n"):
            try scanner.literal("null")
        default:
            throw scanner.error("parameters should be a JSON array or object")
        }
        return nil
    }

    /// One `{"Name": ..., "Value": ...}` object.
    private mutating func nameValueObject(_ scanner: inout JSONScanner, _ add: Sink) throws {
        scanner.skipWhitespace()
        let objectStart = scanner.position
        var haveName = false, haveValue = false
        value.removeAll()
        if try scanner.enter(
            UInt8(ascii: "{"), UInt8(ascii: "}"), expected: "a parameter is not a {\"Name\", \"Value\"} object")
        {
            repeat {
                let member = try scanner.skipMemberName()
                scanner.skipWhitespace()
                if scanner.nameEquals(member, Self.nameKey) && scanner.peek() == UInt8(ascii: "\"") {
                    name.removeAll()
                    try scanner.readString(into: &name)
                    haveName = true
                } else if scanner.nameEquals(member, Self.valueKey) {
                    haveValue = try readValue(&scanner)
                } else {
                    _ = try scanner.scanValue(depth: 1)
                }
            } while try scanner.continues(closing: UInt8(ascii: "}"))
        }
        guard haveName else { throw scanner.error("a parameter has no string \"Name\"", at: objectStart) }
        try emit(haveValue, add)
    }

    /// Reads the value at the scanner's position into `value`: a string decoded in the
    /// same pass that scans it, anything else as its canonical text. False for null.
    private mutating func readValue(_ scanner: inout JSONScanner) throws -> Bool {
        value.removeAll()
        scanner.skipWhitespace()
        if scanner.peek() == UInt8(ascii: "\"") {
            try scanner.readString(into: &value)
            return true
        }
        return try scanner.appendText(of: scanner.scanValue(depth: 1), to: &value)
    }

    private func emit(_ haveValue: Bool, _ add: Sink) throws {
        try add(name.bytes, haveValue ? value.bytes : nil)
    }

    static let nameKey = Array("Name".utf8)
    static let valueKey = Array("Value".utf8)
}
