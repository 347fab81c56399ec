import Foundation

/// Writes a timeline as one self-contained HTML page (no network, no external
/// scripts): a scatter of start time against rarest-window likelihood with hover
/// tooltips, wheel and drag zoom, a range selector, and a table of the rarest sessions.
///
/// Every string from a log reaches the page only as JSON data inside a
/// `<script type="application/json">` element, with `<`, `>` and `&` escaped, and the
/// page's script puts it in the document with `textContent`, never as HTML: a command
/// named `<img src=x onerror=alert(1)>` shows as text.
public enum TimelineHTML {
    /// The most points a page holds: the rarest ones are kept, so that it stays responsive.
    public static let maximumPoints = 100_000

    /// The page of `points`. The page's data is one JSON object: `log`, `top`, `title`,
    /// `legend`; `points`, each `{"t": ms, "l": log10 score, "k": who, "w": window, "s":
    /// session, "g": group, "id": session_id, "r": rank (marked points only), "why": reason}`;
    /// `more` (`{"count", "l"}` for ties left unmarked, or null); and the counts `unscored`,
    /// `undated`, `above` and `omitted` for the footnote. The page marks exactly the points
    /// that carry a rank, in rank order: it never ranks on its own.
    public static func render(_ points: [TimelinePoint], options: TimelineOptions = TimelineOptions()) -> String {
        let bound = options.upperBound.map { log($0) } ?? .infinity
        let unscored = points.filter { !$0.logLikelihood.isFinite }.count
        var shown = points.indices.filter { points[$0].logLikelihood.isFinite && points[$0].logLikelihood <= bound }
        let above = points.count - unscored - shown.count
        var omitted = 0
        if shown.count > maximumPoints {
            // The rarest stay, marked ones first (a mark may tie with unmarked points).
            shown.sort { (points[$0].rank ?? .max, points[$0].logLikelihood) < (points[$1].rank ?? .max, points[$1].logLikelihood) }
            omitted = shown.count - maximumPoints
            shown.removeLast(omitted)
            shown.sort()
        }
        var data: [UInt8] = []
        data.reserveCapacity(shown.count * 160 + 256)
        data.append(contentsOf: "{\"log\":\(options.logarithmic),\"top\":\(options.top),\"title\":".utf8)
        appendJSON(options.title, to: &data)
        data.append(contentsOf: ",\"legend\":".utf8)
        if let title = options.legendTitle { appendJSON(title, to: &data) } else { data.append(contentsOf: "null".utf8) }
        data.append(contentsOf: ",\"points\":[".utf8)
        for (n, i) in shown.enumerated() {
            let p = points[i]
            if n > 0 { data.append(0x2C) }
            data.append(contentsOf: "{\"t\":".utf8)
            data.append(contentsOf: String(p.time / 1000).utf8)
            data.append(contentsOf: ",\"l\":".utf8)
            data.append(contentsOf: (p.logLikelihood / log(10)).description.utf8)
            data.append(contentsOf: ",\"k\":".utf8)
            appendJSON(p.key, to: &data)
            data.append(contentsOf: ",\"w\":".utf8)
            appendJSONArray(p.window, to: &data)
            data.append(contentsOf: ",\"s\":".utf8)
            appendJSONArray(p.session, to: &data)
            if let g = p.group {
                data.append(contentsOf: ",\"g\":".utf8)
                appendJSON(g, to: &data)
            }
            if let id = p.sessionID { data.append(contentsOf: ",\"id\":\(id)".utf8) }
            if let r = p.rank { data.append(contentsOf: ",\"r\":\(r)".utf8) }
            if !p.reason.isEmpty {
                data.append(contentsOf: ",\"why\":".utf8)
                appendJSON(p.reason, to: &data)
            }
            data.append(0x7D)
        }
        data.append(contentsOf: "],\"more\":".utf8)
        if let more = options.unmarkedTies {
            data.append(contentsOf: "{\"count\":\(more.count),\"l\":\((more.logLikelihood / log(10)).description)}".utf8)
        } else {
            data.append(contentsOf: "null".utf8)
        }
        data.append(contentsOf: ",\"unscored\":\(unscored),\"undated\":\(options.undated),\"above\":\(above),\"omitted\":\(omitted)}".utf8)
        let parts = page.components(separatedBy: "%DATA%")
        return parts[0].replacingOccurrences(of: "%TITLE%", with: escapeHTML(options.title))
            + String(decoding: data, as: UTF8.self) + parts[1]
    }

    /// `text` as a JSON string that is also safe inside a `<script>` element: quotes,
    /// backslashes, control characters, `<`, `>`, `&`, U+2028 and U+2029 are escaped.
    static func appendJSON(_ text: String, to out: inout [UInt8]) {
        out.append(0x22)
        var text = text
        text.withUTF8 { bytes in
            var run = 0
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                let separator = b == 0xE2 && i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9)
                guard b < 0x20 || b == 0x22 || b == 0x5C || b == 0x3C || b == 0x3E || b == 0x26 || separator else {
                    i += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
                switch b {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0xE2: appendEscape(bytes[i + 2] == 0xA8 ? 0x2028 : 0x2029, to: &out); i += 2
                default: appendEscape(UInt32(b), to: &out)
                }
                i += 1
                run = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
        }
        out.append(0x22)
    }

    /// `\\uXXXX` for a scalar below U+10000.
    static func appendEscape(_ value: UInt32, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [0x5C, 0x75])
        for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int(value >> UInt32(shift) & 0xF)]) }
    }

    static func appendJSONArray(_ items: [String], to out: inout [UInt8]) {
        out.append(0x5B)
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(0x2C) }
            appendJSON(item, to: &out)
        }
        out.append(0x5D)
    }

    static func escapeHTML(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
