// Buyers: every registered buyer, narrowed on the page by what staff type (company, contact or
// e-mail) — the list is small enough to hold at once, and typing answers instantly.
import { api } from '../api.js';
import { mountPage } from '../page.js';
import { table } from '../table.js';
import { $, h, formatDateShort, BUSINESS_TYPES, ORDER_VOLUMES } from '../ui.js';

const LIMIT = 1000;
const search = $('#buyer-search');
const state = $('#buyer-state');
let buyers = [];

function matches(b, words, which) {
  if (which === 'verified' && !b.verified) return false;
  if (which === 'unverified' && b.verified) return false;
  const hay = `${b.companyName || ''} ${b.contactName || ''} ${b.email || ''}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

function render() {
  const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const shown = buyers.filter((b) => matches(b, words, state.value));
  const link = (b) => `/admin-buyer.html?id=${encodeURIComponent(b.id)}`;
  $('#buyers-table').replaceChildren(table({
    class: 'buyers-table',
    caption: 'Buyers',
    columns: [
      { label: 'Company', cell: (b) => [h('a', { href: link(b), class: 'buyer-link', text: b.companyName || b.email }), h('span', { class: 'sub', text: b.country || '' })] },
      { label: 'Contact', cell: (b) => [b.contactName || '—', h('span', { class: 'sub', text: b.email })] },
      { label: 'Type / volume', class: 'hide-sm', cell: (b) => [BUSINESS_TYPES[b.businessType] || b.businessType || '—', h('span', { class: 'sub', text: ORDER_VOLUMES[b.typicalOrderVolume] || b.typicalOrderVolume || '' })] },
      { label: 'E-mail', cell: (b) => h('span', { class: b.verified ? 'tag tag-ok' : 'tag tag-warn', text: b.verified ? 'Verified' : 'Not verified' }) },
      { label: 'Joined', class: 'nowrap', cell: (b) => formatDateShort(b.createdAt) },
    ],
    rows: shown,
    rowAttrs: (b) => ({ dataset: { id: b.id } }),
    empty: buyers.length ? 'No buyer matches this search.' : 'No buyers have registered yet.',
  }));
  const word = buyers.length === 1 ? 'buyer' : 'buyers';
  $('#buyers-count').textContent = shown.length === buyers.length ? `${buyers.length} ${word}` : `${shown.length} of ${buyers.length} ${word}`;
  document.body.dataset.buyersShown = String(shown.length);
}

function renderStats() {
  const verified = buyers.filter((b) => b.verified).length;
  const week = Date.now() - 7 * 86_400_000;
  const fresh = buyers.filter((b) => new Date(b.createdAt).getTime() >= week).length;
  $('#buyer-stats').replaceChildren(...[[buyers.length, 'registered'], [verified, 'e-mail verified'], [fresh, 'joined this week']]
    .map(([n, what]) => h('div', { class: 'stat' }, h('b', { text: String(n) }), h('span', { text: what }))));
}

function readAddress() {
  const q = new URLSearchParams(location.search);
  if (q.get('q')) search.value = q.get('q');
  if ([...state.options].some((o) => o.value === q.get('state'))) state.value = q.get('state');
}

function writeAddress() {
  const q = new URLSearchParams();
  if (search.value.trim()) q.set('q', search.value.trim());
  if (state.value) q.set('state', state.value);
  const s = q.toString();
  history.replaceState(null, '', `${location.pathname}${s ? `?${s}` : ''}`);
}

mountPage({
  auth: 'staff',
  async load() {
    readAddress();
    const data = await api.get(`/api/admin/buyers?limit=${LIMIT}`);
    buyers = (Array.isArray(data.buyers) ? data.buyers : [])
      .sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
    renderStats();
    render();
    for (const el of [search, state]) {
      el.addEventListener('input', () => {
        render();
        writeAddress();
      });
    }
    $('#buyer-filters').addEventListener('submit', (ev) => ev.preventDefault());
  },
});
