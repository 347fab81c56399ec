/// Log text made safe for a terminal: control characters (escape sequences), line and
/// paragraph separators and bidirectional controls (which reorder what is shown) appear
/// as `?`, and the text is cut to `limit` characters. The terminal table, `explain` and the
/// PNG labels show log text through it.
package func printable(_ text: String, limit: Int = 40) -> String {
    func unsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F..<0xA0).contains(v) || v == 0x2028 || v == 0x2029 || v == 0x061C || v == 0x200E
            || v == 0x200F
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }
    var out = String(String.UnicodeScalarView(text.unicodeScalars.map { unsafe($0) ? "?" : $0 }))
    if out.count > limit { out = String(out.prefix(limit - 1)) + "…" }
    return out
}
