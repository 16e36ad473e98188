// The marketplace sourcing cards (staff only, so they name sources, suppliers and listing URLs):
// source health with resume, live alerts, and the latest listings with both the price the
// source lists and the range a buyer is shown. The markup itself is in the markups card.
// listingRows is shared with the trial search (market-trial.js).
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
        showMarketplace(await api.post(`/api/admin/marketplace/sources/${encodeURIComponent(src.name)}/resume`), page);
        toast('Marketplace', `${SOURCE_NAMES[src.name] || src.name} resumed.`);
      } catch (err) {
        page.error(err, 'Could not resume');
      }
    }),
  });
}

export function showMarketplace(o, page) {
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

const supplierFacts = (s) => [s?.yearsOnPlatform ? `${s.yearsOnPlatform} yrs` : '', s?.rating ? `★ ${s.rating}` : ''].filter(Boolean).join(' · ');

// Listings as a table: { ...listing, buyerPrice } rows (GET …/listings, or a trial search's flattened).
export function listingTable(rows, { caption, empty }) {
  return table({
    class: 'listing-table',
    caption,
    columns: [
      { label: 'Photo', hideLabel: true, cell: (l) => (l.imageFiles?.[0] ? h('img', { class: 'q-thumb', src: `/api/images/${l.imageFiles[0]}`, alt: '', loading: 'lazy' }) : h('span', { class: 'q-thumb q-thumb-empty' })) },
      { label: 'Listing', cell: (l) => [h('span', { text: l.title }), h('span', { class: 'sub' }, `${l.source} · ${l.offerId} · `, l.url ? h('a', { href: l.url, target: '_blank', rel: 'noopener', text: 'open at the source' }) : '')] },
      { label: 'Supplier', cell: (l) => [l.supplier?.name || '—', h('span', { class: 'sub', text: supplierFacts(l.supplier) })] },
      { label: 'Price', cell: priceCell },
    ],
    rows,
    rowAttrs: (l) => ({ dataset: { listing: l.id || l.offerId || '' } }),
    empty,
  });
}

async function loadListings(limit) {
  const data = await api.get(`/api/admin/marketplace/listings?limit=${limit}`);
  $('#market-listings').replaceChildren(listingTable(Array.isArray(data.listings) ? data.listings : [],
    { caption: 'Latest marketplace listings', empty: 'No listings held yet.' }));
}

export async function loadMarketplace(page, { listings = 6 } = {}) {
  const o = await api.get('/api/admin/marketplace');
  showMarketplace(o, page);
  if (o.configured && $('#market-listings')) await loadListings(listings);
  return o;
}

export function addMarketAlert(data, at) {
  $('#market-alerts').prepend(h('li', {},
    h('strong', { text: `${SOURCE_NAMES[data.source] || data.source || 'Source'}: ${data.kind || 'alert'}` }), ' ',
    data.message || '',
    h('span', { class: 'sub', text: `${formatDateTime(data.at || at)}${data.pausedUntil ? ` · paused until ${formatDateTime(data.pausedUntil)}` : ''}` })));
  $('#market-alerts-empty').hidden = true;
}

export function mountMarketplace(page, options) {
  $('#market-refresh').addEventListener('click', (ev) => withBusy(ev.currentTarget, () => loadMarketplace(page, options)));
  return loadMarketplace(page, options);
}
