import CStructural
import SeqHunt
import SeqHuntSupport

#if canImport(Glibc)
import Glibc
#endif

/// Appending text to a byte sink without building intermediate `String`s: the writers
/// format rows straight into bytes. The one implementation of each value-to-text rule.
extension ByteSink {
    package static var hexDigits: StaticString { "0123456789abcdef" }

    @inline(__always) package mutating func append(text: String) {
        var text = text
        text.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The decimal digits of `value`, without a `String`.
    @inline(__always) package mutating func append(decimal value: Int) {
        DecimalDigits.withDigits(of: value) { append(bytes: $0) }
    }

    @inline(__always) package mutating func append(ascii: StaticString) {
        append(bytes: UnsafeRawBufferPointer(start: ascii.utf8Start, count: ascii.utf8CodeUnitCount))
    }

    @inline(__always) package mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBytes { append(bytes: $0) }
    }

    /// `text` as a JSON string literal.
    package mutating func append(jsonString text: String) {
        var text = text
        text.withUTF8 { appendJSONString(bytes: $0) }
    }

    package mutating func appendJSONString(bytes: UnsafeBufferPointer<UInt8>) {
        append(0x22)
        guard let base = bytes.baseAddress else {
            append(0x22)
            return
        }
        var runStart = 0
        var i = 0
        while true {
            // Copy the plain run up to the next byte that may need escaping, 16 bytes at a time.
            i += seqhunt_plain_run(base + i, bytes.count - i, 0x22, 0x5C, 0xE2, 0x22, 0x20)
            guard i < bytes.count else { break }
            let b = bytes[i]
            if b == 0xE2
                && !(i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9))
            {
                i += 1  // another character that starts with 0xE2: plain
                continue
            }
            append(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart..<i])))
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
                i += 3
                runStart = i
                continue
            default:
                append(ascii: "\\u00")
                append(Self.hexDigits.utf8Start[Int(b >> 4)])
                append(Self.hexDigits.utf8Start[Int(b & 0xF)])
            }
            i += 1
            runStart = i
        }
        if runStart < bytes.count {
            append(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart...])))
        }
        append(0x22)
    }

    /// `bytes` as one CSV text field: quoted, with quotes doubled, when it holds a
    /// comma, quote, CR or LF (RFC 4180); as is otherwise.
    ///
    /// Log text is attacker-controlled, and spreadsheet programs evaluate a cell that
    /// starts a formula (see ``CSVText/startsFormula(_:)``). Such a field is written with
    /// a leading apostrophe, which spreadsheets take as "this is text". Numbers never
    /// pass through here (see ``append(number:)``).
    package mutating func appendCSVField(bytes: UnsafeBufferPointer<UInt8>) {
        let formula = CSVText.startsFormula(bytes)
        guard
            formula
                || (bytes.baseAddress.map { seqhunt_plain_run($0, bytes.count, 0x2C, 0x22, 0x0A, 0x0D, 0) } ?? 0)
                    < bytes.count
        else {
            append(bytes: UnsafeRawBufferPointer(bytes))
            return
        }
        append(0x22)
        if formula { append(UInt8(ascii: "'")) }
        // Each quote doubled: copy up to and including it (found with memchr), then once more.
        var runStart = 0
        let base = bytes.baseAddress!
        while runStart < bytes.count, let quote = memchr(base + runStart, 0x22, bytes.count - runStart) {
            let i = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(quote))
            append(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart...i])))
            append(0x22)
            runStart = i + 1
        }
        append(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart...])))
        append(0x22)
    }

    package mutating func append(csvField text: String) {
        var text = text
        text.withUTF8 { appendCSVField(bytes: $0) }
    }

    /// A finite double in Swift's shortest round-trip form; nothing for NaN or infinity.
    @inline(__always) package mutating func append(number x: Double) {
        if x.isFinite { append(text: x.description) }
    }
}
