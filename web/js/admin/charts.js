// Small SVG charts for the operations console: a line over days, vertical bars (grouped when
// there is more than one series) and horizontal bars for categories, plus big numbers.
//
//   lineChart({ title, labels: ['2026-12-01', …], series: [{ name, values }], unit, format })
//   barChart({ …same… })   // becomes horizontal bars when the bands would be too narrow to label
//   hbarChart({ …same…, limit })
//   bigNumbers([{ label, value, hint, tone }])
//
// Charts are drawn at the pixel width of their box, never scaled down from a fixed viewBox, so
// their text stays at its real size on a phone; they redraw when the box changes width. Each
// chart is a <figure> with a visible title (figcaption) and an SVG role="img" whose label says
// what the chart shows, with the values in its <desc>; pages put the data table beside it.
import { h } from '../ui.js';

const NS = 'http://www.w3.org/2000/svg';
const FONT = 13;
const SMALL = 12;
// Gold, navy, a lighter red and a dark green: series differ in lightness too, not only in hue.
export const PALETTE = ['#b48a4e', '#24304f', '#c0574e', '#2e6a4d', '#8a93b0'];

let uid = 0;

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) if (c) el.append(c);
  return el;
}

// Text widths are estimated, not measured: a chart is drawn before it is in the document.
function textWidth(text, size = FONT) {
  return String(text).length * size * 0.56;
}

function clip(text, width, size = FONT) {
  const t = String(text);
  const max = Math.max(3, Math.floor(width / (size * 0.56)));
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

export function defaultFormat(n) {
  if (!Number.isFinite(n)) return '—';
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

// 0, a round step (1, 2 or 5 × 10^k) and its multiples up to at least max.
function ticks(max, count = 4, integer = true) {
  if (!(max > 0)) return [0, 1];
  let step = max / count;
  const mag = 10 ** Math.floor(Math.log10(step));
  const norm = step / mag;
  step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  if (integer) step = Math.max(1, Math.round(step));
  const out = [];
  for (let v = 0; v < max + step * 0.999; v += step) out.push(Number(v.toFixed(6)));
  return out.length > 1 ? out : [0, step];
}

// "2026-12-03" → "3 Dec" (days are UTC days, as the server groups them).
export function dayLabel(day) {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return String(day);
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

// The values in words, for screen readers. Over days, the quiet ones are summed up in one phrase.
function describe({ labels, series, format, labelText = (l) => l, skipZeros = false }) {
  const keep = labels.map((l, i) => !skipZeros || series.some((se) => se.values[i]));
  const said = labels.map((l, i) => i).filter((i) => keep[i])
    .map((i) => `${labelText(labels[i])}: ${series.map((se) => `${series.length > 1 ? `${se.name} ` : ''}${format(se.values[i] ?? 0)}`).join(', ')}`);
  const quiet = keep.filter((k) => !k).length;
  return [...said, quiet ? `${quiet} other ${quiet === 1 ? 'day' : 'days'}: none` : ''].filter(Boolean).join('; ');
}

function legend(series, width) {
  if (series.length < 2) return [null, 0];
  const g = s('g', { class: 'chart-legend', 'aria-hidden': 'true' });
  let x = 0;
  let y = 0;
  for (const [i, se] of series.entries()) {
    const w = 14 + 6 + textWidth(se.name, SMALL) + 18;
    if (x > 0 && x + w > width) { x = 0; y += 20; }
    g.append(s('rect', { x, y: y + 2, width: 12, height: 12, rx: 2, fill: se.color || PALETTE[i % PALETTE.length] }),
      s('text', { x: x + 18, y: y + 12, 'font-size': SMALL, class: 'chart-text', text: se.name }));
    x += w;
  }
  return [g, y + 24];
}

function frame(width, height, label, desc) {
  const id = `chart-desc-${++uid}`;
  return s('svg', {
    width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, 'aria-describedby': id,
    class: 'chart-svg', 'font-family': 'system-ui, -apple-system, Segoe UI, Roboto, Liberation Sans, Arial, sans-serif',
  }, s('desc', { id, text: desc }));
}

function colour(se, i) {
  return se.color || PALETTE[i % PALETTE.length];
}

// ---------------------------------------------------------------- the drawings

function drawLine(o, width) {
  const { labels, series, format } = o;
  const max = Math.max(0, ...series.flatMap((se) => se.values));
  const yt = ticks(max, 4, o.integer !== false);
  const top = yt[yt.length - 1];
  const [leg, legH] = legend(series, width);
  const left = Math.max(...yt.map((t) => textWidth(format(t), SMALL))) + 14;
  const pad = { top: 26 + legH, right: 18, bottom: 30, left };
  const height = o.height || 240;
  const pw = Math.max(40, width - pad.left - pad.right);
  const ph = height - pad.top - pad.bottom;
  const x = (i) => pad.left + (labels.length === 1 ? pw / 2 : (i * pw) / (labels.length - 1));
  const y = (v) => pad.top + ph - (v / top) * ph;
  const svg = frame(width, height, o.ariaLabel, describe({ ...o, labelText: dayLabel, skipZeros: true }));
  if (leg) { leg.setAttribute('transform', `translate(${pad.left}, 4)`); svg.append(leg); }
  if (o.unit) svg.append(s('text', { x: 0, y: pad.top - 12, 'font-size': SMALL, class: 'chart-axis-title', text: o.unit }));
  for (const t of yt) {
    svg.append(s('line', { x1: pad.left, x2: pad.left + pw, y1: y(t), y2: y(t), class: t === 0 ? 'chart-base' : 'chart-grid' }),
      s('text', { x: pad.left - 8, y: y(t) + 4, 'text-anchor': 'end', 'font-size': SMALL, class: 'chart-text', text: format(t) }));
  }
  // As many day labels as fit, evenly spaced, always the first and the last.
  const fit = Math.max(2, Math.floor(pw / 62));
  const step = Math.max(1, Math.ceil(labels.length / fit));
  const last = labels.length - 1;
  labels.forEach((l, i) => {
    // Every step-th day, and the last day, whose label never crowds the one before it.
    if (i !== last && (i % step !== 0 || last - i < step)) return;
    const anchor = labels.length === 1 ? 'middle' : i === 0 ? 'start' : i === labels.length - 1 ? 'end' : 'middle';
    svg.append(s('text', { x: x(i), y: height - 10, 'text-anchor': anchor, 'font-size': SMALL, class: 'chart-text', text: dayLabel(l) }));
  });
  series.forEach((se, k) => {
    const c = colour(se, k);
    const pts = se.values.map((v, i) => [x(i), y(v || 0)]);
    if (k === 0 && pts.length > 1) {
      svg.append(s('path', { d: `M${pts[0][0]},${y(0)} ${pts.map((p) => `L${p[0]},${p[1]}`).join(' ')} L${pts[pts.length - 1][0]},${y(0)} Z`, fill: c, 'fill-opacity': 0.12 }));
    }
    if (pts.length > 1) svg.append(s('polyline', { points: pts.map((p) => p.join(',')).join(' '), fill: 'none', stroke: c, 'stroke-width': 2.5, 'stroke-linejoin': 'round' }));
    // Points where something happened (every point on a short line), each with its value on hover.
    pts.forEach((p, i) => {
      if (!(se.values[i] || pts.length <= 14)) return;
      svg.append(s('circle', { cx: p[0], cy: p[1], r: 3.5, fill: '#fff', stroke: c, 'stroke-width': 2 },
        s('title', { text: `${dayLabel(labels[i])}: ${format(se.values[i] || 0)}${series.length > 1 ? ` ${se.name}` : ''}` })));
    });
  });
  return svg;
}

function drawHbars(o, width) {
  const { series, format } = o;
  const limit = o.limit || 12;
  const labels = o.labels.slice(0, limit);
  const k = series.length;
  const [leg, legH] = legend(series, width);
  const values = series.flatMap((se) => se.values.slice(0, limit));
  const max = Math.max(0, ...values);
  const labelW = Math.min(Math.max(...labels.map((l) => textWidth(l)), 40) + 10, width * 0.44);
  const valueW = Math.max(...values.map((v) => textWidth(format(v), SMALL)), 10) + 10;
  const bar = k > 1 ? 13 : 18;
  const rowH = k * bar + (k > 1 ? 3 * (k - 1) : 0) + 12;
  const pad = { top: 6 + legH, left: labelW, right: valueW + 4, bottom: 26 };
  const pw = Math.max(30, width - pad.left - pad.right);
  const height = pad.top + labels.length * rowH + pad.bottom;
  const xt = ticks(max, Math.max(2, Math.min(5, Math.floor(pw / 70))), o.integer !== false);
  const top = xt[xt.length - 1];
  const x = (v) => pad.left + (v / top) * pw;
  const svg = frame(width, height, o.ariaLabel, describe({ ...o, labels }));
  if (leg) { leg.setAttribute('transform', `translate(${pad.left}, 4)`); svg.append(leg); }
  for (const t of xt) {
    svg.append(s('line', { x1: x(t), x2: x(t), y1: pad.top, y2: height - pad.bottom, class: t === 0 ? 'chart-base' : 'chart-grid' }),
      s('text', { x: x(t), y: height - 8, 'text-anchor': 'middle', 'font-size': SMALL, class: 'chart-text', text: format(t) }));
  }
  labels.forEach((l, i) => {
    const y0 = pad.top + i * rowH + 6;
    const label = s('text', { x: pad.left - 8, y: y0 + (rowH - 12) / 2 + 4.5, 'text-anchor': 'end', 'font-size': FONT, class: 'chart-label', text: clip(l, labelW - 10) });
    if (clip(l, labelW - 10) !== String(l)) label.append(s('title', { text: l }));
    svg.append(label);
    series.forEach((se, j) => {
      const v = se.values[i] || 0;
      const y = y0 + j * (bar + 3);
      svg.append(s('rect', { x: pad.left, y, width: Math.max(v > 0 ? 2 : 0, x(v) - pad.left), height: bar, rx: 2, fill: colour(se, j) },
        s('title', { text: `${l}: ${format(v)}${k > 1 ? ` ${se.name}` : ''}` })),
      s('text', { x: x(v) + 6, y: y + bar / 2 + 4, 'font-size': SMALL, class: 'chart-value', text: format(v) }));
    });
  });
  return svg;
}

function splitLabel(label, width) {
  const t = String(label);
  if (textWidth(t, SMALL) <= width || !t.includes(' ')) return [t];
  const mid = t.length / 2;
  let best = -1;
  for (let i = 0; i < t.length; i += 1) if (t[i] === ' ' && (best < 0 || Math.abs(i - mid) < Math.abs(best - mid))) best = i;
  return [t.slice(0, best), t.slice(best + 1)];
}

function drawBars(o, width) {
  const { labels, series, format } = o;
  const k = series.length;
  const [leg, legH] = legend(series, width);
  const max = Math.max(0, ...series.flatMap((se) => se.values));
  const yt = ticks(max, 4, o.integer !== false);
  const top = yt[yt.length - 1];
  const left = Math.max(...yt.map((t) => textWidth(format(t), SMALL))) + 14;
  const pad = { top: 26 + legH, right: 10, bottom: 46, left };
  const height = o.height || 260;
  const pw = width - pad.left - pad.right;
  const ph = height - pad.top - pad.bottom;
  const band = pw / labels.length;
  const inner = Math.min(band * 0.78, k * 34);
  const barW = (inner - (k - 1) * 3) / k;
  const y = (v) => pad.top + ph - (v / top) * ph;
  const svg = frame(width, height, o.ariaLabel, describe(o));
  if (leg) { leg.setAttribute('transform', `translate(${pad.left}, 4)`); svg.append(leg); }
  if (o.unit) svg.append(s('text', { x: 0, y: pad.top - 12, 'font-size': SMALL, class: 'chart-axis-title', text: o.unit }));
  for (const t of yt) {
    svg.append(s('line', { x1: pad.left, x2: pad.left + pw, y1: y(t), y2: y(t), class: t === 0 ? 'chart-base' : 'chart-grid' }),
      s('text', { x: pad.left - 8, y: y(t) + 4, 'text-anchor': 'end', 'font-size': SMALL, class: 'chart-text', text: format(t) }));
  }
  labels.forEach((l, i) => {
    const cx = pad.left + band * i + band / 2;
    splitLabel(l, band - 6).forEach((line, n) => svg.append(s('text', {
      x: cx, y: pad.top + ph + 18 + n * 15, 'text-anchor': 'middle', 'font-size': SMALL, class: 'chart-label', text: line,
    })));
    series.forEach((se, j) => {
      const v = se.values[i] || 0;
      const bx = cx - inner / 2 + j * (barW + 3);
      svg.append(s('rect', { x: bx, y: y(v), width: barW, height: Math.max(v > 0 ? 2 : 0, y(0) - y(v)), rx: 2, fill: colour(se, j) },
        s('title', { text: `${l}: ${format(v)}${k > 1 ? ` ${se.name}` : ''}` })),
      s('text', { x: bx + barW / 2, y: y(v) - 5, 'text-anchor': 'middle', 'font-size': SMALL, class: 'chart-value', text: format(v) }));
    });
  });
  return svg;
}

// ---------------------------------------------------------------- the figures

function figure(o, draw, kind) {
  const titleId = `chart-title-${++uid}`;
  const canvas = h('div', { class: 'chart-canvas' });
  const fig = h('figure', { class: `chart chart-${kind}`, dataset: { chart: kind, table: o.name || '' } },
    // Under a heading that already names it, the title is for screen readers only.
    h('figcaption', { class: o.hideTitle ? 'visually-hidden' : 'chart-title', id: titleId, text: o.title }),
    canvas);
  const opts = {
    format: defaultFormat,
    ...o,
    labels: (o.labels || []).map((l) => (l === null || l === undefined || l === '' ? '—' : String(l))),
    series: (o.series || []).map((se) => ({ ...se, values: (se.values || []).map((v) => (Number.isFinite(Number(v)) ? Number(v) : 0)) })),
  };
  opts.ariaLabel = o.ariaLabel || `${o.title}: ${kind === 'line' ? 'line chart' : 'bar chart'} of ${opts.labels.length} ${opts.labels.length === 1 ? 'value' : 'values'}`;
  if (!opts.labels.length) {
    canvas.append(h('p', { class: 'chart-empty', text: o.empty || 'Nothing in this range.' }));
    return fig;
  }
  let drawn = 0;
  let observer = null;
  const render = () => {
    if (drawn && !canvas.isConnected) {
      observer.disconnect(); // a report drawn again replaced this chart
      return;
    }
    const width = Math.floor(canvas.clientWidth || 0);
    if (width < 60 || Math.abs(width - drawn) < 2) return;
    drawn = width;
    canvas.replaceChildren(draw(opts, width));
  };
  // First drawn once in the document (its width is known then), redrawn when the box resizes.
  observer = new ResizeObserver(render);
  observer.observe(canvas);
  return fig;
}

export function lineChart(o) {
  return figure(o, drawLine, 'line');
}

export function hbarChart(o) {
  const fig = figure(o, drawHbars, 'hbar');
  const n = (o.labels || []).length;
  const limit = o.limit || 12;
  if (n > limit) fig.append(h('p', { class: 'chart-note', text: `The ${limit} largest of ${n}; the table lists all.` }));
  return fig;
}

// Vertical bars while every band is wide enough for its label; horizontal bars otherwise.
export function barChart(o) {
  const labels = o.labels || [];
  const k = (o.series || []).length || 1;
  return figure(o, (opts, width) => {
    const widest = Math.max(...labels.map((l) => Math.max(...splitLabel(l, 70).map((p) => textWidth(p, SMALL)))), 24);
    const band = (width - 60) / Math.max(1, labels.length);
    return band >= Math.max(widest + 8, k * 22) ? drawBars(opts, width) : drawHbars({ ...opts, limit: labels.length }, width);
  }, 'bar');
}

// Big numbers: a <dl>; each figure is shown above its label (CSS order), its hint below.
export function bigNumbers(items) {
  return h('dl', { class: 'big-numbers' }, items.map((it) => h('div', { class: `big-number${it.tone ? ` big-number-${it.tone}` : ''}`, dataset: { measure: it.key || '' } },
    h('dt', { text: it.label }),
    h('dd', { class: 'big-value', text: it.value }),
    it.hint ? h('dd', { class: 'big-hint', text: it.hint }) : null)));
}
