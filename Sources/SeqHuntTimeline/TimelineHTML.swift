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

    public static func render(_ points: [TimelinePoint], options: TimelineOptions = TimelineOptions()) -> String {
        let bound = options.upperBound.map { log($0) } ?? .infinity
        let unscored = points.filter { !$0.logLikelihood.isFinite }.count
        var shown = points.indices.filter { points[$0].logLikelihood.isFinite && points[$0].logLikelihood <= bound }
        let above = points.count - unscored - shown.count
        var omitted = 0
        if shown.count > maximumPoints {
            shown.sort { points[$0].logLikelihood < points[$1].logLikelihood }
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
            data.append(0x7D)
        }
        data.append(contentsOf: "],\"unscored\":\(unscored),\"undated\":\(options.undated),\"above\":\(above),\"omitted\":\(omitted)}".utf8)
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

    static let page = #"""
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<title>%TITLE%</title>
<style>
body{font-family:"DejaVu Sans",Verdana,sans-serif;margin:16px;color:#222}
h1{font-size:18px;margin:0 0 8px}
#wrap{position:relative}
canvas{display:block;border:1px solid #bbb}
#tip{position:absolute;display:none;pointer-events:none;background:#fffbe6;border:1px solid #aa8;padding:6px 8px;font-size:12px;max-width:520px;white-space:pre-wrap;box-shadow:0 2px 6px rgba(0,0,0,.2)}
#help,#foot{font-size:12px;color:#555;margin:6px 0}
table{border-collapse:collapse;font-size:12px;margin-top:12px}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f0f0f0}
</style></head>
<body>
<h1 id="title"></h1>
<div id="help">Hover a point for its session. Wheel to zoom in time, drag to pan, drag in the strip below to choose a range, double-click to reset.</div>
<div id="wrap"><canvas id="plot" width="1200" height="480"></canvas><div id="tip"></div></div>
<canvas id="strip" width="1200" height="70"></canvas>
<div id="foot"></div>
<table id="rarest"><thead><tr><th>#</th><th>start (UTC)</th><th>likelihood</th><th>who</th><th>rarest window</th></tr></thead><tbody></tbody></table>
<script type="application/json" id="data">%DATA%</script>
<script>
"use strict";
(function () {
  const errors = [];
  window.addEventListener("error", e => { errors.push(String(e.message)); document.body.dataset.errors = errors.join(" | "); });
  const D = JSON.parse(document.getElementById("data").textContent);
  const P = D.points;
  document.body.dataset.points = String(P.length);
  document.getElementById("title").textContent = D.title;
  const plot = document.getElementById("plot"), strip = document.getElementById("strip"), tip = document.getElementById("tip");
  const ctx = plot.getContext("2d"), sctx = strip.getContext("2d");
  const M = {l: 80, r: 20, t: 12, b: 40};
  const W = plot.width - M.l - M.r, H = plot.height - M.t - M.b;
  const palette = ["#1f77b4","#ff7f0e","#2ca02c","#9467bd","#8c564b","#e377c2","#7f7f7f","#bcbd22","#17becf"];
  const groups = new Map();
  for (const p of P) if (p.g !== undefined) groups.set(p.g, (groups.get(p.g) || 0) + 1);
  const order = [...groups.entries()].sort((a, b) => b[1] - a[1]).map(e => e[0]);
  const colour = g => { const i = order.indexOf(g); return i >= 0 && i < 9 ? palette[i] : "#7f7f7f"; };
  let tmin = Infinity, tmax = -Infinity, lmin = Infinity, lmax = -Infinity;
  for (const p of P) { tmin = Math.min(tmin, p.t); tmax = Math.max(tmax, p.t); lmin = Math.min(lmin, p.l); lmax = Math.max(lmax, p.l); }
  if (!P.length) { tmin = 0; tmax = 1; lmin = -1; lmax = 0; }
  const pad = Math.max((tmax - tmin) / 50, 3600e3 * (tmax === tmin ? 1 : 0));
  const full = [tmin - pad, tmax + pad];
  let view = full.slice();
  const yv = l => D.log ? l : Math.pow(10, l);
  const ylo = D.log ? Math.floor(lmin) - (Math.floor(lmin) === Math.min(0, Math.ceil(lmax)) ? 1 : 0) : 0;
  const yhi = D.log ? Math.min(0, Math.ceil(lmax)) : Math.pow(10, lmax) * 1.05;
  const X = t => M.l + (t - view[0]) / (view[1] - view[0]) * W;
  const Y = l => M.t + H * (1 - (yv(l) - ylo) / (yhi - ylo));
  const fmt = t => new Date(t).toISOString().replace(".000Z", "Z");
  const lik = l => Math.pow(10, l).toExponential(3);
  const rarest = P.map((p, i) => i).sort((a, b) => P[a].l - P[b].l).slice(0, D.top);
  const marked = new Set(rarest);
  function draw() {
    ctx.clearRect(0, 0, plot.width, plot.height);
    ctx.strokeStyle = "#888"; ctx.strokeRect(M.l, M.t, W, H);
    ctx.fillStyle = "#333"; ctx.font = "11px sans-serif"; ctx.textAlign = "right";
    const steps = D.log ? Math.max(1, Math.ceil((yhi - ylo) / 10)) : 1;
    for (let v = D.log ? yhi : 0; D.log ? v >= ylo : v <= 5; v += D.log ? -steps : 1) {
      const val = D.log ? v : ylo + (yhi - ylo) * v / 5;
      const y = M.t + H * (1 - (val - ylo) / (yhi - ylo));
      ctx.strokeStyle = "#eee"; ctx.beginPath(); ctx.moveTo(M.l, y); ctx.lineTo(M.l + W, y); ctx.stroke();
      ctx.fillText(D.log ? (v === 0 ? "1" : "1e" + v) : val.toPrecision(3), M.l - 6, y + 4);
    }
    ctx.textAlign = "center";
    for (let i = 0; i <= 6; i++) {
      const t = view[0] + (view[1] - view[0]) * i / 6, x = X(t);
      ctx.fillText(fmt(t).slice(0, 16).replace("T", " "), x, M.t + H + 16);
    }
    ctx.fillText("session start (UTC)", M.l + W / 2, M.t + H + 32);
    ctx.save(); ctx.beginPath(); ctx.rect(M.l, M.t, W, H); ctx.clip();
    ctx.globalAlpha = 0.65;
    // One path per colour: far fewer fill calls than one per point.
    const paths = new Map();
    for (let i = 0; i < P.length; i++) {
      const p = P[i]; if (p.t < view[0] || p.t > view[1]) continue;
      const c = p.g !== undefined ? colour(p.g) : palette[0];
      let path = paths.get(c); if (!path) { path = new Path2D(); paths.set(c, path); }
      const x = X(p.t), y = Y(p.l);
      path.moveTo(x + 3, y); path.arc(x, y, 3, 0, 6.2832);
    }
    for (const [c, path] of paths) { ctx.fillStyle = c; ctx.fill(path); }
    ctx.globalAlpha = 1; ctx.strokeStyle = "#d62728"; ctx.lineWidth = 2;
    for (const i of rarest) { const p = P[i]; ctx.beginPath(); ctx.arc(X(p.t), Y(p.l), 6, 0, 6.2832); ctx.stroke(); }
    ctx.lineWidth = 1; ctx.restore();
    sctx.clearRect(0, 0, strip.width, strip.height);
    const SX = t => M.l + (t - full[0]) / (full[1] - full[0]) * W;
    sctx.fillStyle = "#dbe6f6"; sctx.fillRect(SX(view[0]), 0, SX(view[1]) - SX(view[0]), strip.height);
    sctx.strokeStyle = "#888"; sctx.strokeRect(M.l, 0.5, W, strip.height - 1);
    sctx.fillStyle = "#555";
    for (const p of P) sctx.fillRect(SX(p.t), 4 + (strip.height - 10) * (1 - (p.l - lmin) / ((lmax - lmin) || 1)), 1, 2);
  }
  function nearest(mx, my) {
    let best = -1, bd = 49;
    for (let i = 0; i < P.length; i++) {
      const p = P[i]; if (p.t < view[0] || p.t > view[1]) continue;
      const dx = X(p.t) - mx, dy = Y(p.l) - my, d = dx * dx + dy * dy;
      if (d < bd) { bd = d; best = i; }
    }
    return best;
  }
  function showTip(i, mx, my) {
    if (i < 0) { tip.style.display = "none"; return; }
    const p = P[i];
    tip.textContent = "start: " + fmt(p.t) + "\nlikelihood: " + lik(p.l) + "\nwho: " + p.k +
      (p.g !== undefined ? "\n" + (D.legend || "group") + ": " + p.g : "") +
      "\nrarest window: " + p.w.join(" \u2192 ") + (p.s.length ? "\nsession: " + p.s.join(" \u2192 ") : "");
    tip.style.left = Math.min(mx + 14, plot.width - 300) + "px"; tip.style.top = (my + 14) + "px"; tip.style.display = "block";
  }
  let drag = null;
  plot.addEventListener("mousemove", e => {
    const r = plot.getBoundingClientRect(), mx = e.clientX - r.left, my = e.clientY - r.top;
    if (drag) { const dt = (drag.x - mx) / W * (drag.view[1] - drag.view[0]); view = [drag.view[0] + dt, drag.view[1] + dt]; draw(); return; }
    showTip(nearest(mx, my), mx, my);
  });
  plot.addEventListener("mouseleave", () => { tip.style.display = "none"; });
  plot.addEventListener("mousedown", e => { drag = {x: e.clientX - plot.getBoundingClientRect().left, view: view.slice()}; });
  window.addEventListener("mouseup", () => { drag = null; });
  plot.addEventListener("wheel", e => {
    e.preventDefault();
    const r = plot.getBoundingClientRect(), t = view[0] + (e.clientX - r.left - M.l) / W * (view[1] - view[0]);
    const f = e.deltaY < 0 ? 0.8 : 1.25;
    view = [t - (t - view[0]) * f, t + (view[1] - t) * f]; draw();
  }, {passive: false});
  plot.addEventListener("dblclick", () => { view = full.slice(); draw(); });
  let brush = null;
  const stripTime = e => full[0] + (e.clientX - strip.getBoundingClientRect().left - M.l) / W * (full[1] - full[0]);
  strip.addEventListener("mousedown", e => { brush = stripTime(e); });
  strip.addEventListener("mousemove", e => { if (brush !== null) { const t = stripTime(e); if (Math.abs(t - brush) > 0) { view = [Math.min(t, brush), Math.max(t, brush)]; draw(); } } });
  window.addEventListener("mouseup", () => { brush = null; });
  strip.addEventListener("dblclick", () => { view = full.slice(); draw(); });
  const body = document.querySelector("#rarest tbody");
  rarest.forEach((i, n) => {
    const p = P[i], tr = document.createElement("tr");
    for (const text of [String(n + 1), fmt(p.t), lik(p.l), p.k, p.w.join(" \u2192 ")]) {
      const td = document.createElement("td"); td.textContent = text; tr.appendChild(td);
    }
    body.appendChild(tr);
  });
  const notes = [P.length + " sessions plotted"];
  if (D.unscored) notes.push(D.unscored + " without a score (shorter than the window) not plotted");
  if (D.undated) notes.push(D.undated + " without a start time not plotted");
  if (D.above) notes.push(D.above + " above the upper bound not plotted");
  if (D.omitted) notes.push(D.omitted + " less rare sessions left out of this page (they are in the PNG and the scores file)");
  document.getElementById("foot").textContent = notes.join("; ");
  const started = performance.now();
  draw();
  document.body.dataset.drawMs = String(Math.round(performance.now() - started));
  // Self-test hook for headless checks (file.html#selftest): hover the rarest point.
  if (location.hash === "#selftest" && rarest.length) {
    const p = P[rarest[0]], r = plot.getBoundingClientRect();
    plot.dispatchEvent(new MouseEvent("mousemove", {clientX: r.left + X(p.t), clientY: r.top + Y(p.l), bubbles: true}));
    document.body.dataset.tooltip = tip.style.display === "block" ? tip.textContent : "";
  }
  document.body.dataset.ready = "yes";
})();
</script>
</body></html>
"""#
}
