// The dashboard's two cards: the work waiting (each count a link to its filtered list) and the
// health tiles, coloured by the server's verdict and explained in words against its thresholds.
import { ORDER_STATUS } from './quote-format.js';
import { h } from '../ui.js';

const WORK = [
  { key: 'newQuoteRequests', label: 'New quote requests', href: '/admin-quotes.html?status=submitted', tone: 'attn' },
  { key: 'overdueQuoteRequests', label: 'Requests past due', href: '/admin-quotes.html', tone: 'bad' },
  { key: 'quotesAwaitingBuyer', label: 'Quotes awaiting the buyer', href: '/admin-quotes.html?status=quoted' },
  { key: 'paymentsToVerify', label: 'Payments to verify', href: '/admin-orders.html?status=confirmed', tone: 'attn' },
  { key: 'openIssues', label: 'Open order issues', href: '/admin-orders.html', tone: 'bad' },
  { key: 'approvalsPending', label: 'Products to approve', href: '/admin-approvals.html', tone: 'attn' },
];

export function renderWork(grid, strip, work = {}) {
  grid.replaceChildren(...WORK.map((w) => {
    const n = Number.isInteger(work[w.key]) ? work[w.key] : 0;
    return h('a', { class: `work-tile${n && w.tone ? ` work-${w.tone}` : ''}${n ? '' : ' work-zero'}`, href: w.href, dataset: { work: w.key, count: String(n) } },
      h('b', { text: String(n) }), h('span', { text: w.label }));
  }));
  const byStatus = work.ordersByStatus || {};
  strip.replaceChildren(...Object.entries(ORDER_STATUS).map(([status, label]) => {
    const n = Number.isInteger(byStatus[status]) ? byStatus[status] : 0;
    return h('a', { class: `work-chip${n ? '' : ' work-zero'}`, href: `/admin-orders.html?status=${status}`, dataset: { status, count: String(n) } },
      h('b', { text: String(n) }), h('span', { text: label }));
  }));
}

// ---------- words for figures ----------

export function ago(iso, now = Date.now()) {
  const t = new Date(iso).getTime();
  if (!iso || Number.isNaN(t)) return null;
  return `${duration(Math.max(0, (now - t) / 1000))} ago`.replace(/^under a minute ago$/, 'just now');
}

export function duration(seconds) {
  const s = Math.round(seconds);
  if (s < 60) return s < 20 ? 'under a minute' : `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return m % 60 && hours < 10 ? `${hours} h ${m % 60} min` : `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

function bytes(n) {
  if (!Number.isFinite(n)) return null;
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i += 1; }
  return `${v.toLocaleString(undefined, { maximumFractionDigits: i ? 1 : 0 })} ${units[i]}`;
}

const pct = (x) => `${Math.round(x * 100)} %`;
const secs = (x) => `${x.toLocaleString(undefined, { maximumFractionDigits: 1 })} s`;
const num = (x) => (Number.isFinite(x) ? x.toLocaleString() : '—');

// Each line: [text, off] — off marks the figure that made the tile amber or red.
function brandLines(d, t, now) {
  const last = ago(d.lastSuccessAt, now);
  const lag = Number.isFinite(d.lagSeconds) ? d.lagSeconds : null;
  const errors = d.errors24h ?? 0;
  return [
    [last ? `Last sync ${last}` : 'Never synced', lag === null || lag >= t.syncLagAmberSeconds],
    [errors ? `${errors} error${errors === 1 ? '' : 's'} in 24 h${d.lastError ? ` — last: ${d.lastError}` : ''}` : 'No errors in 24 h',
      errors >= t.syncErrorsAmber],
    [`${num(d.activeProducts)} of ${num(d.products)} products active`, false],
  ];
}

function marketLines(d, t) {
  if (d.configured !== true) return [['Not configured on this server', false]];
  const lines = [];
  if (d.state === 'paused') lines.push([`Paused${d.pausedUntil ? ` until ${new Date(d.pausedUntil).toLocaleTimeString(undefined, { timeStyle: 'short' })}` : ''}`, true]);
  else lines.push([d.state === 'running' ? 'Running' : String(d.state || 'Unknown'), false]);
  if (Number.isFinite(d.fetchSuccessRate)) lines.push([`Fetch success ${pct(d.fetchSuccessRate)}`, d.fetchSuccessRate < t.marketplaceSuccessAmber]);
  if (d.lastAlert) lines.push([`Last alert: ${d.lastAlert}`, true]);
  if (Number.isFinite(d.knownListings)) lines.push([`${num(d.knownListings)} listings known`, false]);
  return lines;
}

function searchLines(d, t) {
  const n = d.searchesLastHour ?? 0;
  return [
    [`${n} search${n === 1 ? '' : 'es'} in the last hour`, false],
    [Number.isFinite(d.p95Seconds) ? `p95 ${secs(d.p95Seconds)} from upload to results` : 'No finished search to time this hour',
      Number.isFinite(d.p95Seconds) && d.p95Seconds >= t.searchP95AmberSeconds],
    [d.queueDepth ? `${num(d.queueDepth)} photos waiting to be indexed` : 'Indexing queue empty', (d.queueDepth ?? 0) >= t.queueAmber],
    [`${num(d.indexImages)} photos of ${num(d.indexItems)} pieces indexed${d.embedder ? ` (${d.embedder})` : ''}`, false],
    ...(d.embedderWarning ? [[d.embedderWarning, true]] : []),
  ];
}

function databaseLines(d, t, now) {
  const last = ago(d.lastBackupAt, now);
  const hours = d.lastBackupAt ? (now - new Date(d.lastBackupAt).getTime()) / 3600000 : Infinity;
  return [
    [last ? `Last backup ${last}` : 'No backup yet', hours >= t.backupAgeAmberHours],
    [bytes(d.bytes) ? `${bytes(d.bytes)} on disk` : 'Size unknown', false],
  ];
}

const STATE_WORDS = { ok: 'OK', amber: 'Attention', red: 'Failing' };

function tile({ key, name, state, lines, href }) {
  const body = [
    h('div', { class: 'health-head' },
      h('span', { class: 'health-dot', 'aria-hidden': 'true' }),
      h('strong', { text: name }),
      h('span', { class: 'health-state', text: STATE_WORDS[state] || state })),
    h('ul', {}, lines.map(([text, off]) => h('li', { class: off && state !== 'ok' ? 'is-off' : null, text }))),
  ];
  const attrs = { class: 'health-tile', dataset: { tile: key, state: state || 'ok' } };
  return href ? h('a', { ...attrs, href }, body) : h('div', attrs, body);
}

export function renderHealth(grid, overall, health = {}, thresholds = {}, now = Date.now()) {
  const tiles = [
    ...(health.brands || []).map((b) => ({
      key: `brand:${b.detail?.brand}`, name: b.name, state: b.state, lines: brandLines(b.detail || {}, thresholds, now),
      href: `/admin-sync.html#brand-${encodeURIComponent(b.detail?.brand || '')}`,
    })),
    health.marketplace && { key: 'marketplace', name: 'Marketplace', state: health.marketplace.state, lines: marketLines(health.marketplace.detail || {}, thresholds), href: '/admin-marketplace.html' },
    health.search && { key: 'search', name: 'Search', state: health.search.state, lines: searchLines(health.search.detail || {}, thresholds) },
    health.realtime && { key: 'realtime', name: 'Live updates', state: health.realtime.state,
      lines: [[`${num(health.realtime.detail?.sessions ?? 0)} connected session${health.realtime.detail?.sessions === 1 ? '' : 's'}`, false]] },
    health.database && { key: 'database', name: 'Database', state: health.database.state, lines: databaseLines(health.database.detail || {}, thresholds, now) },
  ].filter(Boolean);
  grid.replaceChildren(...tiles.map(tile));
  const state = health.state || 'ok';
  const words = { ok: 'All healthy', amber: 'Needs attention', red: 'Something is failing' };
  overall.replaceChildren(h('span', { class: `health-badge`, dataset: { state }, text: words[state] || state }));
}
