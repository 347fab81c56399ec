import SeqHunt

/// JSON text helpers.
package enum JSONText {
    /// Whether `text` is exactly one JSON number (`4`, `-0.5`, `1e3`; not `04`, `.5`, `NaN`).
    package static func isNumber(_ text: String) -> Bool {
        text.withUTF8Bytes { isNumber($0) }
    }

    /// Whether `bytes` are exactly one JSON number.
    package static func isNumber(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var scanner = JSONScanner(bytes)
        guard !bytes.isEmpty, (try? scanner.skipNumber()) != nil else { return false }
        return scanner.position == bytes.count
    }

    /// Appends `s` as a JSON string literal, escaping quotes, backslashes, controls,
    /// U+2028 and U+2029 (the writers' byte-level escaper does the work).
    package static func appendQuoted(_ s: String, to out: inout String) {
        var bytes: [UInt8] = []
        bytes.append(jsonString: s)
        out += String(decoding: bytes, as: UTF8.self)
    }
}
