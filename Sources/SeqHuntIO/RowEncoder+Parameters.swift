import SeqHunt

/// The `Parameters` cell of an event row.
extension RowEncoder {
    /// Parses a `Parameters` cell in one pass: a JSON array of `{"Name": ..., "Value": ...}`
    /// objects, a JSON object `{name: value}`, JSON text inside a JSON string, or null.
    mutating func addParameters(_ bytes: UnsafeRawBufferPointer) throws {
        var scanner = JSONScanner(bytes)
        var embedded: [UInt8]? = nil
        do throws(JSONParser.SyntaxError) {
            if scanner.atEnd() { return }
            switch scanner.peek() {
            case UInt8(ascii: "["):
                if try scanner.enter(UInt8(ascii: "["), UInt8(ascii: "]"), expected: "") {
                    repeat {
                        try addNameValueObject(&scanner)
                    } while try scanner.continues(closing: UInt8(ascii: "]"))
                }
            case UInt8(ascii: "{"):
                if try scanner.enter(UInt8(ascii: "{"), UInt8(ascii: "}"), expected: "") {
                    repeat {
                        try scanner.expectMemberName()
                        nameBytes.removeAll(keepingCapacity: true)
                        try scanner.readString(into: &nameBytes)
                        try scanner.expectColon()
                        try addParameter(named: &scanner)
                    } while try scanner.continues(closing: UInt8(ascii: "}"))
                }
            case UInt8(ascii: "\""):
                var decoded: [UInt8] = []
                try scanner.readString(into: &decoded)
                embedded = decoded
            case UInt8(ascii: "n"):
                try scanner.literal("null")
            default:
                throw scanner.error("Parameters should be a JSON array or object")
            }
            guard scanner.atEnd() else { throw scanner.error("unexpected text after the JSON value") }
        } catch {
            throw RowError(cause: "invalid Parameters JSON",
                           detail: "invalid JSON in column \"\(schema.parametersColumn ?? "")\" at byte \(error.offset + 1): \(error.cause)")
        }
        if let embedded {
            try embedded.withUnsafeBytes { try addParameters($0) }
        }
    }

    /// One `{"Name": ..., "Value": ...}` object (members in any order, others ignored).
    mutating func addNameValueObject(_ scanner: inout JSONScanner) throws(JSONParser.SyntaxError) {
        scanner.skipWhitespace()
        let objectStart = scanner.position
        var haveName = false, haveValue = false
        valueBytes.removeAll(keepingCapacity: true)
        if try scanner.enter(UInt8(ascii: "{"), UInt8(ascii: "}"), expected: "a parameter is not a {\"Name\", \"Value\"} object") {
            while true {
                let member = try scanner.skipMemberName()
                scanner.skipWhitespace()
                if scanner.nameEquals(member, Self.nameKey) && scanner.peek() == UInt8(ascii: "\"") {
                    nameBytes.removeAll(keepingCapacity: true)
                    try scanner.readString(into: &nameBytes)
                    haveName = true
                } else if scanner.nameEquals(member, Self.valueKey) {
                    // Decode the value as it is scanned (the last "Value" wins).
                    valueBytes.removeAll(keepingCapacity: true)
                    if scanner.peek() == UInt8(ascii: "\"") {
                        try scanner.readString(into: &valueBytes)
                        haveValue = true
                    } else {
                        haveValue = try scanner.appendText(of: scanner.scanValue(depth: 1), to: &valueBytes)
                    }
                } else {
                    _ = try scanner.scanValue(depth: 1)
                }
                if try !scanner.continues(closing: UInt8(ascii: "}")) { break }
            }
        }
        guard haveName else { throw scanner.error("a parameter has no string \"Name\"", at: objectStart) }
        let parameter = nameBytes.withUnsafeBytes { parameterID($0) }
        var valueID = SessionStore.noValue
        if haveValue && !valueBytes.isEmpty {
            valueID = valueBytes.withUnsafeBytes { pairID(parameter: parameter, value: $0) }
        }
        addOccurrence(parameter, valueID)
    }

    /// The value of a `{name: value}` member whose name is in `nameBytes`.
    mutating func addParameter(named scanner: inout JSONScanner) throws(JSONParser.SyntaxError) {
        let parameter = nameBytes.withUnsafeBytes { parameterID($0) }
        scanner.skipWhitespace()
        valueBytes.removeAll(keepingCapacity: true)
        if scanner.peek() == UInt8(ascii: "\"") {
            try scanner.readString(into: &valueBytes)
        } else {
            let span = try scanner.scanValue(depth: 1)
            _ = try scanner.appendText(of: span, to: &valueBytes)
        }
        let valueID = valueBytes.isEmpty ? SessionStore.noValue : valueBytes.withUnsafeBytes { pairID(parameter: parameter, value: $0) }
        addOccurrence(parameter, valueID)
    }

    mutating func addOccurrence(_ parameter: Int32, _ valueID: Int32) {
        // Parameter ids fit 32 bits by construction; only the 4-billion-occurrence limit can fail.
        do { try events.addParameter(id: parameter, valueID: valueID) } catch { report.skippedByCause["too many parameters", default: 0] += 1 }
    }

    static let nameKey = Array("Name".utf8)
    static let valueKey = Array("Value".utf8)
}
