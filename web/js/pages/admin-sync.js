// Brand sync (staff only, so brands, SKUs and source URLs are shown): one card per brand with its
// freshness, errors, webhooks and products, "Sync now", and whether its new products publish at
// once or wait on the approvals page; then the catalog with true sources, and the orders sent to
// brands. Live from the "admin" topic: sync.status replaces a brand's figures as they move.
import { api } from '../api.js';
import { ago, duration } from '../admin/dashboard.js';
import { money } from '../admin/quote-format.js';
import { fillCategorySelect } from '../categories.js';
import { withBusy } from '../forms.js';
import { mountPage } from '../page.js';
import { table } from '../table.js';
import { $, h, toast, formatDateTime } from '../ui.js';

const PAGE_SIZE = 15;
const health = new Map();   // brand → BrandHealth
const policies = new Map(); // brand → { policy, updatedAt, updatedBy }
let pending = new Set();    // SKUs waiting for approval
let page = null;

// ---------- brand cards ----------

function brandState(b) {
  if (b.lastError && b.errors24h) return ['red', 'Failing'];
  if (b.syncing) return ['info', 'Syncing now'];
  if (!b.healthy) return ['amber', b.lastSuccessAt ? 'Behind' : 'Never synced'];
  return ['ok', 'Healthy'];
}

// The server's lag is as of its push; between pushes it grows with the clock.
function lag(b) {
  const t = new Date(b.lastSuccessAt).getTime();
  if (b.lastSuccessAt && !Number.isNaN(t)) return duration(Math.max(0, (Date.now() - t) / 1000));
  return Number.isFinite(b.lagSeconds) ? duration(b.lagSeconds) : '—';
}

function fact(label, value, { title, cls } = {}) {
  return h('div', {}, h('dt', { text: label }), h('dd', { class: cls, title, text: value }));
}

function renderFacts(b) {
  const [state, words] = brandState(b);
  const card = $(`#brand-${CSS.escape(b.brand)}`);
  if (!card) return;
  card.dataset.state = state;
  $('.brand-state', card).replaceChildren(h('span', { class: `tag tag-${state === 'red' ? 'bad' : state === 'amber' ? 'warn' : state}`, text: words }));
  $('.brand-facts', card).replaceChildren(
    fact('Last success', b.lastSuccessAt ? formatDateTime(b.lastSuccessAt) : 'never'),
    fact('Lag', lag(b), { cls: state === 'amber' ? 'is-off' : null }),
    fact('Errors in 24 h', String(b.errors24h ?? 0), { cls: b.errors24h ? 'is-off' : null }),
    fact('Webhooks received', String(b.webhooksReceived ?? 0)),
    fact('Products', `${b.activeProducts ?? 0} active of ${b.products ?? 0}`),
    fact('Items synced', String(b.itemsSynced ?? 0)),
    fact('Last full sync', ago(b.lastFullSyncAt) || 'never', { title: formatDateTime(b.lastFullSyncAt) }),
  );
  const error = $('.brand-error', card);
  error.hidden = !b.lastError;
  error.replaceChildren(b.lastError ? [h('strong', { text: 'Last error' }), h('span', { text: b.lastError })] : []);
}

async function syncNow(brand, full, button) {
  const result = $(`#brand-${CSS.escape(brand)} .brand-result`);
  await withBusy(button, async () => {
    try {
      const r = await api.post(`/api/admin/sync/${encodeURIComponent(brand)}${full ? '?full=true' : ''}`);
      result.textContent = r.skipped ? 'A sync of this brand is already running.'
        : `${full ? 'Full sync' : 'Sync'} done: ${r.items} item${r.items === 1 ? '' : 's'} read, ${r.changes} change${r.changes === 1 ? '' : 's'}, ${r.seconds.toFixed(1)} s.`;
      await loadHealth();
    } catch (err) {
      result.textContent = err.message;
      toast('Sync failed', err.message, { kind: 'error' });
    }
  });
}

function policyControl(brand) {
  const id = `policy-${brand}`;
  const select = h('select', { id, name: 'policy', dataset: { brand } },
    h('option', { value: 'publish', text: 'Publish at once' }),
    h('option', { value: 'review', text: 'Wait for review' }));
  select.addEventListener('change', async () => {
    const want = select.value;
    select.disabled = true;
    try {
      const r = await api.put(`/api/admin/approval-policies/${encodeURIComponent(brand)}`, { policy: want });
      policies.set(brand, r.policy);
      toast('Approval policy', want === 'review' ? `New ${brand} products now wait on the approvals page.` : `New ${brand} products now publish at once.`);
    } catch (err) {
      toast('Could not change the policy', err.message, { kind: 'error' });
    } finally {
      select.disabled = false;
      renderPolicy(brand);
    }
  });
  return h('div', { class: 'brand-policy' },
    h('label', { for: id, text: 'New products' }), select, h('span', { class: 'sub policy-by' }));
}

function renderPolicy(brand) {
  const p = policies.get(brand);
  const card = $(`#brand-${CSS.escape(brand)}`);
  if (!card || !p) return;
  $('select[name="policy"]', card).value = p.policy;
  card.dataset.policy = p.policy;
  $('.policy-by', card).textContent = p.updatedBy ? `Set by ${p.updatedBy}, ${ago(p.updatedAt) || formatDateTime(p.updatedAt)}` : 'Default';
}

function brandCard(b) {
  return h('article', { class: 'card brand-card', id: `brand-${b.brand}`, dataset: { brand: b.brand } },
    h('div', { class: 'card-head' },
      h('div', {}, h('h2', { text: b.name || b.brand }), h('span', { class: 'sub', text: `${b.brand} · ${b.baseURL || ''}` })),
      h('span', { class: 'brand-state' })),
    h('dl', { class: 'brand-facts' }),
    h('div', { class: 'brand-error', role: 'status', hidden: true }),
    policyControl(b.brand),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn btn-primary btn-small', dataset: { action: 'sync', busyLabel: 'Syncing…' }, text: 'Sync now',
        onclick: (ev) => syncNow(b.brand, false, ev.currentTarget) }),
      h('button', { type: 'button', class: 'btn btn-ghost btn-small', dataset: { action: 'full-sync', busyLabel: 'Syncing…' }, text: 'Full sync',
        onclick: (ev) => syncNow(b.brand, true, ev.currentTarget) }),
      h('a', { class: 'btn btn-ghost btn-small', href: `?brand=${encodeURIComponent(b.brand)}#catalog`, text: 'Its catalog',
        onclick: (ev) => { ev.preventDefault(); $('#catalog-brand').value = b.brand; writeAddress(); loadCatalog(); $('#catalog').scrollIntoView(); } })),
    h('p', { class: 'brand-result hint', 'aria-live': 'polite' }));
}

function showHealth(b) {
  health.set(b.brand, b);
  if (!$(`#brand-${CSS.escape(b.brand)}`)) {
    $('#brands').append(brandCard(b));
    renderPolicy(b.brand);
    const select = $('#catalog-brand');
    if (![...select.options].some((o) => o.value === b.brand)) select.append(h('option', { value: b.brand, text: b.name || b.brand }));
  }
  renderFacts(b);
}

async function loadHealth() {
  const data = await api.get('/api/admin/sync');
  const brands = Array.isArray(data.brands) ? data.brands : [];
  if (!brands.length) $('#brands').replaceChildren(h('div', { class: 'card empty' }, h('p', { text: 'No brand is connected to this server.' })));
  for (const b of brands) showHealth(b);
}

async function loadPolicies() {
  const data = await api.get('/api/admin/approval-policies');
  for (const p of data.policies || []) {
    policies.set(p.brand, p);
    renderPolicy(p.brand);
  }
}

// ---------- catalog ----------

let shown = [];

function catalogPath(offset) {
  const q = new URLSearchParams();
  for (const name of ['brand', 'category', 'status']) {
    const v = $(`#catalog-${name}`).value;
    if (v) q.set(name, v);
  }
  const text = $('#catalog-q').value.trim();
  if (text) q.set('q', text);
  q.set('limit', String(PAGE_SIZE));
  if (offset) q.set('offset', String(offset));
  return `/api/admin/catalog?${q}`;
}

function sourceCell(p) {
  const src = p.images?.[0]?.sourceURL || p.sourceImageURLs?.[0];
  const changed = p.sourceUpdatedAt ? `changed ${ago(p.sourceUpdatedAt)}` : '';
  return [
    h('strong', { text: p.brand }),
    h('span', { class: 'sub' }, src ? h('a', { href: src, target: '_blank', rel: 'noopener', text: 'brand photo' }) : null,
      src && changed ? ' · ' : '', changed),
  ];
}

function statusCell(p) {
  return [
    h('span', { class: `tag ${p.status === 'active' ? 'tag-ok' : 'tag-muted'}`, text: p.status === 'active' ? 'Active' : 'Discontinued' }),
    pending.has(p.sku) ? h('a', { class: 'tag tag-warn', href: '/admin-approvals.html', text: 'Awaiting review' }) : null,
  ];
}

function renderCatalog(total) {
  $('#catalog-table').replaceChildren(table({
    class: 'catalog-table',
    caption: 'Catalog products',
    columns: [
      { label: 'Photo', hideLabel: true, cell: (p) => (p.images?.[0] ? h('img', { class: 'q-thumb', src: p.images[0].url, alt: '', loading: 'lazy' }) : h('span', { class: 'q-thumb q-thumb-empty' })) },
      { label: 'Product', cell: (p) => [h('span', { class: 'cat-title', text: p.title }), h('span', { class: 'sub nowrap', text: `${p.sku} · ${p.category}` })] },
      { label: 'Source', cell: sourceCell },
      { label: 'Status', cell: statusCell },
      { label: 'Stock', class: 'num', cell: (p) => String(p.stock ?? '—') },
      { label: 'Base cost', class: 'num nowrap hide-sm', cell: (p) => [money(p.baseCost), h('span', { class: 'sub', text: `MOQ ${p.moq}` })] },
      { label: 'Synced', class: 'hide-sm nowrap', cell: (p) => h('span', { title: formatDateTime(p.syncedAt), text: ago(p.syncedAt) || '—' }) },
    ],
    rows: shown,
    rowAttrs: (p) => ({ dataset: { sku: p.sku, brand: p.brand } }),
    empty: 'No product matches.',
  }));
  $('#catalog-count').textContent = `${shown.length} of ${total} product${total === 1 ? '' : 's'}`;
  $('#catalog-more').hidden = shown.length >= total;
}

async function loadCatalog({ more = false } = {}) {
  const [data, approvals] = await Promise.all([
    api.get(catalogPath(more ? shown.length : 0)),
    more ? null : api.get('/api/admin/approvals?status=pending').catch(() => null),
  ]);
  if (approvals) pending = new Set((approvals.approvals || []).filter((a) => a.kind === 'brand_product').map((a) => a.subject));
  const products = Array.isArray(data.products) ? data.products : [];
  shown = more ? [...shown, ...products] : products;
  renderCatalog(data.total ?? shown.length);
}

function readAddress() {
  const q = new URLSearchParams(location.search);
  if (q.get('q')) $('#catalog-q').value = q.get('q');
  for (const name of ['brand', 'category', 'status']) {
    const v = q.get(name);
    const select = $(`#catalog-${name}`);
    if (!v) continue;
    if (![...select.options].some((o) => o.value === v)) select.append(h('option', { value: v, text: v }));
    select.value = v;
  }
}

function writeAddress() {
  const q = new URLSearchParams();
  for (const name of ['brand', 'category', 'status']) if ($(`#catalog-${name}`).value) q.set(name, $(`#catalog-${name}`).value);
  if ($('#catalog-q').value.trim()) q.set('q', $('#catalog-q').value.trim());
  const s = q.toString();
  history.replaceState(null, '', `${location.pathname}${s ? `?${s}` : ''}${location.hash}`);
}

// ---------- brand orders ----------

const ORDER_TONE = { sent: 'tag-ok', acknowledged: 'tag-ok', pending: 'tag-warn', failed: 'tag-bad', retrying: 'tag-warn' };

async function loadBrandOrders() {
  const data = await api.get('/api/admin/brand-orders');
  $('#brand-orders').replaceChildren(table({
    caption: 'Orders sent to brands',
    columns: [
      { label: 'Order', cell: (o) => [h('strong', { text: o.facetOrderId }), h('span', { class: 'sub', text: o.idempotencyKey })] },
      { label: 'Brand', cell: (o) => o.brand },
      { label: 'Status', cell: (o) => [h('span', { class: `tag ${ORDER_TONE[o.status] || 'tag-info'}`, text: o.status }), o.brandStatus ? h('span', { class: 'sub', text: `brand: ${o.brandStatus}` }) : null] },
      { label: 'Brand’s reference', cell: (o) => o.brandOrderId || '—' },
      { label: 'Attempts', class: 'num hide-sm', cell: (o) => String(o.attempts) },
      { label: 'Last error', class: 'hide-sm', cell: (o) => (o.lastError ? h('span', { class: 'sub sub-error', text: o.lastError }) : '—') },
      { label: 'Updated', class: 'nowrap hide-sm', cell: (o) => h('span', { title: formatDateTime(o.updatedAt), text: ago(o.updatedAt) || '—' }) },
    ],
    rows: Array.isArray(data.orders) ? data.orders : [],
    empty: 'No order has been sent to a brand yet.',
  }));
}

// ---------- live ----------

const timers = new Map();
function soon(key, fn, ms = 400) {
  clearTimeout(timers.get(key));
  timers.set(key, setTimeout(() => fn().catch((err) => page.error(err, 'Could not refresh')), ms));
}

mountPage({
  auth: 'staff',
  topics: ['admin'],
  async load(p) {
    page = p;
    readAddress();
    page.realtime.on('event', (msg) => {
      if (msg.event === 'sync.status' && msg.data?.brand) showHealth(msg.data);
      if (msg.event === 'catalog.changed') soon('catalog', loadCatalog, 800);
      if (msg.event === 'order.changed' && msg.data?.reason === 'brand_order') soon('orders', loadBrandOrders);
      if (msg.event === 'staff.action' && msg.data?.kind === 'policy') soon('policies', loadPolicies);
      if (msg.event === 'staff.action' && String(msg.data?.kind || '').startsWith('approval')) soon('catalog', loadCatalog, 800);
    });
    page.realtime.on('resync', () => soon('all', () => Promise.all([loadHealth(), loadPolicies(), loadCatalog(), loadBrandOrders()])));
    $('#catalog-filters').addEventListener('submit', (ev) => {
      ev.preventDefault();
      writeAddress();
      withBusy($('#catalog-search'), () => loadCatalog().catch((err) => page.error(err, 'Could not search the catalog')));
    });
    for (const name of ['brand', 'category', 'status']) {
      $(`#catalog-${name}`).addEventListener('change', () => { writeAddress(); loadCatalog().catch((err) => page.error(err, 'Could not load the catalog')); });
    }
    $('#catalog-more').addEventListener('click', (ev) => withBusy(ev.currentTarget, () => loadCatalog({ more: true })));
    $('#brand-orders-refresh').addEventListener('click', (ev) => withBusy(ev.currentTarget, loadBrandOrders));
    // Ages on screen ("3 min ago") move on without asking the server.
    setInterval(() => { for (const b of health.values()) renderFacts(b); }, 30000);
    await fillCategorySelect($('#catalog-category')).catch(() => {});
    readAddress();
    const parts = [
      [loadHealth().then(loadPolicies), 'Could not load brand sync'],
      [loadCatalog(), 'Could not load the catalog'],
      [loadBrandOrders(), 'Could not load brand orders'],
    ];
    for (const [done, title] of parts) await done.catch((err) => page.error(err, title));
    if (location.hash.length > 1) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  },
});
