// The results of a search: the exact match (or one clear sentence when there is none, or when it
// is above the buyer's price limit) and the alternatives.
//
// While the search runs, the alternatives it has found so far are shown as they arrive. Once it
// is done, the grid pages through up to 48 ranked designs with GET /api/searches/<id>/results:
// the filters (price, delivery, MOQ, source) and the sort are applied by the server and mirrored
// in the address (?id=…&price=…&days=…&moq=…&source=…&sort=…) so a filtered view can be shared
// or reloaded; "Show more" fetches the next page; the counts per source follow the filters.
import { ApiError, api } from '../api.js';
import {
  formatMoney, offerPriceText, offerMinPrice, parseDollars, moqText, daysText, offerCard, offerHref, matchChips,
  availabilityBadge, similarityText, plural,
} from '../offers.js';
import { $, h, icon, relativeTime } from '../ui.js';
import { offerActions } from '../workspace.js';
import { STAGE_INDEX } from './analysis.js';
import { voteControl } from './feedback.js';

export const PAGE_SIZE = 8;
export const ABOVE_LIMIT_NOTE = /exact design is in our inventory, but above your maximum price/i;

function exactCard(offer, searchId, { aboveLimit = false } = {}) {
  const href = offerHref(offer, searchId);
  const stockLine = [];
  if (Number.isInteger(offer.availableQuantity)) stockLine.push(`${offer.availableQuantity} available`);
  if (offer.stockAsOf) stockLine.push(`${offer.stockLive ? 'checked live' : 'as of'} ${relativeTime(offer.stockAsOf)}`);
  const tiers = (offer.priceTiers || []).filter((t) => t.unitPrice);
  return h('article', { class: `exact-card${aboveLimit ? ' exact-above-limit' : ''}`, id: 'exact-card', dataset: { offerId: offer.id, source: offer.source } },
    h('a', { class: 'exact-media', href },
      h('img', { src: offer.images?.[0] || '', alt: offer.title, width: 480, height: 480 })),
    h('div', { class: 'exact-body' },
      h('div', { class: 'exact-badges' },
        h('span', { class: 'exact-flag' }, icon('gem'), h('span', { text: 'Exact match' })),
        availabilityBadge(offer),
        h('span', { class: 'sim-inline', text: similarityText(offer) }),
      ),
      h('h3', { class: 'exact-title' }, h('a', { href, text: offer.title })),
      h('p', { class: 'exact-price' }, h('b', { text: offerPriceText(offer) }), h('span', { text: ` per ${plural(1, offer.moqUnit)}` })),
      h('dl', { class: 'facts facts-grid' },
        h('dt', { text: 'Available' }), h('dd', { text: stockLine.join(' · ') || '—' }),
        h('dt', { text: 'Delivery' }), h('dd', { text: `${daysText(offer.deliveryDays)} after order` }),
        h('dt', { text: 'Minimum order' }), h('dd', { text: moqText(offer) }),
        tiers.length ? h('dt', { text: 'Volume pricing' }) : null,
        tiers.length ? h('dd', { text: tiers.map((t) => `${t.minQuantity}+ ${formatMoney(t.unitPrice.amount, t.unitPrice.currency)}`).join(' · ') } ) : null,
      ),
      matchChips(offer.matches),
      offerActions(offer, { searchId }),
      h('div', { class: 'exact-actions' },
        h('a', { class: 'link-strong', href }, h('span', { text: 'View details' }), icon('arrow')),
        aboveLimit ? null : voteControl(searchId, offer)),
    ),
  );
}

// ---------------------------------------------------------------- filters (mirrored in the URL)

const filters = $('#filters');
const FILTER_PARAMS = ['price', 'days', 'moq', 'source', 'sort'];

function filterValues() {
  const f = filters.elements;
  const price = parseDollars(f.price.value);
  const days = /^\d+$/.test(f.days.value.trim()) ? Number(f.days.value.trim()) : null;
  const moq = /^\d+$/.test(f.moq.value.trim()) ? Number(f.moq.value.trim()) : null;
  return { price, days, moq, source: f.source.value, sort: f.sort.value || 'relevance' };
}

function filtersActive(fv) {
  return fv.price !== null || fv.days !== null || fv.moq !== null || !!fv.source;
}

// The filter fields from the address (a shared or reloaded view).
export function filtersFromAddress(params) {
  const f = filters.elements;
  for (const name of FILTER_PARAMS) {
    const v = params.get(name);
    if (v === null || !f[name]) continue;
    f[name].value = v;
  }
  if (!f.sort.value) f.sort.value = 'relevance';
}

function mirrorInAddress() {
  const q = new URLSearchParams(location.search);
  const f = filters.elements;
  for (const name of FILTER_PARAMS) {
    const v = (f[name].value || '').trim();
    if (v && !(name === 'sort' && v === 'relevance')) q.set(name, v);
    else q.delete(name);
  }
  const next = `${location.pathname}?${q}`;
  if (next !== location.pathname + location.search) history.replaceState(history.state, '', next);
}

function passes(offer, fv) {
  const min = offerMinPrice(offer);
  if (fv.price !== null && min !== null && min > fv.price) return false;
  if (fv.days !== null && offer.deliveryDays && offer.deliveryDays.max > fv.days) return false;
  if (fv.moq !== null && offer.moq > fv.moq) return false;
  if (fv.source && offer.source !== fv.source) return false;
  return true;
}

// The search's own price limit, shown in the filter row.
export function showLimit(search) {
  const slot = $('#filter-limit');
  if (!slot) return;
  const m = search.maxPrice;
  slot.hidden = !m;
  slot.textContent = m ? `Your search limit: ${formatMoney(m.amount, m.currency, { wholeOnly: true })}` : '';
  const input = filters.elements.price;
  input.placeholder = m ? String(Math.floor(m.amount / 100)) : 'any';
}

// ---------------------------------------------------------------- the grid

const paging = {
  searchId: null,
  key: '',        // the filters the grid was loaded with
  offset: 0,
  total: 0,
  counts: null,
  offers: [],
  loading: false,
  loadingMore: false, // the load in flight is "Show more"
  unavailable: false, // the server has no results route: filter the headline on the page
  lateAdded: false,   // designs sourced after done were added at the end: the server's pages shifted
  seq: 0,
};

// SearchResults.maximum on the server: the ranked list a search keeps.
const RANKED_MAXIMUM = 48;

// Thumbs on a card: the server takes a vote on any design the search showed.
function card(offer, searchId, fresh, canVote = false) {
  const el = offerCard(offer, searchId);
  if (offer.isNew) {
    $('.offer-flags', el)?.prepend(h('span', { class: 'new-badge', text: 'New' }));
    el.classList.add('is-new');
  }
  const body = $('.offer-body', el);
  body.append(offerActions(offer, { searchId, compact: true }));
  const vote = canVote ? voteControl(searchId, offer, { compact: true }) : null;
  if (vote) body.append(vote);
  if (fresh) el.classList.add('fresh');
  return el;
}

function countsText(counts) {
  const parts = [];
  if (counts.inventory) parts.push(`${counts.inventory} from our inventory`);
  if (counts.marketplace) parts.push(`${counts.marketplace} sourced to order`);
  return parts.join(' · ');
}

function showMoreButton(search) {
  const more = $('#show-more');
  const left = paging.total - paging.offers.length;
  more.hidden = paging.unavailable || search.status !== 'done' || left <= 0;
  more.disabled = paging.loading;
  more.textContent = paging.loading ? 'Loading…' : `Show more (${left} more)`;
}

function renderServerGrid(search, { appended = [] } = {}) {
  const grid = $('#alt-grid');
  if (appended.length) {
    grid.append(...appended.map((o) => card(o, search.id, true, true)));
  } else {
    grid.replaceChildren(...paging.offers.map((o) => card(o, search.id, false, true)));
  }
  renderGridMeta(search);
}

// The count line, the empty state and "Show more" of the paged grid.
function renderGridMeta(search) {
  const fv = filterValues();
  let meta = countsText(paging.counts || {});
  if (paging.total) meta = `${paging.offers.length} of ${paging.total} shown${meta ? ` · ${meta}` : ''}`;
  $('#alt-count').textContent = meta;
  $('#alt-empty').hidden = paging.offers.length > 0;
  $('#alt-empty').firstElementChild.textContent = filtersActive(fv)
    ? 'No designs match these filters. Clear one to see more.'
    : 'No alternatives were found for this design.';
  showMoreButton(search);
  document.body.dataset.resultsTotal = String(paging.total);
}

async function fetchPage(search, offset, limit = PAGE_SIZE) {
  const fv = filterValues();
  const q = new URLSearchParams({ offset: String(offset), limit: String(limit) });
  if (fv.price !== null) q.set('maxPrice', String(fv.price));
  if (fv.days !== null) q.set('deliveryWithin', String(fv.days));
  if (fv.moq !== null) q.set('maxMoq', String(fv.moq));
  if (fv.source) q.set('source', fv.source);
  if (fv.sort && fv.sort !== 'relevance') q.set('sort', fv.sort);
  return api.get(`/api/searches/${encodeURIComponent(search.id)}/results?${q}`);
}

function filterKey(search) {
  return `${search.id}|${JSON.stringify(filterValues())}`;
}

// Loads the first page for the current filters (or the next page, with more: true).
export async function loadResults(search, { more = false } = {}) {
  if (paging.unavailable) return;
  const seq = ++paging.seq;
  // After late designs were added at the end, the server ranks them among the others and its pages
  // no longer line up with the grid: "Show more" then asks from the start for what is not shown.
  const fromStart = more && paging.lateAdded;
  const offset = more && !fromStart ? paging.offers.length : 0;
  const limit = fromStart ? Math.min(RANKED_MAXIMUM, paging.offers.length + PAGE_SIZE) : PAGE_SIZE;
  paging.loading = true;
  paging.loadingMore = more;
  showMoreButton(search);
  document.body.dataset.resultsLoading = 'true';
  try {
    const data = await fetchPage(search, offset, limit);
    if (seq !== paging.seq) return; // a newer filter won
    const results = Array.isArray(data.results) ? data.results : [];
    const known = new Set(more ? paging.offers.map((o) => o.id) : []);
    const fresh = results.filter((o) => !known.has(o.id)).slice(0, PAGE_SIZE);
    if (!more) paging.lateAdded = false;
    paging.searchId = search.id;
    paging.key = filterKey(search);
    paging.total = Math.max(Number.isInteger(data.total) ? data.total : results.length, more ? paging.offers.length + fresh.length : 0);
    paging.counts = data.counts || null;
    paging.offers = more ? paging.offers.concat(fresh) : results;
    paging.loading = false;
    renderServerGrid(search, { appended: more ? fresh : [] });
    clearFilterError();
  } catch (err) {
    if (seq !== paging.seq) return;
    paging.loading = false;
    if (err instanceof ApiError && (err.status === 404 || err.status === 405) && !err.field && err.code !== 'not_found_search') {
      // A server without paged results: the headline alternatives, filtered here.
      paging.unavailable = true;
      renderLocal(search);
      return;
    }
    if (err instanceof ApiError && err.field) showFilterError(err);
    else throw err;
    showMoreButton(search);
  } finally {
    if (seq === paging.seq) document.body.dataset.resultsLoading = 'false';
  }
}

const FIELD_INPUT = { maxPrice: 'price', deliveryWithin: 'days', maxMoq: 'moq', source: 'source', sort: 'sort' };

function showFilterError(err) {
  const name = FIELD_INPUT[err.field] || err.field;
  const input = filters.elements[name];
  if (input) input.setAttribute('aria-invalid', 'true');
  $('#filter-error').textContent = err.message;
}

function clearFilterError() {
  for (const el of filters.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  $('#filter-error').textContent = '';
}

// Designs sourced after the search was done: added after what the buyer is looking at, marked new,
// instead of laying the grid out again (a reload sent a buyer who had pressed "Show more" back to the
// first page and moved cards under the pointer), also while "Show more" is loading: its page is
// joined on after them, leaving out what is shown. A sort other than relevance, or a first page
// loading, lays it out again. Returns how many were added to the grid.
export function appendLateDesigns(search, fresh) {
  const fv = filterValues();
  const firstPageLoading = paging.loading && !paging.loadingMore;
  if (paging.unavailable || paging.searchId !== search.id || firstPageLoading || fv.sort !== 'relevance') {
    renderAlternatives(search, { reload: true });
    return fresh.length;
  }
  const known = new Set(paging.offers.map((o) => o.id));
  const add = fresh.filter((o) => !known.has(o.id) && passes(o, fv));
  paging.offers = paging.offers.concat(add);
  paging.total = Math.max(paging.total, paging.offers.length);
  paging.lateAdded = paging.lateAdded || add.length > 0;
  if (add.length) renderServerGrid(search, { appended: add });
  else renderGridMeta(search);
  refreshCounts(search);
  return add.length;
}

// The server ranks late designs among the others and keeps at most RANKED_MAXIMUM, so one added here
// can push another out of its list: the count line takes its total and per-source counts from the
// server rather than working them out (adding to its own read "48 from our inventory · 1 sourced"
// under "of 48").
async function refreshCounts(search) {
  const seq = paging.seq;
  try {
    const data = await fetchPage(search, 0, 1);
    if (seq !== paging.seq || paging.searchId !== search.id) return;
    if (Number.isInteger(data.total)) paging.total = Math.max(data.total, paging.offers.length);
    if (data.counts) paging.counts = data.counts;
    renderGridMeta(search);
  } catch {
    // The count line keeps the page's own tally until the next load.
  }
}

// The alternatives the search itself carries (while it runs, or without paged results).
function renderLocal(search) {
  const all = Array.isArray(search.alternatives) ? search.alternatives : [];
  const fv = filterValues();
  let shown = all.filter((o) => passes(o, fv));
  if (fv.sort === 'price') shown = [...shown].sort((a, b) => (offerMinPrice(a) ?? Infinity) - (offerMinPrice(b) ?? Infinity));
  if (fv.sort === 'delivery') shown = [...shown].sort((a, b) => (a.deliveryDays?.max ?? 999) - (b.deliveryDays?.max ?? 999));
  const grid = $('#alt-grid');
  const known = new Set([...grid.children].map((el) => el.dataset.offerId));
  grid.replaceChildren(...shown.map((o) => card(o, search.id, !known.has(o.id) && search.status === 'running' && known.size > 0, search.status === 'done')));
  const counts = { inventory: all.filter((o) => o.source === 'inventory').length };
  counts.marketplace = all.length - counts.inventory;
  let meta = countsText(counts);
  if (shown.length !== all.length) meta = `${shown.length} of ${all.length} shown · ${meta}`;
  if (search.status === 'running' && all.length) meta += ' · more may arrive';
  $('#alt-count').textContent = meta;
  $('#alt-empty').hidden = !(all.length > 0 && shown.length === 0);
  $('#alt-empty').firstElementChild.textContent = 'No alternatives match these filters.';
  if (all.length === 0 && search.status === 'done') {
    $('#alt-empty').hidden = false;
    $('#alt-empty').firstElementChild.textContent = 'No alternatives were found for this design.';
  }
  $('#show-more').hidden = true;
}

// Re-renders (or reloads) the alternatives of current() whenever a filter changes.
export function wireFilters(current) {
  let timer = null;
  const again = () => {
    mirrorInAddress();
    const s = current();
    if (s && s.status === 'done' && !paging.unavailable) document.body.dataset.resultsLoading = 'true';
    clearTimeout(timer);
    timer = setTimeout(() => {
      const s = current();
      if (s) renderAlternatives(s, { reload: true });
    }, 250);
  };
  filters.addEventListener('input', again);
  filters.addEventListener('change', again);
  filters.addEventListener('reset', () => setTimeout(() => {
    filters.elements.sort.value = 'relevance';
    again();
  }, 0));
  filters.addEventListener('submit', (e) => e.preventDefault());
  $('#show-more').addEventListener('click', () => {
    const s = current();
    if (s) loadResults(s, { more: true });
  });
}

// reload: the filters changed (or the search gained results): fetch the first page again.
export function renderAlternatives(search, { reload = false } = {}) {
  const section = $('#alt-section');
  const all = Array.isArray(search.alternatives) ? search.alternatives : [];
  section.hidden = all.length === 0 && search.status === 'running';
  showLimit(search);
  if (search.status !== 'done' || paging.unavailable) {
    renderLocal(search);
    return;
  }
  if (reload || paging.key !== filterKey(search)) {
    if (paging.searchId !== search.id) renderLocal(search); // the headline until the first page arrives
    loadResults(search).catch((err) => window.dispatchEvent(new CustomEvent('results-error', { detail: err })));
  }
}

// ---------------------------------------------------------------- the exact match

export function renderExact(search, { onShowAnyway } = {}) {
  const section = $('#exact-section');
  const slot = $('#exact-slot');
  const aboveLimit = (search.notes || []).some((n) => ABOVE_LIMIT_NOTE.test(n));
  const above = search.exactAboveLimit || search.exactAboveMaxPrice || null; // the piece itself, when the server sends it
  if (search.exactMatch) {
    section.hidden = false;
    if (slot.firstElementChild?.dataset.offerId !== search.exactMatch.id || search.status === 'done') {
      slot.replaceChildren(exactCard(search.exactMatch, search.id));
    }
  } else if (aboveLimit) {
    // One clear thing: it is here, it costs more than the limit, and it can be shown anyway.
    section.hidden = false;
    if (slot.firstElementChild?.id === 'exact-card') return;
    const limit = search.maxPrice ? formatMoney(search.maxPrice.amount, search.maxPrice.currency, { wholeOnly: true }) : 'your limit';
    const show = h('button', { type: 'button', class: 'btn btn-primary btn-small', id: 'show-anyway', dataset: { busyLabel: 'Searching without the limit…' } },
      h('span', { text: above ? 'Show it anyway' : 'Show it anyway (search without the limit)' }));
    show.addEventListener('click', () => {
      if (above) slot.replaceChildren(exactCard(above, search.id, { aboveLimit: true }));
      else if (onShowAnyway) onShowAnyway(show);
    });
    slot.replaceChildren(h('div', { class: 'no-exact above-limit', id: 'above-limit' },
      icon('gem'),
      h('p', {}, h('strong', { text: 'We have this exact design in our inventory, ' }),
        h('span', { text: `but it costs more than ${limit} per piece. The designs below are within your limit.` })),
      show));
  } else if (STAGE_INDEX[search.stage] > STAGE_INDEX.checking_stock || search.status !== 'running') {
    section.hidden = false;
    slot.replaceChildren(h('div', { class: 'no-exact', id: 'no-exact' },
      icon('info'),
      h('p', {}, h('strong', { text: 'No exact match in our inventory. ' }),
        h('span', { text: 'Below are the closest designs we can supply, from stock or sourced to order.' }))));
  } else {
    section.hidden = true;
  }
}
