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
