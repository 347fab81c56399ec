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
    public static func render(_ points: [TimelinePoint], options: TimelineOptions = TimelineOptions()) -> String {
        let bound = options.upperBound.map { log($0) } ?? .infinity
        var data: [UInt8] = []
        data.reserveCapacity(points.count * 120)
        data.append(contentsOf: Array("{\"log\":\(options.logarithmic),\"top\":\(options.top),\"title\":".utf8))
        appendJSON(options.title, to: &data)
        data.append(contentsOf: Array(",\"legend\":".utf8))
        if let title = options.legendTitle { appendJSON(title, to: &data) } else { data.append(contentsOf: Array("null".utf8)) }
        data.append(contentsOf: Array(",\"points\":[".utf8))
        var first = true
        var unscored = 0, above = 0
        for p in points {
            if !p.logLikelihood.isFinite { unscored += 1; continue }
            if p.logLikelihood > bound { above += 1; continue }
            if !first { data.append(0x2C) }
            first = false
            data.append(contentsOf: Array("{\"t\":\(p.time / 1000),\"l\":\(p.logLikelihood / log(10)),\"k\":".utf8))
            appendJSON(p.key, to: &data)
            data.append(contentsOf: Array(",\"w\":".utf8))
            appendJSONArray(p.window, to: &data)
            data.append(contentsOf: Array(",\"s\":".utf8))
            appendJSONArray(p.session, to: &data)
            if let g = p.group {
                data.append(contentsOf: Array(",\"g\":".utf8))
                appendJSON(g, to: &data)
            }
            data.append(0x7D)
        }
        data.append(contentsOf: Array("],\"unscored\":\(unscored),\"above\":\(above)}".utf8))
        return page.replacingOccurrences(of: "%DATA%", with: String(decoding: data, as: UTF8.self))
            .replacingOccurrences(of: "%TITLE%", with: escapeHTML(options.title))
    }

    /// `text` as a JSON string that is also safe inside a `<script>` element.
    static func appendJSON(_ text: String, to out: inout [UInt8]) {
        out.append(0x22)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: [0x5C, 0x22])
            case "\\": out.append(contentsOf: [0x5C, 0x5C])
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out.append(contentsOf: Array(String(format: "\\u%04x", scalar.value).utf8))
            default:
                if scalar.value < 0x20 {
                    out.append(contentsOf: Array(String(format: "\\u%04x", scalar.value).utf8))
                } else {
                    out.append(contentsOf: Array(String(scalar).utf8))
                }
            }
        }
        out.append(0x22)
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
    for (let i = 0; i < P.length; i++) {
      const p = P[i]; if (p.t < view[0] || p.t > view[1]) continue;
      ctx.fillStyle = p.g !== undefined ? colour(p.g) : palette[0];
      ctx.beginPath(); ctx.arc(X(p.t), Y(p.l), 3, 0, 6.2832); ctx.fill();
    }
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
  if (D.above) notes.push(D.above + " above the upper bound not plotted");
  document.getElementById("foot").textContent = notes.join("; ");
  draw();
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
