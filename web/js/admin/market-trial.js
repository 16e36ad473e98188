// A trial marketplace search (POST /api/admin/marketplace/search): what the marketplace answers
// now, with today's parameters, each listing with its true source and supplier, and the figures
// of the run (pages, listings, cache hits, time to first result).
import { api } from '../api.js';
import { fillCategorySelect } from '../categories.js';
import { bindForm } from '../forms.js';
import { parseDollars } from '../offers.js';
import { listingTable } from './marketplace.js';
import { $, h, showAlert } from '../ui.js';

function statsLine(r) {
  const s = r.stats || {};
  const parts = [
    ['Listings', r.listings.length],
    ['Pages', s.pages],
    ['Cached', s.cacheHits],
    ['Skipped', s.skipped],
    ['Over the price', s.filteredByPrice],
    ['First result', Number.isFinite(s.firstResultSeconds) ? `${s.firstResultSeconds.toFixed(1)} s` : null],
    ['Took', Number.isFinite(s.seconds) ? `${s.seconds.toFixed(1)} s` : null],
  ].filter(([, v]) => v !== undefined && v !== null);
  return parts.map(([k, v]) => h('span', {}, `${k} `, h('b', { text: String(v) })));
}

export async function mountTrial() {
  await fillCategorySelect($('#trial-category'));
  const alertBox = $('#trial-alert');
  bindForm($('#trial-form'), {
    alert: alertBox,
    check(f) {
      const max = f.elements.maxPrice.value.trim();
      if (max && parseDollars(max) === null) return [['maxPrice', 'An amount such as 40 or 39.90.']];
      return [];
    },
    async submit(f) {
      const keywords = f.elements.keywords.value.split(/[\s,]+/).map((w) => w.trim()).filter(Boolean);
      const max = f.elements.maxPrice.value.trim();
      const body = { category: f.elements.category.value, keywords, ...(max ? { maxPrice: parseDollars(max) } : {}) };
      $('#trial-results').replaceChildren(h('p', { class: 'hint', text: 'Asking the marketplace…' }));
      const r = await api.post('/api/admin/marketplace/search', body);
      const rows = (r.listings || []).map((v) => ({ ...v.listing, buyerPrice: v.buyerPrice }));
      r.listings = rows;
      if (r.outcome !== 'finished') showAlert(alertBox, 'error', r.message || '', r.outcome === 'paused' ? 'The source is paused' : 'The search failed');
      $('#trial-stats').replaceChildren(...statsLine(r));
      $('#trial-results').replaceChildren(listingTable(rows, { caption: 'Trial search results', empty: 'The marketplace found nothing for this.' }));
      document.body.dataset.trialListings = String(rows.length);
    },
  });
}
