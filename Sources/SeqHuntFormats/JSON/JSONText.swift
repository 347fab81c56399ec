/// JSON text helpers.
package enum JSONText {
    /// Whether `text` is exactly one JSON number (`4`, `-0.5`, `1e3`; not `04`, `.5`, `NaN`).
    package static func isNumber(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { utf8 in
            var scanner = JSONScanner(UnsafeRawBufferPointer(utf8))
            guard !utf8.isEmpty, (try? scanner.skipNumber()) != nil else { return false }
            return scanner.position == utf8.count
        }
    }

    /// Appends `s` as a JSON string literal, escaping quotes, backslashes, controls,
    /// U+2028 and U+2029 (the writers' byte-level escaper does the work).
    package static func appendQuoted(_ s: String, to out: inout String) {
        var bytes: [UInt8] = []
        bytes.append(jsonString: s)
        out += String(decoding: bytes, as: UTF8.self)
    }
}
