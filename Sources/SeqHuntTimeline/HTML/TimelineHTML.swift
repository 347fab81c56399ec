import Foundation

/// Writes a timeline as one self-contained HTML page (no network, no external
/// scripts): a scatter of start time against rarest-window likelihood with hover
/// tooltips, wheel and drag zoom, a range selector, and a table of the rarest sessions.
/// The rarest sessions are points; beyond ``interactivePoints`` the rest are a density
/// grid, so that the page's size does not grow with the number of sessions.
///
/// Every string from a log reaches the page only as JSON data inside a
/// `<script type="application/json">` element, with `<`, `>` and `&` escaped, and the
/// page's script puts it in the document with `textContent`, never as HTML: a command
/// named `<img src=x onerror=alert(1)>` shows as text.
public enum TimelineHTML {
    /// The most sessions a page draws as points, with their tooltips: the marked ones and the
    /// rarest. The rest are drawn as a density grid, so that a page of a million sessions
    /// stays a few megabytes and opens at once.
    public static let interactivePoints = 20_000
    /// The density grid: time columns over the plotted span, and likelihood rows.
    static let densityColumns = 2_000
    static let densityRows = 120

    /// The page of `points`. The page's data is one JSON object: `log`, `top`, `title`,
    /// `legend`; `texts`, each text of the points once; `points`, the marked and rarest
    /// sessions (at most ``interactivePoints``), each `{"t": ms, "l": log10 score, "k": who,
    /// "w": window, "s": session, "g": group, "id": session_id, "r": rank (marked points
    /// only), "why": reason}`, with every text as its place in `texts`; `bins`, the other
    /// sessions as a grid (`{"t0", "t1"` in ms, `"l0", "l1"` in log10 score, `"nt", "nl"` the
    /// columns and rows, `"c"`: column, row and count of each non-empty cell`}`, or null);
    /// `more` (`{"count", "l"}` for ties left unmarked, or null); and the counts `unscored`,
    /// `undated` and `above` for the footnote. The page marks exactly the points that carry a
    /// rank, in rank order: it never ranks on its own.
    public static func render(_ points: [TimelinePoint], options: TimelineOptions = TimelineOptions()) -> String {
        let bound = options.upperBound.map { log($0) } ?? .infinity
        let unscored = points.filter { !$0.logLikelihood.isFinite }.count
        var shown = points.indices.filter { points[$0].logLikelihood.isFinite && points[$0].logLikelihood <= bound }
        let above = points.count - unscored - shown.count
        var binned: [Int] = []
        if shown.count > interactivePoints {
            // The marked stay points, then the rarest; equal scores in input order.
            shown.sort {
                (points[$0].rank ?? .max, points[$0].logLikelihood, $0) < (
                    points[$1].rank ?? .max, points[$1].logLikelihood, $1
                )
            }
            binned = Array(shown[interactivePoints...])
            shown.removeLast(shown.count - interactivePoints)
            shown.sort()
        }
        var data: [UInt8] = []
        data.reserveCapacity(shown.count * 400 + 256)
        data.append(contentsOf: "{\"log\":\(options.logarithmic),\"top\":\(options.top),\"title\":".utf8)
        appendJSON(options.title, to: &data)
        data.append(contentsOf: ",\"legend\":".utf8)
        if let title = options.legendTitle {
            appendJSON(title, to: &data)
        } else {
            data.append(contentsOf: "null".utf8)
        }
        // Each text once (commands, keys, groups and reasons repeat): a point is then a few
        // bytes per command.
        var textIDs: [String: Int] = [:], texts: [String] = []
        func appendText(_ text: String) {
            let id =
                textIDs[text]
                ?? {
                    textIDs[text] = texts.count
                    texts.append(text)
                    return texts.count - 1
                }()
            data.append(contentsOf: String(id).utf8)
        }
        func appendNames(_ items: [String]) {
            data.append(0x5B)
            for (n, item) in items.enumerated() {
                if n > 0 { data.append(0x2C) }
                appendText(item)
            }
            data.append(0x5D)
        }
        var pointData: [UInt8] = []
        swap(&data, &pointData)
        for (n, i) in shown.enumerated() {
            let p = points[i]
            if n > 0 { data.append(0x2C) }
            data.append(contentsOf: "{\"t\":".utf8)
            data.append(contentsOf: String(p.microseconds / 1000).utf8)
            data.append(contentsOf: ",\"l\":".utf8)
            data.append(contentsOf: (p.logLikelihood / log(10)).description.utf8)
            data.append(contentsOf: ",\"k\":".utf8)
            appendText(p.key)
            data.append(contentsOf: ",\"w\":".utf8)
            appendNames(p.window)
            data.append(contentsOf: ",\"s\":".utf8)
            appendNames(p.session)
            if let g = p.group {
                data.append(contentsOf: ",\"g\":".utf8)
                appendText(g)
            }
            if let id = p.sessionID { data.append(contentsOf: ",\"id\":\(id)".utf8) }
            if let r = p.rank { data.append(contentsOf: ",\"r\":\(r)".utf8) }
            if !p.reason.isEmpty {
                data.append(contentsOf: ",\"why\":".utf8)
                appendText(p.reason)
            }
            data.append(0x7D)
        }
        swap(&data, &pointData)
        data.append(contentsOf: ",\"texts\":".utf8)
        appendJSONArray(texts, to: &data)
        data.append(contentsOf: ",\"points\":[".utf8)
        data.append(contentsOf: pointData)
        data.append(contentsOf: "],\"bins\":".utf8)
        appendDensity(of: binned, in: points, to: &data)
        data.append(contentsOf: ",\"more\":".utf8)
        if let more = options.unmarkedTies {
            data.append(
                contentsOf: "{\"count\":\(more.count),\"l\":\((more.logLikelihood / log(10)).description)}".utf8)
        } else {
            data.append(contentsOf: "null".utf8)
        }
        data.append(contentsOf: ",\"unscored\":\(unscored),\"undated\":\(options.undated),\"above\":\(above)}".utf8)
        let parts = page.components(separatedBy: "%DATA%")
        return parts[0].replacingOccurrences(of: "%TITLE%", with: escapeHTML(options.title))
            + String(decoding: data, as: UTF8.self) + parts[1]
    }

    /// The sessions `binned` as the page's density grid: counts per cell of
    /// ``densityColumns`` time columns by ``densityRows`` score rows over their span, the
    /// non-empty cells in column then row order (`null` when there are none).
    static func appendDensity(of binned: [Int], in points: [TimelinePoint], to data: inout [UInt8]) {
        guard let first = binned.first else {
            data.append(contentsOf: "null".utf8)
            return
        }
        var t0 = points[first].microseconds / 1000, t1 = t0
        var l0 = points[first].logLikelihood / log(10), l1 = l0
        for i in binned {
            let t = points[i].microseconds / 1000, l = points[i].logLikelihood / log(10)
            t0 = min(t0, t)
            t1 = max(t1, t)
            l0 = min(l0, l)
            l1 = max(l1, l)
        }
        // A grid of one instant or one score still has a width and a height to draw.
        if t1 == t0 { t1 = t0 + 1 }
        if l1 == l0 { l1 = l0 + 0.01 }
        let columns = densityColumns, rows = densityRows
        var counts = [Int32](repeating: 0, count: columns * rows)
        let tSpan = Double(t1 - t0), lSpan = l1 - l0
        for i in binned {
            let t = Double(points[i].microseconds / 1000 - t0) / tSpan,
                l = (points[i].logLikelihood / log(10) - l0) / lSpan
            let column = min(columns - 1, Int(t * Double(columns))), row = min(rows - 1, Int(l * Double(rows)))
            counts[column * rows + row] += 1
        }
        data.append(
            contentsOf:
                "{\"t0\":\(t0),\"t1\":\(t1),\"l0\":\(l0.description),\"l1\":\(l1.description),\"nt\":\(columns),\"nl\":\(rows),\"c\":["
                .utf8)
        var firstCell = true
        for (cell, count) in counts.enumerated() where count > 0 {
            if !firstCell { data.append(0x2C) }
            firstCell = false
            data.append(contentsOf: "\(cell / rows),\(cell % rows),\(count)".utf8)
        }
        data.append(contentsOf: "]}".utf8)
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
                let separator =
                    b == 0xE2 && i + 2 < bytes.count && bytes[i + 1] == 0x80
                    && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9)
                guard b < 0x20 || b == 0x22 || b == 0x5C || b == 0x3C || b == 0x3E || b == 0x26 || separator else {
                    i += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
                switch b {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0xE2:
                    appendEscape(bytes[i + 2] == 0xA8 ? 0x2028 : 0x2029, to: &out)
                    i += 2
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
