import Dispatch
import SeqHunt

/// Appending text to a byte buffer without building intermediate `String`s: the
/// writers format rows straight into `[UInt8]`.
extension Array where Element == UInt8 {
    @inline(__always) mutating func append(text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    @inline(__always) mutating func append(ascii: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: ascii.utf8Start, count: ascii.utf8CodeUnitCount))
    }

    /// `text` as a JSON string literal.
    mutating func append(jsonString text: String) {
        var text = text
        text.withUTF8 { appendJSONString(bytes: $0) }
    }

    mutating func appendJSONString(bytes: UnsafeBufferPointer<UInt8>) {
        append(0x22)
        var runStart = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            guard b < 0x20 || b == 0x22 || b == 0x5C || (b == 0xE2 && i + 2 < bytes.count && bytes[i + 1] == 0x80
                                                          && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9)) else { continue }
            append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
            switch b {
            case 0x22: append(ascii: "\\\"")
            case 0x5C: append(ascii: "\\\\")
            case 0x0A: append(ascii: "\\n")
            case 0x0D: append(ascii: "\\r")
            case 0x09: append(ascii: "\\t")
            case 0xE2:
                // U+2028 / U+2029: valid JSON, but escaped so the text is safe inside <script>.
                append(ascii: "\\u202")
                append(bytes[i + 2] == 0xA8 ? 0x38 : 0x39)
                runStart = i + 3
                continue
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                append(ascii: "\\u00")
                append(hex[Int(b >> 4)])
                append(hex[Int(b & 0xF)])
            }
            runStart = i + 1
        }
        if runStart < bytes.count { append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        append(0x22)
    }

    /// `bytes` as one CSV text field: quoted, with quotes doubled, when it holds a
    /// comma, quote, CR or LF (RFC 4180); as is otherwise.
    ///
    /// Log text is attacker-controlled, and spreadsheet programs evaluate a cell that
    /// starts a formula (see ``CSVText/startsFormula(_:)``). Such a field is written with
    /// a leading apostrophe, which spreadsheets take as "this is text". Numbers never
    /// pass through here (see ``append(number:)``).
    mutating func appendCSVField(bytes: UnsafeBufferPointer<UInt8>) {
        let formula = CSVText.startsFormula(bytes)
        guard formula || bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            append(contentsOf: bytes)
            return
        }
        append(0x22)
        if formula { append(UInt8(ascii: "'")) }
        var runStart = 0
        for i in 0..<bytes.count where bytes[i] == 0x22 {
            append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...i]))
            append(0x22)
            runStart = i + 1
        }
        append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        append(0x22)
    }

    mutating func append(csvField text: String) {
        var text = text
        text.withUTF8 { appendCSVField(bytes: $0) }
    }

    /// A finite double in Swift's shortest round-trip form; nothing for NaN or infinity.
    @inline(__always) mutating func append(number x: Double) {
        if x.isFinite { append(text: x.description) }
    }
}
