// Find jewelry: upload a design photo, follow the analysis live, browse the results.
import { api } from '../api.js';
import { categoryMap, fillCategorySelect } from '../categories.js';
import { mountPage } from '../page.js';
import { formatMoney } from '../offers.js';
import { renderAttributes, renderStages, STAGE_INDEX } from '../search/analysis.js';
import { loadHistory } from '../search/history.js';
import { renderAlternatives, renderExact, wireFilters } from '../search/results.js';
import { bindUpload } from '../search/upload.js';
import { $, h, icon, showAlert, formatDateTime } from '../ui.js';

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

function render(search) {
  state = search;
  if (search.image) $('#query-image').src = search.image;
  $('#query-category').textContent = categoryLabel(search.category);
  $('#query-max').textContent = search.maxPrice ? formatMoney(search.maxPrice.amount, search.maxPrice.currency) : 'No limit';
  $('#query-when').textContent = formatDateTime(search.createdAt);
  renderStages(search, details);
  renderAttributes(search);
  renderExact(search);
  renderAlternatives(search);
  const notes = Array.isArray(search.notes) ? search.notes : [];
  $('#notes').replaceChildren(...notes.map((n) => h('p', { class: 'note' }, icon('info'), h('span', { text: n }))));
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
    renderStages(state, details);
    return;
  }
  const next = { ...state, ...data };
  if (!next.image && state && state.image) next.image = state.image;
  render(next);
  if (next.status !== 'running') finish();
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
