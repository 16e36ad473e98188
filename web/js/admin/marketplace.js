// The marketplace sourcing card (staff only, so it names sources, suppliers and listing URLs):
// source health with resume, live alerts, and the latest listings with both the price the
// source lists and the range a buyer is shown. The markup itself is in the markups card.
import { api } from '../api.js';
import { withBusy } from '../forms.js';
import { formatMoneyRange } from '../offers.js';
import { table } from '../table.js';
import { $, h, toast, formatDateTime } from '../ui.js';

const SOURCE_NAMES = { api: 'Open-platform API', web: 'Listing pages' };

function isPaused(src) {
  return !!src.pausedUntil && new Date(src.pausedUntil) > new Date();
}

// The state tag, then since when or until when, then the last error (and a way to resume).
function sourceState(src, page) {
  const tag = !src.enabled ? h('span', { class: 'tag', text: 'Disabled' })
    : isPaused(src) ? h('span', { class: 'tag tag-warn', text: 'Paused' })
      : h('span', { class: 'tag tag-ok', text: 'Active' });
  const when = isPaused(src) ? `until ${formatDateTime(src.pausedUntil)}`
    : src.lastSuccessAt ? `last ok ${formatDateTime(src.lastSuccessAt)}` : '';
  return [tag, when ? h('span', { class: 'sub', text: when }) : null,
    src.lastError ? h('span', { class: 'sub sub-error', text: src.lastError }) : null, resumeButton(src, page)];
}

function resumeButton(src, page) {
  if (!isPaused(src) && !src.lastError) return null;
  return h('button', {
    type: 'button', class: 'btn btn-ghost btn-small btn-in-cell', text: 'Resume', dataset: { source: src.name },
    onclick: (ev) => withBusy(ev.currentTarget, async () => {
      try {
        render(await api.post(`/api/admin/marketplace/sources/${encodeURIComponent(src.name)}/resume`), page);
        toast('Marketplace', `${SOURCE_NAMES[src.name] || src.name} resumed.`);
      } catch (err) {
        page.error(err, 'Could not resume');
      }
    }),
  });
}

function render(o, page) {
  if (!o.configured) {
    $('#market-summary').textContent = 'Marketplace sourcing is not configured on this server.';
    $('#market-sources').replaceChildren();
    return;
  }
  const s = o.settings || {};
  $('#market-summary').replaceChildren(
    h('span', {}, 'Known listings ', h('b', { text: String(o.knownListings ?? 0) })),
    h('span', {}, 'Rate ', h('b', { text: `${s.requestsPerSecond}/s` })),
    h('span', {}, 'Cache ', h('b', { text: `${Math.round((s.cacheTTLSeconds || 0) / 60)} min` })),
  );
  $('#market-sources').replaceChildren(table({
    caption: 'Marketplace sources',
    columns: [
      { label: 'Source', cell: (src) => [h('strong', { text: SOURCE_NAMES[src.name] || src.name }), h('span', { class: 'sub', text: src.name })] },
      { label: 'State', cell: (src) => sourceState(src, page) },
      { label: 'Requests', cell: (src) => [`${src.requests}`, h('span', { class: 'sub', text: `${src.cacheHits} cached · ${src.listingsParsed} parsed · ${src.skipped} skipped` })] },
    ],
    rows: o.sources || [],
    rowAttrs: (src) => ({ dataset: { source: src.name } }),
  }));
}

// "source $1.50–$4.38 · buyer $1–$5": the listed range to the cent, the buyer's as buyers see it.
function priceCell(l) {
  return [
    h('span', { class: 'price-part', text: l.price ? `source ${formatMoneyRange(l.price)}` : 'source —' }),
    l.buyerPrice ? [' · ', h('span', { class: 'price-part', text: `buyer ${formatMoneyRange(l.buyerPrice, { wholeOnly: true })}` })] : null,
  ];
}

async function loadListings() {
  const data = await api.get('/api/admin/marketplace/listings?limit=6');
  const supplierFacts = (s) => [s?.yearsOnPlatform ? `${s.yearsOnPlatform} yrs` : '', s?.rating ? `★ ${s.rating}` : ''].filter(Boolean).join(' · ');
  $('#market-listings').replaceChildren(table({
    caption: 'Latest marketplace listings',
    columns: [
      { label: 'Listing', cell: (l) => [h('span', { text: l.title }), h('span', { class: 'sub', text: `${l.source} · ${l.offerId} · ${l.url}` })] },
      { label: 'Supplier', cell: (l) => [l.supplier?.name || '—', h('span', { class: 'sub', text: supplierFacts(l.supplier) })] },
      { label: 'Price', cell: priceCell },
    ],
    rows: Array.isArray(data.listings) ? data.listings : [],
    empty: 'No listings held yet.',
  }));
}

export async function loadMarketplace(page) {
  const o = await api.get('/api/admin/marketplace');
  render(o, page);
  if (o.configured) await loadListings();
}

export function addMarketAlert(data, at) {
  $('#market-alerts').prepend(h('li', {},
    h('strong', { text: `${SOURCE_NAMES[data.source] || data.source || 'Source'}: ${data.kind || 'alert'}` }), ' ',
    data.message || '',
    h('span', { class: 'sub', text: `${formatDateTime(data.at || at)}${data.pausedUntil ? ` · paused until ${formatDateTime(data.pausedUntil)}` : ''}` })));
  $('#market-alerts-empty').hidden = true;
}

export function mountMarketplace(page) {
  $('#market-refresh').addEventListener('click', (ev) => withBusy(ev.currentTarget, () => loadMarketplace(page)));
  return loadMarketplace(page);
}
