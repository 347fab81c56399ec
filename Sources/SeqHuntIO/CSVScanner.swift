/// An RFC 4180 CSV scanner over bytes: quoted fields may span lines and hold
/// doubled quotes; CRLF and LF line ends; a leading UTF-8 BOM is skipped.
///
/// Each record's fields are validated as UTF-8. Errors name the file and the
/// line where the offending record starts.
public struct CSVScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    var position = 0
    var line = 1
    /// The 1-based line on which the last returned record starts.
    public private(set) var recordLine = 0

    public init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    }

    /// The next record's fields, or `nil` at the end of the input. Blank lines are skipped.
    public mutating func nextRecord() throws(InputError) -> [String]? {
        // Skip blank lines.
        while position < bytes.count && (bytes[position] == 0x0A || bytes[position] == 0x0D) {
            if bytes[position] == 0x0A { line += 1 }
            position += 1
        }
        guard position < bytes.count else { return nil }
        recordLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        while true {
            // One field.
            field.removeAll(keepingCapacity: true)
            if position < bytes.count && bytes[position] == UInt8(ascii: "\"") {
                position += 1
                let openLine = line
                var closed = false
                while position < bytes.count {
                    let b = bytes[position]
                    if b == UInt8(ascii: "\"") {
                        if position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "\"") {
                            field.append(b)
                            position += 2
                            continue
                        }
                        position += 1
                        closed = true
                        break
                    }
                    if b == 0x0A { line += 1 }
                    field.append(b)
                    position += 1
                }
                guard closed else {
                    throw InputError(file: file, line: openLine, cause: "unbalanced quote: a quoted field opened here never closes")
                }
                if position < bytes.count, !isFieldEnd(bytes[position]) {
                    throw InputError(file: file, line: line, cause: "unexpected character after a closing quote")
                }
            } else {
                while position < bytes.count && !isFieldEnd(bytes[position]) {
                    if bytes[position] == UInt8(ascii: "\"") {
                        throw InputError(file: file, line: line, cause: "quote inside an unquoted field")
                    }
                    field.append(bytes[position])
                    position += 1
                }
            }
            guard let text = String(validating: field, as: UTF8.self) else {
                throw InputError(file: file, line: line, column: fields.count + 1, cause: "invalid UTF-8 in field \(fields.count + 1)")
            }
            fields.append(text)
            // Field separator or record end.
            if position >= bytes.count { return fields }
            let b = bytes[position]
            position += 1
            if b == UInt8(ascii: ",") { continue }
            if b == 0x0D {
                if position < bytes.count && bytes[position] == 0x0A { position += 1 }
                line += 1
                return fields
            }
            if b == 0x0A {
                line += 1
                return fields
            }
        }
    }

    @inline(__always) func isFieldEnd(_ b: UInt8) -> Bool { b == UInt8(ascii: ",") || b == 0x0A || b == 0x0D }
}

/// CSV output helpers.
public enum CSVText {
    /// Whether a text cell beginning with `byte` would be evaluated by a spreadsheet
    /// program as a formula: `=`, `+`, `-`, `@`, tab or CR.
    @inline(__always) public static func startsFormula(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@")
            || byte == 0x09 || byte == 0x0D
    }

    /// `field` as a CSV text cell: quoted when it holds a comma, quote, CR or LF
    /// (RFC 4180), and with a leading apostrophe when it would start a spreadsheet formula.
    public static func escaped(_ field: String) -> String {
        var bytes: [UInt8] = []
        bytes.append(csvField: field)
        return String(decoding: bytes, as: UTF8.self)
    }
}
