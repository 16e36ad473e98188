// Find jewelry: upload a design photo, follow the analysis live, browse the results.
import { api } from '../api.js';
import { categoryMap, fillCategorySelect } from '../categories.js';
import { bindForm, withBusy } from '../forms.js';
import { mountPage } from '../page.js';
import { formatMoney } from '../offers.js';
import { renderAttributes, renderStages, STAGE_INDEX } from '../search/analysis.js';
import { loadHistory } from '../search/history.js';
import { ABOVE_LIMIT_NOTE, appendLateDesigns, filtersFromAddress, renderAlternatives, renderExact, wireFilters } from '../search/results.js';
import { bindUpload } from '../search/upload.js';
import { $, h, icon, showAlert, clearAlert, formatDateTime, formatDateShort, toast } from '../ui.js';
import { mountCompareTray } from '../workspace.js';

const params = new URLSearchParams(location.search);
let page = null;          // from mountPage
let labels = new Map();   // category id → { label, plural }
let state = null;         // the newest Search snapshot
const details = new Map(); // stage → the sentence its latest event carried
let lastEventAt = 0;
let pollTimer = null;
let following = null;     // the search topic followed live

window.addEventListener('popstate', () => location.reload());

function categoryLabel(id) {
  return labels.get(id)?.label || id || '—';
}

function showHistory() {
  loadHistory(params.get('id'), categoryLabel).catch((err) => page.error(err, 'Could not load your searches'));
}

// Above the limit, the stage that checked stock says so too (not "no exact match").
function stageDetails(search) {
  if (!(search.notes || []).some((n) => ABOVE_LIMIT_NOTE.test(n))) return details;
  return new Map([...details, ['checking_stock', 'In our inventory, above your price limit']]);
}

function render(search) {
  state = search;
  if (search.image) $('#query-image').src = search.image;
  $('#query-category').textContent = categoryLabel(search.category);
  $('#query-max').textContent = search.maxPrice ? formatMoney(search.maxPrice.amount, search.maxPrice.currency) : 'No limit';
  $('#query-when').textContent = formatDateTime(search.createdAt);
  renderStages(search, stageDetails(search));
  renderAttributes(search);
  renderExact(search, { onShowAnyway: searchWithoutLimit });
  renderAlternatives(search);
  // The above-the-limit note is said once, where the exact match would be; a slow sourcing
  // round is a promise this page keeps (what arrives later is added to the grid).
  const notes = (Array.isArray(search.notes) ? search.notes : []).filter((n) => !ABOVE_LIMIT_NOTE.test(n))
    .map((n) => (/took too long/i.test(n) ? 'Still sourcing: designs that arrive later are added to this page while it is open.' : n));
  $('#notes').replaceChildren(...notes.map((n) => h('p', { class: 'note' }, icon('info'), h('span', { text: n }))));
  renderAgainNote(search);
  $('#save-search').hidden = search.status === 'failed';
  $('#search-again').hidden = search.status !== 'done';
  if (search.status === 'failed') showAlert($('#search-error'), 'error', search.error || 'Something went wrong while analysing this photo. Please try again.', 'The search failed');
  document.body.dataset.searchStatus = search.status;
  document.body.dataset.searchStage = search.stage;
}

function applyEvent(msg) {
  if (msg.event !== 'search.stage' || !msg.data || msg.topic !== `search:${params.get('id')}`) return;
  const data = msg.data;
  lastEventAt = Date.now();
  if (data.stage) details.set(data.stage, data.detail || details.get(data.stage) || '');
  // Replayed history can be older than what the page already shows: never step backwards.
  const current = state ? STAGE_INDEX[state.stage] ?? 0 : -1;
  const incoming = STAGE_INDEX[data.stage] ?? 0;
  const older = state && (state.status !== 'running' || incoming < current);
  if (older) {
    // Designs sourced after the search finished: added to the open page.
    const more = Array.isArray(data.alternatives) ? data.alternatives : null;
    const shown = new Set((state.alternatives || []).map((a) => a.id));
    const fresh = state.status === 'done' && more ? more.filter((o) => !shown.has(o.id)) : [];
    if (fresh.length) {
      state = { ...state, alternatives: more };
      const added = appendLateDesigns(state, fresh);
      if (added) toast('More designs arrived', `Sourcing found ${added} more design${added === 1 ? '' : 's'}; ${added === 1 ? 'it is' : 'they are'} added at the end of the grid.`);
    }
    renderStages(state, stageDetails(state));
    return;
  }
  const next = { ...state, ...data };
  if (!next.image && state && state.image) next.image = state.image;
  render(next);
  if (next.status !== 'running') finish();
}

// ---- search again, save, show the exact match above the limit

function renderAgainNote(search) {
  const box = $('#again-note');
  if (!search.previousSearchId || search.status !== 'done') {
    clearAlert(box);
    return;
  }
  const offers = [search.exactMatch, ...(search.alternatives || [])].filter(Boolean);
  const fresh = offers.filter((o) => o.isNew).length;
  showAlert(box, 'info', fresh
    ? `${fresh} ${fresh === 1 ? 'design is' : 'designs are'} new since your last run: marked “New”.`
    : 'Nothing new since your last run; these are the same designs at today\'s prices and stock.', 'Searched again against today\'s catalog');
}

async function searchAgain(button) {
  await withBusy(button, async () => {
    try {
      const res = await api.post(`/api/searches/${encodeURIComponent(state.id)}/again`, {});
      location.assign(`/search.html?id=${encodeURIComponent(res.id)}`);
    } catch (err) {
      page.error(err, 'Could not search again');
    }
  });
}

// Without a server-side "show it anyway", the same photo and category run again with no limit.
async function searchWithoutLimit(button) {
  await withBusy(button, async () => {
    try {
      const resp = await fetch(state.image, { credentials: 'same-origin' });
      if (!resp.ok) throw new Error('Your photo could not be read again.');
      const blob = await resp.blob();
      const ext = { 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif' }[blob.type] || 'jpg';
      const fd = new FormData();
      fd.append('image', blob, `photo.${ext}`);
      fd.append('category', state.category);
      const res = await api.upload('/api/searches', fd);
      location.assign(`/search.html?id=${encodeURIComponent(res.id)}`);
    } catch (err) {
      page.error(err, 'Could not show it');
    }
  });
}

function defaultName(search) {
  const cat = labels.get(search.category)?.plural || categoryLabel(search.category);
  const limit = search.maxPrice ? ` under ${formatMoney(search.maxPrice.amount, search.maxPrice.currency, { wholeOnly: true })}` : '';
  return `${cat}${limit} — ${formatDateShort(search.createdAt || new Date().toISOString())}`;
}

function wireSave() {
  const dialog = $('#save-dialog');
  const form = $('#save-form');
  $('#save-search').addEventListener('click', () => {
    if (!state) return;
    if ($('#save-search').dataset.saved) {
      location.assign('/history.html#saved');
      return;
    }
    form.elements.name.value = defaultName(state);
    clearAlert($('#save-alert'));
    dialog.showModal();
    form.elements.name.select();
  });
  $('#save-cancel').addEventListener('click', () => dialog.close());
  const watch = form.elements.watch;
  watch.addEventListener('change', () => { form.elements.minSimilarity.disabled = !watch.checked; });
  bindForm(form, {
    alert: $('#save-alert'),
    check: (f) => (f.elements.name.value.trim() ? [] : [['name', 'Give the search a name.']]),
    async submit(f) {
      const res = await api.post('/api/saved-searches', {
        searchId: state.id, name: f.elements.name.value.trim(), watch: f.elements.watch.checked,
        ...(f.elements.watch.checked ? { minSimilarity: Number(f.elements.minSimilarity.value) } : {}),
      });
      dialog.close();
      markSaved(res.savedSearch || { name: f.elements.name.value.trim(), watch: f.elements.watch.checked });
      toast('Search saved', f.elements.watch.checked
        ? 'We will tell you when a new design in our inventory matches it.'
        : 'Find it under Searches.', { link: { href: '/history.html#saved', text: 'Saved searches' } });
    },
  });
}

function markSaved(saved) {
  const b = $('#save-search');
  b.dataset.saved = saved.id || 'yes';
  b.replaceChildren(icon('check'), h('span', { text: saved.watch ? 'Saved · watching' : 'Saved' }));
  b.title = `Saved as “${saved.name}”`;
}

async function checkSaved(id) {
  try {
    const data = await api.get('/api/saved-searches');
    const saved = (data.savedSearches || []).find((x) => x.searchId === id || x.lastSearchId === id);
    if (saved) markSaved(saved);
  } catch (err) {
    // Saving still works; the button simply does not know yet.
  }
}

function finish() {
  if (pollTimer) clearInterval(pollTimer);
  pollTimer = null;
  showHistory();
}

async function refresh(id) {
  const data = await api.get(`/api/searches/${encodeURIComponent(id)}`);
  const s = data.search || data;
  if (!state || state.status === 'running') render(s);
  if (s.status !== 'running') finish();
  return s;
}

function openSearch(id, initial, { fresh = false } = {}) {
  $('#start-view').classList.add('compact');
  $('#upload-card').hidden = true;
  $('#search-view').hidden = false;
  $('#new-search').hidden = false;
  checkSaved(id);
  $('#page-lede').hidden = true;
  $('#page-title').textContent = 'Search results';
  document.title = 'Search results — Facet';
  details.clear();
  state = null;
  if (initial) render(initial);
  window.scrollTo({ top: 0 });

  // since=0 replays every stage, so a reload shows each stage's own sentence again.
  if (following && following !== `search:${id}`) page.realtime.unsubscribe(following);
  following = `search:${id}`;
  page.follow(following, 0);

  // If live updates stall, fall back to asking.
  pollTimer = setInterval(() => {
    if (!state || state.status !== 'running') return finish();
    if (Date.now() - lastEventAt > 2500) refresh(id).catch(() => {});
  }, 2000);
  if (fresh) showHistory();
}

async function openFromAddress(id) {
  try {
    const search = await api.get(`/api/searches/${encodeURIComponent(id)}`);
    openSearch(id, search.search || search);
  } catch (err) {
    $('#upload-card').hidden = false;
    showAlert($('#upload-alert'), 'error',
      err.status === 404 ? 'That search does not exist or belongs to another account. Start a new one below.' : err.message,
      'Could not open this search');
  }
}

mountPage({
  auth: 'buyer',
  catalog: true,
  async load(p) {
    page = p;
    if (!page.user.verified) {
      showAlert($('#verify-alert'), 'info', 'Confirm your e-mail address to search. The link is in your inbox; you can resend it from your home page.', 'Verification needed');
    }
    page.realtime.on('event', applyEvent);
    page.realtime.on('resync', (topic) => {
      if (topic === following) refresh(params.get('id')).catch(() => {});
    });
    wireFilters(() => state);
    filtersFromAddress(params);
    wireSave();
    mountCompareTray();
    $('#search-again').addEventListener('click', (ev) => searchAgain(ev.currentTarget));
    window.addEventListener('results-error', (ev) => page.error(ev.detail, 'Could not load more designs'));
    bindUpload((id, first) => {
      history.pushState({ id }, '', `/search.html?id=${encodeURIComponent(id)}`);
      params.set('id', id);
      openSearch(id, first, { fresh: true });
    });
    try {
      [labels] = await Promise.all([categoryMap(), fillCategorySelect($('#category'))]);
    } catch (err) {
      page.error(err, 'Could not load the categories'); // a search already made can still be shown
    }
    if (params.get('id')) await openFromAddress(params.get('id'));
    showHistory();
  },
});
