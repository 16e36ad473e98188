// The background sourcing index per category (GET /api/admin/marketplace/coverage): how many
// listings we hold and how fresh, when each category was last fetched and is next due, and
// whether searches there are answered from the index or still ask the marketplace live.
// "Refresh now" fetches one category at once (POST /api/admin/marketplace/refresh).
import { api } from '../api.js';
import { withBusy } from '../forms.js';
import { table } from '../table.js';
import { $, h, showAlert, formatDateTime } from '../ui.js';

function freshness(c) {
  if (!c.listings) return [h('span', { class: 'tag', text: 'Empty' })];
  const tag = c.fresh === c.listings ? h('span', { class: 'tag tag-ok', text: 'Fresh' })
    : c.fresh ? h('span', { class: 'tag tag-warn', text: 'Partly stale' }) : h('span', { class: 'tag tag-warn', text: 'Stale' });
  return [tag, c.newestFetchedAt ? h('span', { class: 'sub', text: `newest ${formatDateTime(c.newestFetchedAt)}` }) : null];
}

function refreshCell(c) {
  return [
    c.lastRefreshAt ? `Refreshed ${formatDateTime(c.lastRefreshAt)} · ${c.lastRefreshListings ?? 0} listings` : 'Not refreshed since the server started',
    c.lastRefreshError ? h('span', { class: 'sub sub-error', text: c.lastRefreshError }) : null,
    c.nextRefreshAt ? h('span', { class: 'sub', text: `next ${formatDateTime(c.nextRefreshAt)}` }) : null,
  ];
}

function refreshButton(c) {
  if (!c.searched) return h('span', { class: 'sub', text: 'Not sourced' });
  return h('button', {
    type: 'button', class: 'btn btn-ghost btn-small btn-in-cell', text: 'Refresh now', dataset: { category: c.category },
    onclick: (ev) => withBusy(ev.currentTarget, async () => {
      try {
        const r = await api.post('/api/admin/marketplace/refresh', { category: c.category });
        showAlert($('#coverage-alert'), 'info', `Fetching ${r.pages} page${r.pages === 1 ? '' : 's'} of ${c.category} listings; this table updates as they are indexed.`);
        setTimeout(() => loadCoverage().catch(() => {}), 5000);
      } catch (err) {
        showAlert($('#coverage-alert'), 'error', err.message || 'Could not start the refresh.');
      }
    }),
  });
}

export async function loadCoverage() {
  const data = await api.get('/api/admin/marketplace/coverage');
  $('#coverage-meta').textContent = data.refreshMinutes > 0
    ? `Every ${data.refreshMinutes} min, ${data.refreshPages} page${data.refreshPages === 1 ? '' : 's'} deep · searches ask live below ${data.minLocalListings || '∞'} fresh listings`
    : 'Background refresh off · every search asks live';
  $('#coverage-table').replaceChildren(table({
    class: 'coverage-table',
    caption: 'Sourcing index coverage by category',
    columns: [
      { label: 'Category', cell: (c) => h('strong', { text: c.category.charAt(0).toUpperCase() + c.category.slice(1) }) },
      { label: 'Listings', cell: (c) => [`${c.listings} listing${c.listings === 1 ? '' : 's'}`, h('span', { class: 'sub', text: `${c.fresh} fresh` })] },
      { label: 'Freshness', cell: freshness },
      { label: 'Last refresh', cell: refreshCell },
      { label: 'Searches', cell: (c) => h('span', { class: c.answersLocally ? 'tag tag-ok' : 'tag', text: c.answersLocally ? 'From the index' : 'Ask live' }) },
      { label: 'Action', hideLabel: true, cell: refreshButton },
    ],
    rows: Array.isArray(data.categories) ? data.categories : [],
    rowAttrs: (c) => ({ dataset: { category: c.category } }),
  }));
  return data;
}
