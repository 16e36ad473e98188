// Searches: the saved searches (with their new matches, watch on or off, search again) and every
// search made, newest first, paged with "Older searches", filterable by category and date (the
// filters are mirrored in the address). A watched search's new match arrives live.
import { api, ApiError } from '../api.js';
import { categoryMap, fillCategorySelect } from '../categories.js';
import { mountPage } from '../page.js';
import { formatMoney } from '../offers.js';
import { $, h, icon, toast, formatDateTime, relativeTime } from '../ui.js';

const HISTORY_PAGE = 20;
let labels = new Map();
let page = null;
const flash = new Set(); // saved searches that just found something

function label(id) {
  return labels.get(id)?.label || id || '—';
}

function limitText(m) {
  return m ? `up to ${formatMoney(m.amount, m.currency, { wholeOnly: true })}` : 'no price limit';
}

// ---------------------------------------------------------------- saved searches

async function again(searchId, button) {
  button.disabled = true;
  try {
    const res = await api.post(`/api/searches/${encodeURIComponent(searchId)}/again`, {});
    location.assign(`/search.html?id=${encodeURIComponent(res.id)}`);
  } catch (err) {
    page.error(err, 'Could not search again');
    button.disabled = false;
  }
}

function savedRow(s) {
  const open = `/search.html?id=${encodeURIComponent(s.lastSearchId || s.searchId)}`;
  const watch = h('input', { type: 'checkbox', checked: !!s.watch, dataset: { action: 'watch' } });
  watch.addEventListener('change', async () => {
    watch.disabled = true;
    try {
      await api.patch(`/api/saved-searches/${encodeURIComponent(s.id)}`, { watch: watch.checked });
      toast(watch.checked ? 'Watching this search' : 'No longer watching', s.name);
    } catch (err) {
      watch.checked = !watch.checked;
      page.error(err, 'Could not change the watch');
    } finally {
      watch.disabled = false;
    }
  });
  const againBtn = h('button', { type: 'button', class: 'btn btn-ghost btn-small', dataset: { action: 'search-again' } }, icon('refresh'), h('span', { text: 'Search again' }));
  againBtn.addEventListener('click', () => again(s.lastSearchId || s.searchId, againBtn));
  const del = h('button', { type: 'button', class: 'link-button link-danger', dataset: { action: 'delete' }, text: 'Delete' });
  del.addEventListener('click', async () => {
    if (!window.confirm(`Delete the saved search “${s.name}”? Its searches stay in your history.`)) return;
    del.disabled = true;
    try {
      await api.del(`/api/saved-searches/${encodeURIComponent(s.id)}`);
      await loadSaved();
    } catch (err) {
      page.error(err, 'Could not delete it');
      del.disabled = false;
    }
  });
  const n = Number(s.newMatches) || 0;
  return h('li', { class: `saved-row${flash.has(s.id) ? ' fresh' : ''}`, dataset: { savedId: s.id, newMatches: String(n) } },
    h('a', { class: 'saved-media', href: open, tabindex: '-1', 'aria-hidden': 'true' }, h('img', { src: s.image || '', alt: '', width: 64, height: 64, loading: 'lazy' })),
    h('div', { class: 'saved-main' },
      h('h3', { class: 'saved-name' }, h('a', { href: open, text: s.name }),
        n ? h('span', { class: 'new-badge', text: `${n} new ${n === 1 ? 'match' : 'matches'}` }) : null),
      h('p', { class: 'saved-sub', text: [label(s.category), limitText(s.maxPrice), s.lastRunAt ? `last run ${relativeTime(s.lastRunAt)}` : null].filter(Boolean).join(' · ') }),
      h('label', { class: 'watch-toggle' }, watch,
        h('span', { text: s.watch ? `Watching: designs from ${s.minSimilarity ?? 80}% match` : 'Watch for new designs' }))),
    h('div', { class: 'saved-actions' }, againBtn, del));
}

async function loadSaved() {
  let list = [];
  try {
    const data = await api.get('/api/saved-searches');
    list = Array.isArray(data.savedSearches) ? data.savedSearches : [];
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'not_verified') throw err;
  }
  $('#saved-list').replaceChildren(...list.map(savedRow));
  $('#saved-empty').hidden = list.length > 0;
  const fresh = list.reduce((t, s) => t + (Number(s.newMatches) || 0), 0);
  $('#saved-meta').textContent = list.length ? `${list.length} saved${fresh ? ` · ${fresh} new ${fresh === 1 ? 'match' : 'matches'}` : ''}` : '';
}

// ---------------------------------------------------------------- every search

const hist = { before: null, seq: 0, dateOnly: false, count: 0 };

function dayBound(value, end) {
  if (!value) return null;
  if (hist.dateOnly) return value;
  const d = new Date(`${value}T${end ? '23:59:59' : '00:00:00'}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function searchRow(s) {
  const bits = [];
  if (s.status === 'running') bits.push('running…');
  else if (s.status === 'failed') bits.push('failed');
  else {
    if (s.exactMatch) bits.push('exact match');
    bits.push(`${s.alternatives ?? 0} alternative${s.alternatives === 1 ? '' : 's'}`);
  }
  const href = `/search.html?id=${encodeURIComponent(s.id)}`;
  return h('li', { class: 'search-row', dataset: { searchId: s.id, category: s.category } },
    h('a', { href },
      h('img', { src: s.image || '', alt: '', width: 56, height: 56, loading: 'lazy' }),
      h('span', { class: 'search-row-text' },
        h('strong', { text: label(s.category) }),
        h('span', { class: 'sub', text: `${limitText(s.maxPrice)} · ${bits.join(' · ')}` })),
      h('time', { datetime: s.createdAt, title: formatDateTime(s.createdAt), text: formatDateTime(s.createdAt) })));
}

function historyQuery() {
  const f = $('#history-filters').elements;
  const q = new URLSearchParams({ limit: String(HISTORY_PAGE) });
  if (f.category.value) q.set('category', f.category.value);
  const from = dayBound(f.from.value, false);
  const to = dayBound(f.to.value, true);
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  if (hist.before) q.set('before', hist.before);
  return q;
}

function mirror() {
  const f = $('#history-filters').elements;
  const q = new URLSearchParams();
  for (const name of ['category', 'from', 'to']) if (f[name].value) q.set(name, f[name].value);
  history.replaceState(null, '', `/history.html${q.toString() ? `?${q}` : ''}${location.hash}`);
}

async function loadHistory({ more = false } = {}) {
  const seq = ++hist.seq;
  if (!more) hist.before = null;
  $('#history-error').textContent = '';
  let data;
  try {
    data = await api.get(`/api/searches?${historyQuery()}`);
  } catch (err) {
    if (err instanceof ApiError && (err.field === 'from' || err.field === 'to') && !hist.dateOnly) {
      hist.dateOnly = true; // the server takes plain dates
      return loadHistory({ more });
    }
    if (err instanceof ApiError && err.field) {
      $('#history-error').textContent = err.message;
      return undefined;
    }
    if (err instanceof ApiError && err.code === 'not_verified') {
      $('#search-rows-empty').hidden = false;
      return undefined;
    }
    throw err;
  }
  if (seq !== hist.seq) return undefined;
  const items = Array.isArray(data.searches) ? data.searches : [];
  const rows = items.map(searchRow);
  if (more) $('#search-rows').append(...rows);
  else $('#search-rows').replaceChildren(...rows);
  hist.count = more ? hist.count + items.length : items.length;
  hist.before = data.nextBefore || null;
  $('#history-more').hidden = !data.nextBefore;
  $('#search-rows-empty').hidden = hist.count > 0;
  $('#all-meta').textContent = hist.count ? `${hist.count} shown${data.nextBefore ? ', more below' : ''}` : '';
  return undefined;
}

function wireHistoryFilters() {
  const form = $('#history-filters');
  const params = new URLSearchParams(location.search);
  for (const name of ['category', 'from', 'to']) if (params.get(name)) form.elements[name].value = params.get(name);
  const reload = () => {
    mirror();
    loadHistory().catch((err) => page.error(err, 'Could not load your searches'));
  };
  form.addEventListener('change', reload);
  form.addEventListener('reset', () => setTimeout(reload, 0));
  form.addEventListener('submit', (e) => e.preventDefault());
  $('#history-more').addEventListener('click', async (ev) => {
    ev.currentTarget.disabled = true;
    try {
      await loadHistory({ more: true });
    } finally {
      ev.currentTarget.disabled = false;
    }
  });
}

mountPage({
  auth: 'buyer',
  async load(p) {
    page = p;
    if (!page.user.verified) {
      page.error(new Error('Confirm your e-mail address to search and save searches. The link is in your inbox.'), 'Verification needed');
    }
    try {
      [labels] = await Promise.all([categoryMap(), fillCategorySelect($('#history-category'))]);
    } catch (err) {
      page.error(err, 'Could not load the categories');
    }
    wireHistoryFilters();
    page.realtime.on('event', (msg) => {
      if (msg.event !== 'saved-search.match') return;
      if (msg.data?.savedSearchId) flash.add(msg.data.savedSearchId);
      loadSaved().catch(() => {});
    });
    await Promise.all([loadSaved(), loadHistory()]);
    if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  },
});
