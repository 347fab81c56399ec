/// CSV output helpers.
package enum CSVText {
    /// Whether a spreadsheet program would evaluate a text cell as a formula (OWASP's
    /// CSV-injection rule): its first character that is not white space (Unicode white
    /// space and the byte-order mark included) is `=`, `+`, `-` or `@`, or their full-width
    /// forms `＝ ＋ － ＠`; or the cell starts with a tab, CR or LF.
    package static func startsFormula(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        if first == 0x09 || first == 0x0D || first == 0x0A { return true }
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"):
                return true
            case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D:
                i += 1
                continue
            case 0xC2, 0xE1, 0xE2, 0xE3, 0xEF:
                let width = whiteSpaceWidth(bytes, at: i)
                if width > 0 {
                    i += width
                    continue
                }
                // ＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20).
                if b == 0xEF && i + 2 < bytes.count && bytes[i + 1] == 0xBC
                    && [0x9D, 0x8B, 0x8D, 0xA0].contains(bytes[i + 2])
                {
                    return true
                }
                return false
            default:
                return false
            }
        }
        return false
    }

    /// The byte length of the Unicode white-space character or byte-order mark at `i`,
    /// or 0: U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F,
    /// U+3000, U+FEFF (and U+180E, U+200B, which some programs trim too).
    static func whiteSpaceWidth(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let n = bytes.count - i
        let b0 = bytes[i]
        if b0 == 0xC2 && n >= 2 { return bytes[i + 1] == 0x85 || bytes[i + 1] == 0xA0 ? 2 : 0 }
        guard n >= 3 else { return 0 }
        let b1 = bytes[i + 1], b2 = bytes[i + 2]
        switch (b0, b1) {
        case (0xE1, 0x9A): return b2 == 0x80 ? 3 : 0  // U+1680
        case (0xE1, 0xA0): return b2 == 0x8E ? 3 : 0  // U+180E
        case (0xE2, 0x80): return (0x80...0x8B).contains(b2) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF ? 3 : 0
        case (0xE2, 0x81): return b2 == 0x9F ? 3 : 0  // U+205F
        case (0xE3, 0x80): return b2 == 0x80 ? 3 : 0  // U+3000
        case (0xEF, 0xBB): return b2 == 0xBF ? 3 : 0  // U+FEFF
        default: return 0
        }
    }

    /// `field` as a CSV text cell: quoted when it holds a comma, quote, CR or LF
    /// (RFC 4180), and with a leading apostrophe when it would start a spreadsheet formula.
    package static func escaped(_ field: String) -> String {
        var bytes: [UInt8] = []
        bytes.append(csvField: field)
        return String(decoding: bytes, as: UTF8.self)
    }
}
