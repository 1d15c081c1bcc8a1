// The phase-plane chart of ui/charts.py (st.components.v2): draws what Python computed on a <canvas>, plays dots
// along every trajectory, shows one round in slow motion, reads out values under the pointer, and sends a click
// on the plane back as the trigger value `click` = {theta, psi}. No maths beyond drawing and playback.
// The state of each mounted chart lives in CHARTS: Streamlit calls the default export again on every new payload.

const CHARTS = new WeakMap();
const MARGIN = { left: 54, right: 12, top: 24, bottom: 40 };
const SLOW_PHASE_MS = 900; // each half of a round in slow motion
// The points streamed charts hold, by run and chart title: a chart Streamlit mounts afresh (its element replaced)
// during a run picks up where the old one was. The oldest of more than MAX_STREAMS is dropped.
const STREAMS = new Map();
const MAX_STREAMS = 16;

function fmt(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16) + "-" + text.length;
}

function niceTicks(lo, hi, count) {
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

// Powers of ten from 10^lo to 10^hi (log10 units), every second or third one when there are many.
function decades(lo, hi) {
  const first = Math.ceil(lo - 1e-9), last = Math.floor(hi + 1e-9), every = Math.max(1, Math.ceil((last - first + 1) / 7));
  const out = [];
  for (let k = first; k <= last; k += every) out.push(Math.pow(10, k));
  return out;
}

// A new payload is drawn: tell the page (bench.harness's probe times figure updates with this event).
function announce(id) {
  window.dispatchEvent(new CustomEvent("gdl-chart-drawn", { detail: { id, at: performance.now() } }));
}

function el(tag, attrs, parent) {
  const e = document.createElement(tag);
  Object.assign(e, attrs || {});
  if (parent) parent.appendChild(e);
  return e;
}

// Give the canvas `width` × `height` CSS pixels at the screen's pixel ratio (resized only when that changes).
function sizeCanvas(canvas, width, height) {
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.height = height + "px";
  }
  return dpr;
}

// Frame, ticks, axis labels and title of a chart with geometry `chart.geo` and data→pixel maps px, py.
function drawAxes(ctx, chart, xlabel, ylabel) {
  const g = chart.geo;
  ctx.strokeStyle = "#444"; ctx.lineWidth = 1; ctx.setLineDash([]);
  ctx.strokeRect(g.left, g.top, g.w, g.h);
  ctx.fillStyle = "#222"; ctx.font = "11px sans-serif";
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  for (const t of niceTicks(g.x0, g.x1, 6)) {
    const x = chart.px(t);
    ctx.beginPath(); ctx.moveTo(x, g.top + g.h); ctx.lineTo(x, g.top + g.h + 4); ctx.stroke();
    ctx.fillText(fmt(t), x, g.top + g.h + 6);
  }
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  const yTicks = g.ylog ? decades(g.y0, g.y1) : niceTicks(g.y0, g.y1, 6);
  for (const t of yTicks) {
    const y = chart.py(t);
    ctx.beginPath(); ctx.moveTo(g.left - 4, y); ctx.lineTo(g.left, y); ctx.stroke();
    ctx.fillText(fmt(t), g.left - 6, y);
  }
  ctx.font = "12px sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "bottom";
  ctx.fillText(xlabel, g.left + g.w / 2, g.height - 2);
  ctx.fillText(chart.data.title, g.left + g.w / 2, g.top - 6);
  ctx.save(); ctx.translate(12, g.top + g.h / 2); ctx.rotate(-Math.PI / 2); ctx.textBaseline = "middle";
  ctx.fillText(ylabel, 0, 0); ctx.restore();
}

// Legends sit under the plot, outside the data: rows of [SVG swatch, label] as HTML (labels as text, not markup).
const SVG_SHAPES = {
  o: '<circle cx="13" cy="6" r="4"',
  s: '<rect x="9" y="2" width="8" height="8"',
  D: '<rect x="9.5" y="2.5" width="7" height="7" transform="rotate(45 13 6)"',
  "^": '<path d="M13 1.5 L17.5 10 L8.5 10 Z"',
  v: '<path d="M13 10.5 L17.5 2 L8.5 2 Z"',
  X: '<path d="M9 2 L17 10 M17 2 L9 10" stroke-width="2.5"',
  "*": '<path d="M13 1 L14.2 4.5 L18 4.6 L15 6.9 L16.1 10.5 L13 8.4 L9.9 10.5 L11 6.9 L8 4.6 L11.8 4.5 Z"',
};
function swatch(line, shape, color, filled) {
  let inner = "";
  if (line) {
    inner += `<line x1="1" y1="6" x2="25" y2="6" stroke="${line.color}" stroke-width="${line.width}"`
      + ` stroke-dasharray="${line.dash.join(" ")}"/>`;
  }
  if (shape) inner += `${SVG_SHAPES[shape] || SVG_SHAPES.o} fill="${filled ? color : "none"}" stroke="${color}"/>`;
  return `<svg width="26" height="12" aria-hidden="true">${inner}</svg>`;
}
function fillLegend(container, rows) {
  container.replaceChildren(...rows.map(([svg, label]) => {
    const item = el("span", { className: "gdl-legend-item" });
    item.innerHTML = svg;
    item.append(label);
    return item;
  }));
}

function marker(ctx, shape, x, y, r, fill, stroke, width = 1.2) {
  ctx.beginPath();
  if (shape === "o") ctx.arc(x, y, r, 0, 2 * Math.PI);
  else if (shape === "s") ctx.rect(x - r * 0.85, y - r * 0.85, 1.7 * r, 1.7 * r);
  else if (shape === "D") { ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath(); }
  else if (shape === "^" || shape === "v") {
    const s = shape === "^" ? -1 : 1;
    ctx.moveTo(x, y + s * r); ctx.lineTo(x + r, y - s * r * 0.8); ctx.lineTo(x - r, y - s * r * 0.8); ctx.closePath();
  } else if (shape === "X") {
    const d = r * 0.75;
    ctx.moveTo(x - d, y - d); ctx.lineTo(x + d, y + d); ctx.moveTo(x + d, y - d); ctx.lineTo(x - d, y + d);
    ctx.save(); ctx.lineWidth = 2.5; ctx.strokeStyle = fill; ctx.stroke(); ctx.restore();
    return;
  } else if (shape === "*") {
    for (let i = 0; i < 10; i++) {
      const a = -Math.PI / 2 + (i * Math.PI) / 5, rr = i % 2 ? r * 0.45 : r;
      ctx[i ? "lineTo" : "moveTo"](x + rr * Math.cos(a), y + rr * Math.sin(a));
    }
    ctx.closePath();
  }
  if (fill) { ctx.fillStyle = fill; ctx.fill(); }
  if (stroke) { ctx.strokeStyle = stroke; ctx.lineWidth = width; ctx.stroke(); }
}

function arrow(ctx, x0, y0, x1, y1, color, width, head) {
  const a = Math.atan2(y1 - y0, x1 - x0);
  ctx.strokeStyle = ctx.fillStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash([]);
  ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - head * Math.cos(a - 0.45), y1 - head * Math.sin(a - 0.45));
  ctx.lineTo(x1 - head * Math.cos(a + 0.45), y1 - head * Math.sin(a + 0.45));
  ctx.closePath(); ctx.fill();
}

class PhaseChart {
  constructor(parent) {
    this.root = parent.querySelector(".gdl-chart") || el("div", { className: "gdl-chart" }, parent);
    const bar = el("div", { className: "gdl-bar" }, this.root);
    this.play = el("button", { type: "button", textContent: "▶ Play" }, bar);
    this.play.setAttribute("data-role", "play");
    const speedLabel = el("label", { textContent: "speed " }, bar);
    this.speed = el("input", { type: "range", min: 0, max: 100, value: 50, title: "rounds per second" }, speedLabel);
    this.speed.setAttribute("aria-label", "animation speed");
    this.speedText = el("span", {}, bar);
    this.slowBox = el("label", {}, bar);
    this.slowToggle = el("input", { type: "checkbox" }, this.slowBox);
    this.slowToggle.setAttribute("aria-label", "slow motion");
    this.slowBox.appendChild(document.createTextNode(" slow motion: one round"));
    this.back = el("button", { type: "button", textContent: "◀ round" }, bar);
    this.next = el("button", { type: "button", textContent: "round ▶" }, bar);
    this.canvas = el("canvas", {}, this.root);
    this.legend = el("div", { className: "gdl-legend" }, this.root);
    this.readout = el("div", { className: "gdl-readout" }, this.root);
    this.hint = el("div", { className: "gdl-hint" }, this.root);
    this.t = 0; // animation time in rounds
    this.playing = false;
    this.slow = { on: false, k: 0, phase: 0, start: 0 };
    this.hover = null;
    this.pending = null;
    this.drawn = 0;
    this.play.onclick = () => this.setPlaying(!this.playing);
    this.speed.oninput = () => this.showSpeed();
    this.slowToggle.onchange = () => { this.slow.on = this.slowToggle.checked; this.slow.phase = 0; this.slow.start = performance.now(); this.redraw(); };
    this.back.onclick = () => this.stepRound(-1);
    this.next.onclick = () => this.stepRound(1);
    this.canvas.addEventListener("pointermove", (e) => this.onMove(e));
    this.canvas.addEventListener("pointerleave", () => { this.hover = null; this.readout.textContent = ""; this.root.dataset.hover = ""; this.redraw(); });
    this.canvas.addEventListener("pointerdown", (e) => { this.down = [e.offsetX, e.offsetY]; });
    this.canvas.addEventListener("pointerup", (e) => this.onClick(e));
    this.resize = new ResizeObserver(() => this.redraw());
    this.resize.observe(this.root);
    this.showSpeed();
  }

  roundsPerSecond() { return Math.round(Math.pow(10, 0.5 + (2.5 * Number(this.speed.value)) / 100)); }
  showSpeed() { this.speedText.textContent = `${this.roundsPerSecond()} rounds/s`; }

  update(text, setTrigger) {
    this.setTrigger = setTrigger;
    const id = hash(text);
    if (id === this.id) return; // same payload (a rerun for another reason): keep playing where it is
    this.id = id;
    this.data = JSON.parse(text);
    this.pending = null;
    this.maxK = Math.max(0, ...this.data.trajectories.map((t) => t.k[t.k.length - 1]));
    this.t = Math.min(this.t, this.maxK);
    this.slow.k = Math.min(this.slow.k, Math.max(0, (this.data.slow ? this.data.slow.theta.length : 1) - 2));
    const moving = this.data.trajectories.length > 0;
    this.play.disabled = !moving;
    this.slowToggle.disabled = this.back.disabled = this.next.disabled = !this.data.slow;
    this.hint.textContent = this.data.clickable
      ? "Click the plane to start a trajectory there; hover for values."
      : "Hover for values.";
    this.root.dataset.payload = id;
    this.root.dataset.trajectories = String(this.data.trajectories.length);
    this.drawLegend();
    this.redraw();
    announce(id);
  }

  setPlaying(on) {
    this.playing = on && this.data && this.data.trajectories.length > 0;
    this.play.textContent = this.playing ? "⏸ Pause" : "▶ Play";
    this.root.dataset.playing = this.playing ? "1" : "0";
    if (this.playing) {
      if (!this.slow.on && this.t >= this.maxK) this.t = 0;
      this.last = performance.now();
      this.slow.start = this.last - (this.slow.phase ? SLOW_PHASE_MS : 0);
      this.tick();
    } else cancelAnimationFrame(this.frame);
  }

  tick() {
    if (!this.playing) return;
    if (!this.root.isConnected) { this.playing = false; return; }
    const now = performance.now();
    if (this.slow.on) {
      const elapsed = now - this.slow.start;
      this.slow.phase = Math.min(2, elapsed / SLOW_PHASE_MS);
      if (elapsed > 2.6 * SLOW_PHASE_MS) this.stepRound(1, now);
    } else {
      this.t += ((now - this.last) / 1000) * this.roundsPerSecond();
      if (this.t > this.maxK) this.t = 0;
    }
    this.last = now;
    this.redraw();
    this.frame = requestAnimationFrame(() => this.tick());
  }

  stepRound(dir, now) {
    const last = this.data && this.data.slow ? this.data.slow.theta.length - 2 : 0;
    this.slow.k = (this.slow.k + dir + last + 1) % (last + 1);
    this.slow.phase = 0;
    this.slow.start = now || performance.now();
    if (!this.slow.on) { this.slow.on = this.slowToggle.checked = true; }
    this.redraw();
  }

  // Geometry: a square plot area (equal θ and ψ scales) centred in the canvas.
  layout() {
    const width = Math.max(240, this.root.clientWidth || 480);
    const height = Math.min(width, 470);
    const dpr = sizeCanvas(this.canvas, width, height);
    const [x0, x1, y0, y1] = this.data.window;
    const side = Math.min(width - MARGIN.left - MARGIN.right, height - MARGIN.top - MARGIN.bottom);
    const scale = side / Math.max(x1 - x0, y1 - y0);
    const w = (x1 - x0) * scale, h = (y1 - y0) * scale;
    const left = MARGIN.left + (width - MARGIN.left - MARGIN.right - w) / 2;
    const top = MARGIN.top + (height - MARGIN.top - MARGIN.bottom - h) / 2;
    this.geo = { width, height, dpr, left, top, w, h, x0, x1, y0, y1, scale };
    this.root.dataset.geo = JSON.stringify({ left, top, scale, x0, y1 }); // canvas pixel = left + (θ − x0)·scale
  }
  px(th) { return this.geo.left + (th - this.geo.x0) * this.geo.scale; }
  py(ps) { return this.geo.top + (this.geo.y1 - ps) * this.geo.scale; }
  fromPx(x, y) { return [this.geo.x0 + (x - this.geo.left) / this.geo.scale, this.geo.y1 - (y - this.geo.top) / this.geo.scale]; }
  inside(x, y) { const g = this.geo; return x >= g.left && x <= g.left + g.w && y >= g.top && y <= g.top + g.h; }

  redraw() {
    if (!this.data) return;
    this.layout();
    const g = this.geo, d = this.data, ctx = this.canvas.getContext("2d");
    ctx.setTransform(g.dpr, 0, 0, g.dpr, 0, 0);
    ctx.clearRect(0, 0, g.width, g.height);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, g.width, g.height);
    ctx.save();
    ctx.beginPath(); ctx.rect(g.left, g.top, g.w, g.h); ctx.clip();
    if (d.basins) this.drawBasins(ctx);
    this.drawField(ctx);
    this.drawFlows(ctx);
    this.drawTrajectories(ctx);
    marker(ctx, "*", this.px(0), this.py(0), 8, "#000", null);
    if (this.pending) marker(ctx, "o", this.px(this.pending[0]), this.py(this.pending[1]), 6, null, "#000");
    if (this.slow.on && d.slow) this.drawSlow(ctx);
    else if (this.playing || this.t > 0) this.drawDots(ctx);
    if (this.hover) marker(ctx, "o", this.hover.x, this.hover.y, 5, null, "#000");
    ctx.restore();
    drawAxes(ctx, this, "θ (generator)", "ψ (discriminator)");
    this.drawn += 1;
    this.root.dataset.drawn = String(this.drawn);
  }

  drawBasins(ctx) {
    const b = this.data.basins, [x0, x1, y0, y1] = b.window;
    const dx = (x1 - x0) / (b.n - 1), dy = (y1 - y0) / (b.n - 1);
    ctx.globalAlpha = 0.35;
    for (let j = 0; j < b.n; j++) for (let i = 0; i < b.n; i++) {
      const s = this.data.statuses[b.codes[j * b.n + i]];
      ctx.fillStyle = this.data.styles[s].color;
      const x = this.px(x0 + (i - 0.5) * dx), y = this.py(y0 + (j + 0.5) * dy);
      ctx.fillRect(x, y, dx * this.geo.scale + 0.5, dy * this.geo.scale + 0.5);
    }
    ctx.globalAlpha = 1;
  }

  drawField(ctx) {
    const f = this.data.field, n = f.theta.length;
    const cell = Math.min((f.theta[n - 1] - f.theta[0]) / (n - 1), (f.psi[n - 1] - f.psi[0]) / (n - 1)) * this.geo.scale;
    const len = f.u.map((u, i) => Math.log1p(Math.hypot(u, f.v[i]) || 0));
    const top = Math.max(1e-12, ...len.filter(Number.isFinite));
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
      const u = f.u[j * n + i], v = f.v[j * n + i], norm = Math.hypot(u, v);
      if (!Number.isFinite(norm) || norm === 0) continue;
      const l = (0.85 * cell * len[j * n + i]) / top;
      const cx = this.px(f.theta[i]), cy = this.py(f.psi[j]);
      const ex = (l * u) / norm / 2, ey = (-l * v) / norm / 2;
      arrow(ctx, cx - ex, cy - ey, cx + ex, cy + ey, "#8c8c8c", 1, Math.min(5, l / 3));
    }
  }

  drawFlows(ctx) {
    ctx.strokeStyle = "#000"; ctx.lineWidth = 1; ctx.globalAlpha = 0.8; ctx.setLineDash([6, 3, 1, 3]);
    for (const path of this.data.flows) {
      ctx.beginPath();
      path.forEach(([th, ps], i) => ctx[i ? "lineTo" : "moveTo"](this.px(th), this.py(ps)));
      ctx.stroke();
    }
    ctx.globalAlpha = 1; ctx.setLineDash([]);
  }

  drawTrajectories(ctx) {
    for (const t of this.data.trajectories) {
      const s = this.data.styles[t.status], lw = 1.6;
      ctx.strokeStyle = s.color; ctx.lineWidth = lw; ctx.setLineDash(s.dash.map((x) => x * lw));
      ctx.beginPath();
      t.theta.forEach((th, i) => ctx[i ? "lineTo" : "moveTo"](this.px(th), this.py(t.psi[i])));
      ctx.stroke();
      ctx.setLineDash([]);
      const n = t.theta.length - 1;
      marker(ctx, "o", this.px(t.theta[0]), this.py(t.psi[0]), 4, "#fff", s.color);
      marker(ctx, s.marker, this.px(t.theta[n]), this.py(t.psi[n]), 5, s.color, null);
    }
  }

  // Where trajectory t is at round this.t: linear between its samples.
  position(t) {
    const k = t.k, r = Math.min(this.t, k[k.length - 1]);
    let lo = 0, hi = k.length - 1;
    while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (k[mid] <= r) lo = mid; else hi = mid; }
    const a = k[hi] === k[lo] ? 0 : (r - k[lo]) / (k[hi] - k[lo]);
    return [t.theta[lo] + a * (t.theta[hi] - t.theta[lo]), t.psi[lo] + a * (t.psi[hi] - t.psi[lo])];
  }

  drawDots(ctx) {
    const dots = this.data.trajectories.map((t) => this.position(t));
    dots.forEach(([th, ps], i) => {
      marker(ctx, "o", this.px(th), this.py(ps), 5, this.data.styles[this.data.trajectories[i].status].color, "#000");
    });
    this.root.dataset.round = String(Math.floor(this.t));
    this.root.dataset.dots = JSON.stringify(dots.slice(0, 8).map(([a, b]) => [Number(a.toPrecision(6)), Number(b.toPrecision(6))]));
  }

  drawSlow(ctx) {
    const s = this.data.slow, k = this.slow.k, p = this.slow.phase;
    const th0 = s.theta[k], th1 = s.theta[k + 1], ps0 = s.psi[k], ps1 = s.psi[k + 1];
    const gen = Math.min(1, p), dis = Math.max(0, Math.min(1, p - 1));
    const th = th0 + gen * (th1 - th0), ps = ps0 + dis * (ps1 - ps0);
    const LEN = 55;
    const draw = (x, y, u, v, color) => {
      const n = Math.hypot(u, v);
      if (!Number.isFinite(n) || n === 0) return;
      arrow(ctx, this.px(x), this.py(y), this.px(x) + (LEN * u) / n, this.py(y) - (LEN * v) / n, color, 2, 8);
    };
    ctx.strokeStyle = "#000"; ctx.lineWidth = 1; ctx.setLineDash([3, 3]);
    ctx.beginPath(); ctx.moveTo(this.px(th0), this.py(ps0)); ctx.lineTo(this.px(th1), this.py(ps0)); ctx.lineTo(this.px(th1), this.py(ps1)); ctx.stroke();
    ctx.setLineDash([]);
    const dx = s.scheme === "alt" ? th1 : th0;
    if (p < 1) draw(th0, ps0, s.u[k], s.v[k], "#000");
    else draw(dx, ps0, s.du[k], s.dv[k], "#000");
    marker(ctx, "o", this.px(th0), this.py(ps0), 4, "#fff", "#000");
    marker(ctx, "o", this.px(th), this.py(ps), 6, "#E69F00", "#000");
    const where = s.scheme === "alt" ? "after the generator's step" : "before either step (simultaneous)";
    const gText = `generator step θ ${fmt(th0)} → ${fmt(th1)} (v_θ = ${fmt(s.u[k])} at (${fmt(th0)}, ${fmt(ps0)}))`;
    const dText = `discriminator step ψ ${fmt(ps0)} → ${fmt(ps1)} (v_ψ = ${fmt(s.dv[k])} at (${fmt(dx)}, ${fmt(ps0)}), ${where})`;
    if (!this.hover) {
      this.readout.textContent = `Round ${k} → ${k + 1} of the first trajectory: ${p < 1 ? "▶ " : ""}${gText}; then ${p >= 1 ? "▶ " : ""}${dText}.`;
    }
    this.root.dataset.slow = `${k}:${p < 1 ? "generator" : "discriminator"}`;
    this.root.dataset.dots = JSON.stringify([[Number(th.toPrecision(6)), Number(ps.toPrecision(6))]]);
  }

  drawLegend() {
    const d = this.data, present = new Set(d.trajectories.map((t) => t.status));
    if (d.basins) d.basins.codes.forEach((c) => present.add(d.statuses[c]));
    const rows = d.statuses.filter((s) => present.has(s)).map((s) => {
      const st = d.styles[s];
      const line = d.basins && !d.trajectories.length ? null : { color: st.color, width: 1.6, dash: st.dash.map((v) => v * 1.6) };
      return [swatch(line, st.marker || (line ? null : "s"), st.color, true), s];
    });
    rows.push([swatch(null, "*", "#000", true), "equilibrium"]);
    if (d.flows.length) rows.push([swatch({ color: "#000", width: 1.6, dash: [6, 3, 1, 3] }, null), "continuous flow (h → 0)"]);
    fillLegend(this.legend, rows);
  }

  // The nearest trajectory sample within 8 px of the pointer, else the nearest field-grid point.
  onMove(e) {
    if (!this.data) return;
    const x = e.offsetX, y = e.offsetY;
    if (!this.inside(x, y)) { this.hover = null; this.readout.textContent = ""; this.redraw(); return; }
    const [th, ps] = this.fromPx(x, y);
    let best = null, bestD = 64;
    this.data.trajectories.forEach((t, i) => {
      for (let j = 0; j < t.theta.length; j++) {
        const dx = this.px(t.theta[j]) - x, dy = this.py(t.psi[j]) - y, d2 = dx * dx + dy * dy;
        if (d2 < bestD) { bestD = d2; best = [i, j]; }
      }
    });
    let text;
    if (best) {
      const [i, j] = best, t = this.data.trajectories[i];
      this.hover = { x: this.px(t.theta[j]), y: this.py(t.psi[j]) };
      text = `trajectory ${i + 1} (${t.status}), round k = ${t.k[j]}: θ = ${fmt(t.theta[j])}, ψ = ${fmt(t.psi[j])}, ` +
        `v(θ, ψ) = (${fmt(t.u[j])}, ${fmt(t.v[j])})`;
    } else {
      const f = this.data.field, n = f.theta.length;
      const near = (axis, v) => axis.reduce((b, a, i) => (Math.abs(a - v) < Math.abs(axis[b] - v) ? i : b), 0);
      const i = near(f.theta, th), j = near(f.psi, ps);
      this.hover = { x: this.px(f.theta[i]), y: this.py(f.psi[j]) };
      text = `pointer θ = ${fmt(th)}, ψ = ${fmt(ps)}; at the nearest arrow θ = ${fmt(f.theta[i])}, ψ = ${fmt(f.psi[j])}: ` +
        `v(θ, ψ) = (${fmt(f.u[j * n + i])}, ${fmt(f.v[j * n + i])})`;
    }
    this.readout.textContent = text;
    this.root.dataset.hover = text;
    this.redraw();
  }

  onClick(e) {
    const [x0, y0] = this.down || [NaN, NaN];
    this.down = null;
    if (!this.data || !this.data.clickable || Math.hypot(e.offsetX - x0, e.offsetY - y0) > 4) return;
    if (!this.inside(e.offsetX, e.offsetY)) return;
    const [th, ps] = this.fromPx(e.offsetX, e.offsetY);
    this.pending = [th, ps];
    this.redraw();
    this.setTrigger("click", { theta: th, psi: ps });
  }

  stop() { this.playing = false; cancelAnimationFrame(this.frame); this.resize.disconnect(); }
}

// A chart of lines and points in the (x, y) plane (eigenvalues, curves). Hover reads out the nearest point, or
// with `readout: "x"` every series at the nearest x; shaded `bands` mark x intervals. When `clickable`, a click
// sends {points: [[x, y]]} back as the trigger value `click`, and with `drag` a drag sends both ends. The legend
// sits under the plot, outside the data. Series on axis "y2" use a right axis; a `heat` grid is drawn under the
// series.
// A streamed chart (a `run` id) holds its `stream` series' points: each payload carries the points from index
// `start` on, written over the held ones there (a run's history never changes a point, so a repeated or
// overlapping payload changes nothing); a new run starts afresh, a chart mounted again keeps what its run held
// (STREAMS), and a payload that would leave a hole (start past the held points, or a new run not starting at 0) is
// not drawn but answered with the trigger `gap` = {run, have, at}, so Python sends all of it. It counts the payloads
// its run applied in data-updates, its points in data-points, and shows the x of its last point in data-last.
class XYChart {
  constructor(parent) {
    this.root = parent.querySelector(".gdl-chart") || el("div", { className: "gdl-chart" }, parent);
    this.canvas = el("canvas", {}, this.root);
    this.legend = el("div", { className: "gdl-legend" }, this.root);
    this.readout = el("div", { className: "gdl-readout" }, this.root);
    this.drawn = 0;
    this.held = null; // a streamed chart's points: {run, n, x: [[…] per series], y: […]}
    this.canvas.addEventListener("pointermove", (e) => this.onMove(e));
    this.canvas.addEventListener("pointerleave", () => {
      this.hover = null; this.down = null; this.readout.textContent = this.data ? this.data.hint : ""; this.redraw();
    });
    this.canvas.addEventListener("pointerdown", (e) => { this.down = [e.offsetX, e.offsetY]; });
    this.canvas.addEventListener("pointerup", (e) => this.onClick(e));
    this.resize = new ResizeObserver(() => this.redraw());
    this.resize.observe(this.root);
  }

  update(text, setTrigger) {
    this.setTrigger = setTrigger;
    const id = hash(text);
    if (id === this.id) return;
    const data = JSON.parse(text);
    if (data.run && !this.merge(data)) {
      const have = this.held && this.held.run === data.run ? this.held.n : 0;
      setTrigger("gap", { run: data.run, have, at: performance.now() }); // `at`: a repeated gap is a new event
      return;
    }
    this.id = id;
    this.data = data;
    this.root.dataset.payload = id;
    if (!this.hover) this.readout.textContent = this.data.hint || "";
    this.drawLegend();
    this.redraw();
    if (data.run) {
      this.held.updates += 1;
      const h = this.held, x = h.x[data.series.findIndex((s) => s.stream)];
      Object.assign(this.root.dataset, { updates: String(h.updates), points: String(h.n), last: String(x[h.n - 1]), run: data.run });
    }
    announce(id);
  }

  // Append a streamed payload's points to those held (see the class comment); false when it would leave a hole.
  merge(d) {
    const key = `${d.run}|${d.title}`;
    let h = this.held && this.held.key === key ? this.held : STREAMS.get(key);
    if (!h) {
      if (d.start !== 0) return false;
      h = { key, run: d.run, n: 0, updates: 0, x: d.series.map(() => []), y: d.series.map(() => []) };
      STREAMS.set(key, h);
      if (STREAMS.size > MAX_STREAMS) STREAMS.delete(STREAMS.keys().next().value);
    }
    if (d.start > h.n) return false;
    d.series.forEach((s, i) => {
      if (!s.stream) return;
      const x = h.x[i], y = h.y[i];
      for (let j = 0; j < s.x.length; j++) { x[d.start + j] = s.x[j]; y[d.start + j] = s.y[j]; }
      h.n = x.length;
      s.x = x; s.y = y;
    });
    this.held = h;
    return true;
  }

  layout() {
    const width = Math.max(240, this.root.clientWidth || 420);
    const height = Math.round(Math.min(width * (this.data.equal ? 1 : this.data.aspect), 440));
    const dpr = sizeCanvas(this.canvas, width, height);
    const ylog = Boolean(this.data.ylog); // the window's y bounds in data units; drawn in log10
    const [x0, x1] = this.data.window, [y0, y1] = this.data.window.slice(2).map((v) => (ylog ? Math.log10(v) : v));
    const right = this.data.window2 ? MARGIN.left : MARGIN.right;
    let w = width - MARGIN.left - right, h = height - MARGIN.top - MARGIN.bottom;
    let sx = w / (x1 - x0), sy = h / (y1 - y0);
    if (this.data.equal) { sx = sy = Math.min(sx, sy); w = (x1 - x0) * sx; h = (y1 - y0) * sy; }
    const left = MARGIN.left + (width - MARGIN.left - right - w) / 2;
    const top = MARGIN.top + (height - MARGIN.top - MARGIN.bottom - h) / 2;
    const [z0, z1] = this.data.window2 || [y0, y1];
    this.geo = { width, height, dpr, left, top, w, h, x0, x1, y0, y1, sx, sy, z1, sz: h / (z1 - z0), ylog };
    this.root.dataset.geo = JSON.stringify({ left, top, sx, sy, x0, y1, ylog });
  }
  px(x) { return this.geo.left + (x - this.geo.x0) * this.geo.sx; }
  py(y) { return this.geo.top + (this.geo.y1 - (this.geo.ylog ? Math.log10(y) : y)) * this.geo.sy; }
  py2(y) { return this.geo.top + (this.geo.z1 - y) * this.geo.sz; }
  sy(s, y) { return s.axis === "y2" ? this.py2(y) : this.py(y); }
  vx(px) { return this.geo.x0 + (px - this.geo.left) / this.geo.sx; }
  vy(py) { const v = this.geo.y1 - (py - this.geo.top) / this.geo.sy; return this.geo.ylog ? Math.pow(10, v) : v; }
  // A point the chart can place: both coordinates given, and y > 0 on a log axis.
  placed(x, y) { return x !== null && y !== null && !(this.geo.ylog && !(y > 0)); }
  inside(x, y) { const g = this.geo; return x >= g.left && x <= g.left + g.w && y >= g.top && y <= g.top + g.h; }

  redraw() {
    if (!this.data) return;
    this.layout();
    const g = this.geo, d = this.data, ctx = this.canvas.getContext("2d");
    ctx.setTransform(g.dpr, 0, 0, g.dpr, 0, 0);
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, g.width, g.height);
    ctx.save();
    ctx.beginPath(); ctx.rect(g.left, g.top, g.w, g.h); ctx.clip();
    if (d.heat) this.drawHeat(ctx);
    ctx.fillStyle = d.band_color;
    for (const [a, b] of d.bands) ctx.fillRect(this.px(a), g.top, Math.max(1, this.px(b) - this.px(a)), g.h);
    for (const r of d.rules) {
      ctx.strokeStyle = r.color; ctx.lineWidth = r.width; ctx.setLineDash(r.dash.map((v) => v * r.width));
      ctx.beginPath();
      if (r.axis === "x") { ctx.moveTo(this.px(r.value), g.top); ctx.lineTo(this.px(r.value), g.top + g.h); }
      else { ctx.moveTo(g.left, this.py(r.value)); ctx.lineTo(g.left + g.w, this.py(r.value)); }
      ctx.stroke();
    }
    ctx.setLineDash([]);
    for (const s of d.series) {
      if (s.mode === "line") {
        ctx.strokeStyle = s.color; ctx.lineWidth = s.width; ctx.setLineDash(s.dash.map((v) => v * s.width));
        ctx.beginPath();
        let pen = false;
        s.x.forEach((x, i) => {
          const y = s.y[i];
          if (!this.placed(x, y)) { pen = false; return; }
          ctx[pen ? "lineTo" : "moveTo"](this.px(x), this.sy(s, y)); pen = true;
        });
        ctx.stroke(); ctx.setLineDash([]);
      } else {
        s.x.forEach((x, i) => {
          if (!this.placed(x, s.y[i])) return;
          const edge = s.filled ? s.edge || null : s.color;
          marker(ctx, s.marker, this.px(x), this.sy(s, s.y[i]), s.size, s.filled ? s.color : null, edge, s.edge_width);
        });
      }
    }
    for (const p of this.hover || []) marker(ctx, "o", p.x, p.y, 5, null, "#000");
    if (this.down && this.pointer && d.drag) {
      ctx.strokeStyle = "#000"; ctx.lineWidth = 1; ctx.setLineDash([3, 3]);
      ctx.beginPath(); ctx.moveTo(...this.down); ctx.lineTo(...this.pointer); ctx.stroke(); ctx.setLineDash([]);
    }
    ctx.restore();
    if (d.note) {
      ctx.fillStyle = "#222"; ctx.font = "12px sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
      d.note.split("\n").forEach((line, i) => ctx.fillText(line, g.left + g.w / 2, g.top + g.h * 0.35 + i * 16));
    }
    drawAxes(ctx, this, this.data.xlabel, this.data.ylabel);
    if (d.window2) this.drawRightAxis(ctx);
    this.drawn += 1;
    this.root.dataset.drawn = String(this.drawn);
  }

  drawRightAxis(ctx) {
    const g = this.geo, [z0, z1] = this.data.window2, x = g.left + g.w;
    ctx.strokeStyle = "#444"; ctx.fillStyle = "#222"; ctx.lineWidth = 1; ctx.font = "11px sans-serif";
    ctx.textAlign = "left"; ctx.textBaseline = "middle";
    for (const t of niceTicks(z0, z1, 6)) {
      const y = this.py2(t);
      ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x + 4, y); ctx.stroke();
      ctx.fillText(fmt(t), x + 6, y);
    }
    ctx.font = "12px sans-serif";
    ctx.save(); ctx.translate(g.width - 8, g.top + g.h / 2); ctx.rotate(Math.PI / 2); ctx.textAlign = "center";
    ctx.fillText(this.data.y2label, 0, 0); ctx.restore();
  }

  drawHeat(ctx) {
    const m = this.data.heat, [x0, x1, y0, y1] = m.window, dx = (x1 - x0) / m.n, dy = (y1 - y0) / m.n;
    const last = m.palette.length - 1;
    for (let j = 0; j < m.n; j++) for (let i = 0; i < m.n; i++) {
      const v = m.values[j * m.n + i];
      if (v === null) continue;
      ctx.fillStyle = m.palette[Math.max(0, Math.min(last, Math.floor(v * (last + 1))))];
      ctx.fillRect(this.px(x0 + i * dx), this.py(y0 + (j + 1) * dy), dx * this.geo.sx + 0.5, dy * this.geo.sy + 0.5);
    }
  }

  // The heat map's value at data point (x, y), or null outside it.
  heatAt(x, y) {
    const m = this.data.heat, [x0, x1, y0, y1] = m.window;
    const i = Math.floor(((x - x0) / (x1 - x0)) * m.n), j = Math.floor(((y - y0) / (y1 - y0)) * m.n);
    return i < 0 || j < 0 || i >= m.n || j >= m.n ? null : m.values[j * m.n + i];
  }

  // One entry per labelled series, rule and band.
  drawLegend() {
    const d = this.data, line = (r) => ({ color: r.color, width: r.width, dash: r.dash.map((v) => v * r.width) });
    const rows = d.series.filter((s) => s.label).map((s) => [
      s.mode === "points" ? swatch(null, s.marker, s.color, s.filled) : swatch(line(s), null), s.label,
    ]);
    for (const r of d.rules.filter((r) => r.label)) rows.push([swatch(line(r), null), r.label]);
    if (d.bands.length && d.band_label) {
      rows.push([`<svg width="26" height="12" aria-hidden="true"><rect x="2" y="1" width="22" height="10" fill="${d.band_color}"/></svg>`, d.band_label]);
    }
    if (d.heat) {
      const p = d.heat.palette, cells = [0, 0.5, 1].map((f, k) => `<rect x="${2 + 8 * k}" y="1" width="8" height="10" fill="${p[Math.round(f * (p.length - 1))]}"/>`);
      rows.push([`<svg width="26" height="12" aria-hidden="true">${cells.join("")}</svg>`, `${d.heat.label} (0 → 1)`]);
    }
    fillLegend(this.legend, rows);
  }

  // The series points near the pointer: every series at the nearest x (readout "x"), else the nearest point.
  nearest(x, y) {
    const d = this.data;
    if (d.readout === "x") {
      const vx = this.vx(x), xs = d.series[0].x;
      let i = 0;
      xs.forEach((v, j) => { if (v !== null && Math.abs(v - vx) < Math.abs(xs[i] - vx)) i = j; });
      const hits = d.series.filter((s) => s.hover).map((s) => [s, i]);
      return this.inside(x, y) ? hits : [];
    }
    let best = null, bestD = 100;
    d.series.forEach((s) => s.x.forEach((sx, i) => {
      if (!this.placed(sx, s.y[i]) || !s.hover) return;
      const d2 = (this.px(sx) - x) ** 2 + (this.sy(s, s.y[i]) - y) ** 2;
      if (d2 < bestD) { bestD = d2; best = [s, i]; }
    }));
    return best ? [best] : [];
  }

  onMove(e) {
    if (!this.data) return;
    const x = e.offsetX, y = e.offsetY, d = this.data;
    this.pointer = [x, y];
    const hits = this.nearest(x, y);
    this.hover = hits.filter(([s, i]) => this.placed(s.x[i], s.y[i])).map(([s, i]) => ({ x: this.px(s.x[i]), y: this.sy(s, s.y[i]) }));
    if (d.readout === "x" && hits.length) {
      const [s0, i] = hits[0];
      this.readout.textContent = `${d.xlabel} = ${fmt(s0.x[i])}: ` + hits.map(([s, j]) => `${s.label} = ${fmt(s.y[j])}`).join(", ");
    } else if (hits.length) {
      const [s, i] = hits[0];
      this.readout.textContent = `${s.label}: ${d.xlabel} = ${fmt(s.x[i])}, ${d.ylabel} = ${fmt(s.y[i])}`;
    } else if (this.inside(x, y)) {
      this.readout.textContent = `pointer ${d.xlabel} = ${fmt(this.vx(x))}, ${d.ylabel} = ${fmt(this.vy(y))}`;
    } else this.readout.textContent = d.hint || "";
    if (d.heat && this.inside(x, y)) {
      this.readout.textContent += `; ${d.heat.label} = ${fmt(this.heatAt(this.vx(x), this.vy(y)))} at the pointer`;
    }
    this.root.dataset.hover = this.readout.textContent;
    this.redraw();
  }

  onClick(e) {
    const down = this.down;
    this.down = null;
    if (!down || !this.data || !this.data.clickable || !this.inside(e.offsetX, e.offsetY)) return;
    const end = [this.vx(e.offsetX), this.vy(e.offsetY)];
    if (Math.hypot(e.offsetX - down[0], e.offsetY - down[1]) <= 4) this.setTrigger("click", { points: [end] });
    else if (this.data.drag && this.inside(...down)) {
      this.setTrigger("click", { points: [[this.vx(down[0]), this.vy(down[1])], end] });
    }
    this.redraw();
  }

  stop() { this.resize.disconnect(); }
}

const KINDS = { phase: PhaseChart, xy: XYChart };

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const kind = data.startsWith('{"kind":"xy"') ? "xy" : "phase"; // the payload's first key (ui.charts)
  let chart = CHARTS.get(parentElement);
  if (chart && !(chart instanceof KINDS[kind])) { chart.stop(); chart.root.replaceChildren(); chart = null; }
  if (!chart) {
    chart = new KINDS[kind](parentElement);
    CHARTS.set(parentElement, chart);
  }
  chart.update(data, setTriggerValue);
  return () => { chart.stop(); CHARTS.delete(parentElement); };
}
