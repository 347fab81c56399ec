extension TimelineHTML {
    /// The page around the data: `%TITLE%` is the escaped title, `%DATA%` the JSON data
    /// (see ``TimelineHTML/render(_:options:)`` for its fields).
    ///
    /// Self-test hooks for headless Chromium (`file.html#selftest`, `#selftest-row=N`,
    /// `#selftest-width=W`, `#selftest-cell`) record their results as `data-*` attributes of `<body>`
    /// before `data-ready="yes"`.
    static let page = #"""
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%TITLE%</title>
<style>
body{font-family:"DejaVu Sans",Verdana,sans-serif;margin:16px;color:#222}
h1{font-size:18px;margin:0 0 8px}
#wrap{position:relative}
canvas{display:block;width:100%;box-sizing:border-box;border:1px solid #bbb}
#plot{height:480px}
#strip{height:70px;border-top:none}
#tip{position:absolute;display:none;pointer-events:none;background:#fffbe6;border:1px solid #aa8;padding:6px 8px;font-size:12px;max-width:min(520px,calc(100vw - 24px));max-height:260px;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere;box-shadow:0 2px 6px rgba(0,0,0,.2);z-index:2}
#tip.why::first-line{font-weight:bold}
#tip.pinned{pointer-events:auto;border-color:#665;box-shadow:0 2px 10px rgba(0,0,0,.35)}
#help,#foot,#more{font-size:12px;color:#555;margin:6px 0}
table{border-collapse:collapse;font-size:12px;margin-top:12px}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
#rarest td:nth-child(n+6){overflow-wrap:anywhere}
th{background:#f0f0f0}
#rarest tbody tr{cursor:pointer}
#rarest td:nth-child(-n+4){white-space:nowrap}
#rarest tbody tr:hover{background:#f4f8ff}
#rarest tbody tr.hl{background:#ffe9a8}
</style></head>
<body>
<h1 id="title"></h1>
<div id="help">Hover a point for its session; click it to pin the tooltip (Escape or a click elsewhere unpins). Wheel to zoom in time, drag to pan, drag in the strip below to choose a range, double-click to reset. Click a row of the table to zoom to that session.</div>
<div id="wrap"><canvas id="plot"></canvas><div id="tip"></div></div>
<canvas id="strip"></canvas>
<div id="foot"></div>
<table id="rarest"><thead><tr><th>#</th><th>session</th><th>start (UTC)</th><th>likelihood</th><th>who</th><th>reason</th><th>rarest window</th></tr></thead><tbody></tbody></table>
<div id="more"></div>
<script type="application/json" id="data">%DATA%</script>
<script>
"use strict";
(function () {
  const errors = [], B = document.body.dataset;
  window.addEventListener("error", e => { errors.push(String(e.message)); B.errors = errors.join(" | "); });
  const D = JSON.parse(document.getElementById("data").textContent);
  const P = D.points;
  // Texts come once in D.texts; the points hold their places.
  const TX = D.texts;
  for (const p of P) {
    p.k = TX[p.k]; p.w = p.w.map(i => TX[i]); p.s = p.s.map(i => TX[i]);
    if (p.g !== undefined) p.g = TX[p.g];
    if (p.why !== undefined) p.why = TX[p.why];
  }
  B.points = String(P.length);
  // The sessions beyond the points: a grid of counts (column, row, count triples).
  const G = D.bins, C = G ? G.c : [];
  const gdt = G ? (G.t1 - G.t0) / G.nt : 1, gdl = G ? (G.l1 - G.l0) / G.nl : 1;
  let binned = 0, binMax = 1;
  for (let k = 2; k < C.length; k += 3) { binned += C[k]; binMax = Math.max(binMax, C[k]); }
  B.binned = String(binned); B.cells = String(C.length / 3);
  let cellBoxes = [];  // the cells drawn: x, y, w, h, triple index
  document.getElementById("title").textContent = D.title;
  const wrap = document.getElementById("wrap"), plot = document.getElementById("plot"), strip = document.getElementById("strip"), tip = document.getElementById("tip");
  const ctx = plot.getContext("2d"), sctx = strip.getContext("2d");
  const M = {l: 80, r: 20, t: 12, b: 40};
  let CW = 0, W = 0, H = 0, SH = 0;  // canvas CSS width, plot area, strip height (CSS px)
  const SEC = 1e3, MIN = 60e3, HOUR = 3600e3, DAY = 864e5, ARROW = " \u2192 ";
  const palette = ["#1f77b4","#ff7f0e","#2ca02c","#9467bd","#8c564b","#e377c2","#7f7f7f","#bcbd22","#17becf"];
  const groups = new Map();
  for (const p of P) if (p.g !== undefined) groups.set(p.g, (groups.get(p.g) || 0) + 1);
  const order = [...groups.entries()].sort((a, b) => b[1] - a[1]).map(e => e[0]);
  const colour = g => { const i = order.indexOf(g); return i >= 0 && i < 9 ? palette[i] : "#7f7f7f"; };
  let tmin = Infinity, tmax = -Infinity, lmin = Infinity, lmax = -Infinity;
  for (const p of P) { tmin = Math.min(tmin, p.t); tmax = Math.max(tmax, p.t); lmin = Math.min(lmin, p.l); lmax = Math.max(lmax, p.l); }
  if (G) { tmin = Math.min(tmin, G.t0); tmax = Math.max(tmax, G.t1); lmin = Math.min(lmin, G.l0); lmax = Math.max(lmax, G.l1); }
  if (!P.length && !G) { tmin = 0; tmax = 1; lmin = -1; lmax = 0; }
  const pad = Math.max((tmax - tmin) / 50, HOUR * (tmax === tmin ? 1 : 0));
  const full = [tmin - pad, tmax + pad];
  let view = full.slice();
  const yv = l => D.log ? l : Math.pow(10, l);
  // A decade below the rarest point when it would sit on the bottom edge, where its ring would be cut.
  const ylo = D.log ? Math.floor(lmin) - (Math.floor(lmin) === Math.min(0, Math.ceil(lmax)) || lmin - Math.floor(lmin) < 0.05 ? 1 : 0) : 0;
  const yhi = D.log ? Math.min(0, Math.ceil(lmax)) : Math.pow(10, lmax) * 1.05;
  const X = t => M.l + (t - view[0]) / (view[1] - view[0]) * W;
  const Y = l => M.t + H * (1 - (yv(l) - ylo) / (yhi - ylo));
  const inView = p => p.t >= view[0] && p.t <= view[1];
  const fmt = t => new Date(t).toISOString().replace(".000Z", "Z");
  const lik = l => Math.pow(10, l).toExponential(3).replace(/e([+-])(\d)$/, (m, s, d) => "e" + s + "0" + d);  // 5.300e-08
  // The sessions Swift marked (with a rank r), in rank order: the page does not re-rank.
  const marked = P.map((p, i) => i).filter(i => P[i].r !== undefined).sort((a, b) => P[a].r - P[b].r);
  let hl = -1, pinned = false;
  const rows = new Map();

  function layout() {
    const dpr = window.devicePixelRatio || 1;
    CW = plot.clientWidth; SH = strip.clientHeight;
    const CH = plot.clientHeight;
    plot.width = Math.round(CW * dpr); plot.height = Math.round(CH * dpr);
    strip.width = Math.round(strip.clientWidth * dpr); strip.height = Math.round(SH * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0); sctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    W = Math.max(40, CW - M.l - M.r); H = Math.max(40, CH - M.t - M.b);
    B.plotWidth = String(Math.round(plot.getBoundingClientRect().width));
  }

  // Time ticks: the smallest round step (weeks from Monday 00:00 UTC, calendar months and years)
  // whose labels fit, at most 8 of them.
  const STEPS = [SEC, 5 * SEC, 10 * SEC, 15 * SEC, 30 * SEC, MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN,
                 HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
                 DAY, 2 * DAY, 7 * DAY, 14 * DAY].map(ms => ({ms}))
    .concat([1, 3, 6, 12, 24, 60, 120, 300, 600, 1200].map(mo => ({mo, ms: mo * 30.44 * DAY})));
  function tickTimes(s, a, b) {
    const out = [];
    if (s.mo) {
      const d = new Date(a);
      for (let k = Math.floor((d.getUTCFullYear() * 12 + d.getUTCMonth()) / s.mo) * s.mo; ; k += s.mo) {
        const t = Date.UTC(Math.floor(k / 12), k % 12, 1);
        if (t > b) break;
        if (t >= a) out.push(t);
      }
    } else {
      const off = s.ms >= 7 * DAY ? 4 * DAY : 0;  // 1970-01-05 was a Monday
      for (let t = Math.ceil((a - off) / s.ms) * s.ms + off; t <= b; t += s.ms) out.push(t);
    }
    return out;
  }
  function tickLabel(t, s) {
    const iso = new Date(t).toISOString();
    if (s.mo) return s.mo >= 12 ? iso.slice(0, 4) : iso.slice(0, 7);
    if (s.ms >= DAY || t % DAY === 0) return iso.slice(0, 10);
    return iso.slice(11, s.ms < MIN ? 19 : 16);
  }
  function chooseTicks() {
    const span = view[1] - view[0];
    let last = null;
    for (const s of STEPS) {
      if (span / s.ms > 9) continue;
      const ts = tickTimes(s, view[0], view[1]), labels = ts.map(t => tickLabel(t, s));
      const lw = Math.max(0, ...labels.map(l => ctx.measureText(l).width));
      last = {ts, labels};
      if (ts.length <= 8 && (s.mo ? s.mo * 28 * DAY : s.ms) / span * W >= lw + 16) return last;
    }
    return last || {ts: [], labels: []};
  }

  // Rank numbers next to the rings, placed where they overlap no ring and no other number.
  function ringLabels() {
    ctx.font = "bold 11px sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle"; ctx.lineJoin = "round";
    const vis = marked.filter(i => inView(P[i])), drawn = [];
    const boxes = vis.map(i => { const x = X(P[i].t), y = Y(P[i].l), r = i === hl ? 13 : 7; return [x - r, y - r, x + r, y + r]; });
    const free = b => b[0] >= M.l && b[2] <= M.l + W && b[1] >= M.t && b[3] <= M.t + H &&
      !boxes.some(o => b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]);
    const dirs = [[1, -1], [1, 1], [-1, -1], [-1, 1], [0, -1], [0, 1], [1, 0], [-1, 0]];
    for (const i of vis) {
      const p = P[i], x = X(p.t), y = Y(p.l), text = String(p.r), w = ctx.measureText(text).width + 2, h = 12;
      let at = null;
      for (let k = 0; k < 4 && !at; k++) for (const [dx, dy] of dirs) {
        const cx = x + dx * ((dy ? 8 : 11) + w / 2 + 9 * k), cy = y + dy * ((dx ? 9 : 15) + 9 * k);
        const b = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
        if (free(b)) { at = {cx, cy, b, far: k > (i === hl ? 1 : 0)}; break; }
      }
      if (!at) {
        const cx = Math.min(Math.max(x + 8 + w / 2, M.l + w / 2), M.l + W - w / 2), cy = Math.min(Math.max(y - 9, M.t + h / 2), M.t + H - h / 2);
        at = {cx, cy, b: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], far: false};
      }
      boxes.push(at.b);
      if (at.far) { ctx.strokeStyle = "#a00"; ctx.lineWidth = 0.75; ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(at.cx, at.cy); ctx.stroke(); }
      ctx.strokeStyle = "#fff"; ctx.lineWidth = 3; ctx.strokeText(text, at.cx, at.cy);
      ctx.fillStyle = "#a00"; ctx.fillText(text, at.cx, at.cy);
      drawn.push(text);
    }
    ctx.textBaseline = "alphabetic"; ctx.lineWidth = 1;
    B.ringLabels = drawn.join(",");
  }

  function draw() {
    ctx.clearRect(0, 0, CW, plot.clientHeight);
    ctx.lineWidth = 1; ctx.strokeStyle = "#888"; ctx.strokeRect(M.l, M.t, W, H);
    ctx.fillStyle = "#333"; ctx.font = "11px sans-serif"; ctx.textAlign = "right";
    const steps = D.log ? Math.max(1, Math.ceil((yhi - ylo) / 10)) : 1;
    for (let v = D.log ? yhi : 0; D.log ? v >= ylo : v <= 5; v += D.log ? -steps : 1) {
      const val = D.log ? v : ylo + (yhi - ylo) * v / 5;
      const y = M.t + H * (1 - (val - ylo) / (yhi - ylo));
      ctx.strokeStyle = "#eee"; ctx.beginPath(); ctx.moveTo(M.l, y); ctx.lineTo(M.l + W, y); ctx.stroke();
      ctx.fillText(D.log ? (v === 0 ? "1" : "1e" + v) : val.toPrecision(3), M.l - 6, y + 4);
    }
    // Time axis: grid line and tick at every tick; a label shifted inside the canvas, or dropped when it would overlap.
    ctx.textAlign = "left";
    const T = chooseTicks(), times = [];
    let right = -Infinity, clipped = 0;
    T.ts.forEach((t, n) => {
      const x = X(t), text = T.labels[n], w = ctx.measureText(text).width;
      ctx.strokeStyle = "#eee"; ctx.beginPath(); ctx.moveTo(x, M.t); ctx.lineTo(x, M.t + H); ctx.stroke();
      ctx.strokeStyle = "#888"; ctx.beginPath(); ctx.moveTo(x, M.t + H); ctx.lineTo(x, M.t + H + 4); ctx.stroke();
      const left = Math.min(Math.max(x - w / 2, 0), CW - w);
      if (left < right + 6) return;
      ctx.fillText(text, left, M.t + H + 16);
      right = left + w; times.push(t);
      if (left < 0 || left + w > CW) clipped++;
    });
    B.ticks = String(times.length); B.clipped = String(clipped); B.tickTimes = times.join(",");
    ctx.textAlign = "center";
    ctx.fillText("session start (UTC)", M.l + W / 2, M.t + H + 32);
    ctx.save(); ctx.beginPath(); ctx.rect(M.l, M.t, W, H); ctx.clip();
    drawCells();
    ctx.globalAlpha = 0.65;
    // One path per colour: far fewer fill calls than one per point.
    const paths = new Map();
    for (let i = 0; i < P.length; i++) {
      const p = P[i]; if (!inView(p)) continue;
      const c = p.g !== undefined ? colour(p.g) : palette[0];
      let path = paths.get(c); if (!path) { path = new Path2D(); paths.set(c, path); }
      const x = X(p.t), y = Y(p.l);
      path.moveTo(x + 3, y); path.arc(x, y, 3, 0, 6.2832);
    }
    for (const [c, path] of paths) { ctx.fillStyle = c; ctx.fill(path); }
    ctx.globalAlpha = 1; ctx.strokeStyle = "#d62728"; ctx.lineWidth = 2;
    for (const i of marked) { const p = P[i]; if (inView(p)) { ctx.beginPath(); ctx.arc(X(p.t), Y(p.l), 6, 0, 6.2832); ctx.stroke(); } }
    if (hl >= 0 && inView(P[hl])) {
      const x = X(P[hl].t), y = Y(P[hl].l);
      ctx.strokeStyle = "#fff"; ctx.lineWidth = 6; ctx.beginPath(); ctx.arc(x, y, 11, 0, 6.2832); ctx.stroke();
      ctx.strokeStyle = "#0b5ed7"; ctx.lineWidth = 3.5; ctx.beginPath(); ctx.arc(x, y, 11, 0, 6.2832); ctx.stroke();
    }
    ctx.lineWidth = 1; ctx.restore();
    ringLabels();
    sctx.clearRect(0, 0, CW, SH);
    const SX = t => M.l + (t - full[0]) / (full[1] - full[0]) * W;
    const SY = l => 4 + (SH - 10) * (1 - (l - lmin) / ((lmax - lmin) || 1));
    sctx.fillStyle = "#dbe6f6"; sctx.fillRect(SX(view[0]), 0, SX(view[1]) - SX(view[0]), SH);
    sctx.strokeStyle = "#888"; sctx.strokeRect(M.l, 0.5, W, SH - 1);
    sctx.fillStyle = "rgba(85,85,85,0.3)";
    for (let k = 0; k < C.length; k += 3) sctx.fillRect(SX(G.t0 + C[k] * gdt), SY(G.l0 + (C[k + 1] + 0.5) * gdl), Math.max(1, SX(G.t0 + gdt) - SX(G.t0)), 2);
    sctx.fillStyle = "#555";
    for (const p of P) sctx.fillRect(SX(p.t), SY(p.l), 1, 2);
    sctx.fillStyle = "#d62728";
    for (const i of marked) sctx.fillRect(SX(P[i].t) - 1, SY(P[i].l) - 1, 3, 3);
    if (hl >= 0) { sctx.fillStyle = "#0b5ed7"; sctx.fillRect(SX(P[hl].t) - 1, 0, 2, SH); }
  }

  // The density grid under the points, in eight shades by the log of each cell's count.
  function drawCells() {
    cellBoxes = [];
    if (!C.length) return;
    const shades = 8, paths = [];
    for (let s = 0; s < shades; s++) paths.push(new Path2D());
    for (let k = 0; k < C.length; k += 3) {
      const a = G.t0 + C[k] * gdt, b = a + gdt;
      if (b < view[0] || a > view[1]) continue;
      let x0 = X(a), x1 = X(b);
      if (x1 - x0 < 1.5) { const c = (x0 + x1) / 2; x0 = c - 0.75; x1 = c + 0.75; }
      const ya = Y(G.l0 + (C[k + 1] + 1) * gdl), yb = Y(G.l0 + C[k + 1] * gdl);
      let y0 = Math.min(ya, yb), h = Math.abs(yb - ya);
      if (h < 1.5) { y0 -= (1.5 - h) / 2; h = 1.5; }
      const s = Math.min(shades - 1, Math.floor(Math.log(1 + C[k + 2]) / Math.log(1 + binMax) * shades));
      paths[s].rect(x0, y0, x1 - x0, h);
      cellBoxes.push(x0, y0, x1 - x0, h, k);
    }
    for (let s = 0; s < shades; s++) { ctx.fillStyle = "rgba(31,119,180," + (0.15 + 0.6 * (s + 1) / shades).toFixed(3) + ")"; ctx.fill(paths[s]); }
  }
  // The grid cell under (mx, my): the triple index in C, or -1.
  function cellAt(mx, my) {
    for (let n = cellBoxes.length - 5; n >= 0; n -= 5) {
      const x = cellBoxes[n], y = cellBoxes[n + 1];
      if (mx >= x && mx <= x + cellBoxes[n + 2] && my >= y && my <= y + cellBoxes[n + 3]) return cellBoxes[n + 4];
    }
    return -1;
  }
  function cellLines(k) {
    const a = G.t0 + C[k] * gdt, l = G.l0 + C[k + 1] * gdl;
    return [C[k + 2] + " session" + (C[k + 2] === 1 ? "" : "s") + " here, less rare than the " + P.length + " drawn as points (every one is in the scores file)",
            "start: " + fmt(Math.round(a)) + " to " + fmt(Math.round(a + gdt)), "likelihood: " + lik(l) + " to " + lik(l + gdl)];
  }

  function nearest(mx, my) {
    let best = -1, bd = 49;
    for (let i = 0; i < P.length; i++) {
      const p = P[i]; if (!inView(p)) continue;
      const dx = X(p.t) - mx, dy = Y(p.l) - my, d = dx * dx + dy * dy;
      if (d < bd || (d === bd && best >= 0 && p.r !== undefined && (P[best].r === undefined || p.r < P[best].r))) { bd = d; best = i; }
    }
    return best;
  }
  function tipLines(p) {
    const L = [];
    if (p.why) L.push(p.why);
    if (p.id !== undefined || p.r !== undefined) L.push("session: " + (p.id !== undefined ? p.id : "?") + (p.r !== undefined ? "  (#" + p.r + ")" : ""));
    L.push("start: " + fmt(p.t), "likelihood: " + lik(p.l), "who: " + p.k);
    if (p.g !== undefined) L.push((D.legend || "group") + ": " + p.g);
    L.push("rarest window: " + p.w.join(ARROW));
    if (p.s && p.s.length) L.push("full session (" + p.s.length + " commands): " + p.s.join(ARROW));
    return L;
  }
  // Shows the tooltip of point i (or, for i < 0, of the grid cell k) near the viewport position (cx, cy), kept inside the window.
  function showTip(i, cx, cy, k) {
    if (i < 0 && !(k >= 0)) { tip.style.display = "none"; return; }
    tip.textContent = (i >= 0 ? tipLines(P[i]) : cellLines(k)).join("\n");
    tip.classList.toggle("why", i >= 0 ? !!P[i].why : true);
    tip.style.left = "0px"; tip.style.top = "0px"; tip.style.display = "block"; tip.scrollTop = 0;
    const wr = wrap.getBoundingClientRect(), tw = tip.offsetWidth, th = tip.offsetHeight;
    const vw = document.documentElement.clientWidth, vh = window.innerHeight;
    let x = cx + 14; if (x + tw > vw - 4) x = cx - 14 - tw; x = Math.max(4, Math.min(x, vw - 4 - tw));
    let y = cy + 14; if (y + th > vh - 4) y = cy - 14 - th; y = Math.max(4, Math.min(y, vh - 4 - th));
    tip.style.left = (x - wr.left) + "px"; tip.style.top = (y - wr.top) + "px";
  }
  function unpin() { pinned = false; tip.classList.remove("pinned"); tip.style.display = "none"; }
  function setView(a, b) {
    if (b - a < 5 * SEC) { const c = (a + b) / 2; a = c - 2.5 * SEC; b = c + 2.5 * SEC; }
    view = [a, b]; if (pinned) unpin(); draw();
  }
  const local = e => { const r = plot.getBoundingClientRect(); return [e.clientX - r.left - plot.clientLeft, e.clientY - r.top - plot.clientTop]; };
  let drag = null, dragged = false;
  plot.addEventListener("mousemove", e => {
    const [mx, my] = local(e);
    if (drag) {
      if (Math.abs(drag.x - mx) > 3) drag.moved = true;
      if (drag.moved) { const dt = (drag.x - mx) / W * (drag.view[1] - drag.view[0]); setView(drag.view[0] + dt, drag.view[1] + dt); }
      return;
    }
    if (!pinned) { const i = nearest(mx, my); showTip(i, e.clientX, e.clientY, i < 0 ? cellAt(mx, my) : -1); }
  });
  plot.addEventListener("mouseleave", () => { if (!pinned) tip.style.display = "none"; });
  plot.addEventListener("mousedown", e => { drag = {x: local(e)[0], view: view.slice(), moved: false}; });
  window.addEventListener("mouseup", () => { dragged = !!(drag && drag.moved); drag = null; });
  plot.addEventListener("click", e => {
    if (dragged) return;
    const [mx, my] = local(e), i = nearest(mx, my);
    if (i < 0) { unpin(); return; }
    showTip(i, e.clientX, e.clientY); pinned = true; tip.classList.add("pinned");
  });
  document.addEventListener("click", e => { if (pinned && e.target !== plot && !tip.contains(e.target)) unpin(); });
  document.addEventListener("keydown", e => { if (e.key === "Escape" && pinned) unpin(); });
  plot.addEventListener("wheel", e => {
    e.preventDefault();
    const t = view[0] + (local(e)[0] - M.l) / W * (view[1] - view[0]), f = e.deltaY < 0 ? 0.8 : 1.25;
    setView(t - (t - view[0]) * f, t + (view[1] - t) * f);
  }, {passive: false});
  plot.addEventListener("dblclick", () => setView(full[0], full[1]));
  let brush = null;
  const stripTime = e => full[0] + (e.clientX - strip.getBoundingClientRect().left - strip.clientLeft - M.l) / W * (full[1] - full[0]);
  strip.addEventListener("mousedown", e => { brush = stripTime(e); });
  strip.addEventListener("mousemove", e => { if (brush !== null) { const t = stripTime(e); if (t !== brush) setView(Math.min(t, brush), Math.max(t, brush)); } });
  window.addEventListener("mouseup", () => { brush = null; });
  strip.addEventListener("dblclick", () => setView(full[0], full[1]));

  // Zooms to point i (1/20 of the full span, at least an hour, inside the full span) and highlights it.
  function focus(i) {
    const p = P[i], fs = full[1] - full[0], span = Math.min(fs, Math.max(fs / 20, HOUR));
    const a = Math.max(full[0], Math.min(p.t - span / 2, full[1] - span));
    if (hl >= 0 && rows.has(hl)) rows.get(hl).classList.remove("hl");
    hl = i; if (rows.has(i)) rows.get(i).classList.add("hl");
    setView(a, a + span);
    const r = wrap.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) wrap.scrollIntoView({block: "nearest"});
  }
  const body = document.querySelector("#rarest tbody");
  for (const i of marked) {
    const p = P[i], tr = document.createElement("tr");
    tr.dataset.r = String(p.r);
    for (const text of [String(p.r), p.id !== undefined ? String(p.id) : "", fmt(p.t), lik(p.l), p.k, p.why || "", p.w.join(ARROW)]) {
      const td = document.createElement("td"); td.textContent = text; tr.appendChild(td);
    }
    tr.addEventListener("click", () => focus(i));
    rows.set(i, tr); body.appendChild(tr);
  }
  if (D.more && D.more.count > 0) {
    const last = marked.length ? " (the same score as #" + P[marked[marked.length - 1]].r + ")" : "";
    document.getElementById("more").textContent = "+" + D.more.count + " more session" + (D.more.count === 1 ? "" : "s") + " at " + lik(D.more.l) + last;
  }
  const notes = [(P.length + binned) + " sessions plotted" + (binned ? ": the " + P.length + " rarest as points, " + binned + " more as shaded cells (darker: more sessions; hover for the count)" : "")];
  if (D.unscored) notes.push(D.unscored + " without a score (shorter than the window) not plotted");
  if (D.undated) notes.push(D.undated + " without a start time not plotted");
  if (D.above) notes.push(D.above + " above the upper bound not plotted");
  document.getElementById("foot").textContent = notes.join("; ");

  layout();
  const started = performance.now();
  draw();
  B.drawMs = String(Math.round(performance.now() - started));
  // Resize events and ResizeObserver callbacks come at most once a frame: redraw only when the size or the pixel ratio changed.
  const relayout = () => {
    if (plot.clientWidth === CW && plot.width === Math.round(CW * (window.devicePixelRatio || 1))) return;
    if (pinned) unpin();
    layout(); draw();
  };
  window.addEventListener("resize", relayout);
  if (window.ResizeObserver) new ResizeObserver(relayout).observe(plot);

  // Self-test hooks for headless checks: file.html#selftest, #selftest-row=N, #selftest-width=W.
  const hash = location.hash;
  if (hash === "#selftest" && marked.length) {
    const p = P[marked[0]], r = plot.getBoundingClientRect();
    plot.dispatchEvent(new MouseEvent("mousemove", {clientX: r.left + plot.clientLeft + X(p.t), clientY: r.top + plot.clientTop + Y(p.l), bubbles: true}));
    B.tooltip = tip.style.display === "block" ? tip.textContent : "";
    B.tooltipFirst = B.tooltip.split("\n")[0];
  }
  const row = /^#selftest-row=(\d+)$/.exec(hash);
  if (row) {
    const tr = body.querySelector('tr[data-r="' + row[1] + '"]');
    if (tr) tr.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, view: window}));
    B.zoom = Math.round(view[0]) + "," + Math.round(view[1]);
    B.highlight = hl >= 0 ? String(P[hl].r) : "";
    B.highlightVisible = hl >= 0 && inView(P[hl]) && X(P[hl].t) >= M.l && X(P[hl].t) <= M.l + W ? "yes" : "no";
  }
  if (/^#selftest-width=\d+$/.test(hash)) B.windowWidth = String(window.innerWidth);
  if (hash === "#selftest-cell" && cellBoxes.length) {
    // Hover the middle of the last cell drawn (on top), away from any point.
    const n = cellBoxes.length - 5, r = plot.getBoundingClientRect();
    const mx = cellBoxes[n] + cellBoxes[n + 2] / 2, my = cellBoxes[n + 1] + cellBoxes[n + 3] / 2;
    plot.dispatchEvent(new MouseEvent("mousemove", {clientX: r.left + plot.clientLeft + mx, clientY: r.top + plot.clientTop + my, bubbles: true}));
    B.tooltipFirst = tip.style.display === "block" ? tip.textContent.split("\n")[0] : "";
  }
  B.ready = "yes";
})();
</script>
</body></html>
"""#
}
