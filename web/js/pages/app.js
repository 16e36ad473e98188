// Buyer home: greeting, verification state, the workspace at a glance (cart summary, saved
// searches with their new matches, the last searches) and notifications, kept live over the
// WebSocket.
import { api, ApiError } from '../api.js';
import { categoryMap } from '../categories.js';
import { withBusy } from '../forms.js';
import { formatMoney, formatRange } from '../offers.js';
import { mountPage } from '../page.js';
import { onCartChanged } from '../workspace.js';
import { $, h, icon, toast, showAlert, formatDateTime, relativeTime, BUSINESS_TYPES } from '../ui.js';

function greetingWord() {
  const hour = new Date().getHours();
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}

function renderAccount(user) {
  const firstName = (user.contactName || '').trim().split(/\s+/)[0];
  $('#greeting-title').textContent = firstName ? `${greetingWord()}, ${firstName}` : greetingWord();
  $('#company-name').textContent = user.companyName || '';
  document.title = `${user.companyName || 'Home'} — Facet`;
  $('#fact-contact').textContent = user.contactName || '—';
  $('#fact-email').textContent = user.email;
  $('#fact-business').textContent = [BUSINESS_TYPES[user.businessType], user.country].filter(Boolean).join(', ') || '—';
  $('#fact-status').replaceChildren(h('span', {
    class: user.verified ? 'tag tag-ok' : 'tag tag-warn',
    text: user.verified ? 'Verified' : 'Awaiting e-mail verification',
  }));
}

function showVerifyBanner(user) {
  $('#banner-email').textContent = user.email;
  $('#verify-banner').hidden = false;
  $('#banner-resend').addEventListener('click', (ev) => withBusy(ev.currentTarget, async () => {
    try {
      await api.post('/api/auth/resend-verification', { email: user.email });
      showAlert($('#banner-alert'), 'success', `A new verification link is on its way to ${user.email}.`);
    } catch (err) {
      showAlert($('#banner-alert'), 'error', err.message);
    }
  }));
}

// ---- notifications: newest first, each shown once whether it came over REST or live ----
const list = $('#notice-list');
const empty = $('#notices-empty');
const seen = new Set();

function addNotice(n, { fresh = false, prepend = true } = {}) {
  const key = `${n.at}|${n.title}|${n.body}`;
  if (seen.has(key)) return false;
  seen.add(key);
  const li = h('li', { class: fresh ? 'notice fresh' : 'notice', dataset: { seq: n.seq ?? '' } },
    h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, icon('bell')),
    h('p', { class: 'notice-title', text: n.title || 'Notice' }),
    n.body ? h('p', { class: 'notice-body', text: n.body }) : null,
    h('time', { class: 'notice-time', datetime: n.at || '', title: formatDateTime(n.at), text: relativeTime(n.at) }));
  if (prepend) list.prepend(li);
  else list.append(li);
  empty.hidden = true;
  return true;
}

async function loadNotifications({ reset = false } = {}) {
  let items;
  try {
    const data = await api.get('/api/notifications');
    items = Array.isArray(data.notifications) ? data.notifications : [];
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'not_verified') throw err;
    $('#notices-empty-text').textContent = 'Verify your e-mail to start receiving notifications.';
    items = [];
  }
  if (reset) {
    list.replaceChildren();
    seen.clear();
  }
  // Anything that arrived live meanwhile is newer and already at the top.
  for (const n of items) addNotice(n, { prepend: false });
  empty.hidden = list.children.length > 0;
}

// ---- the workspace at a glance

let labels = new Map();

function summaryRow(label, value, key) {
  return [h('dt', { text: label }), h('dd', { dataset: { total: key }, text: value })];
}

async function loadCartSummary() {
  const body = $('#home-cart-body');
  const data = await api.get('/api/cart');
  const lines = Array.isArray(data.lines) ? data.lines : [];
  const s = data.summary || {};
  if (!lines.length) {
    body.replaceChildren(h('p', { class: 'hint', text: 'Empty. Add designs from your search results to gather them for a quote.' }));
    return;
  }
  const rows = [...summaryRow('Designs', String(s.designs ?? lines.length), 'designs'), ...summaryRow('Pieces', String(s.quantity ?? 0), 'quantity')];
  if (s.exactTotal) rows.push(...summaryRow('Inventory (exact)', formatMoney(s.exactTotal.amount, s.exactTotal.currency), 'exact'));
  if (s.approximateTotal) rows.push(...summaryRow('Sourced (approx.)', formatRange(s.approximateTotal).replace(/^approx\. /, ''), 'approximate'));
  const changed = lines.filter((l) => (l.changes || []).length || !l.available).length;
  body.replaceChildren(
    h('div', { class: 'mini-thumbs' }, lines.slice(0, 5).map((l) => h('img', { src: l.offer?.images?.[0] || l.snapshot?.image || '', alt: '', width: 44, height: 44, loading: 'lazy' }))),
    h('dl', { class: 'summary-list summary-mini' }, rows),
    changed ? h('p', { class: 'hint change-hint', text: `${changed} ${changed === 1 ? 'design has' : 'designs have'} changed since you added ${changed === 1 ? 'it' : 'them'}.` }) : null);
}

async function loadSavedSummary() {
  const data = await api.get('/api/saved-searches');
  const list = (Array.isArray(data.savedSearches) ? data.savedSearches : [])
    .sort((a, b) => (Number(b.newMatches) || 0) - (Number(a.newMatches) || 0)).slice(0, 5);
  $('#home-saved-list').replaceChildren(...list.map((x) => {
    const n = Number(x.newMatches) || 0;
    return h('li', { dataset: { savedId: x.id } }, h('a', { href: `/search.html?id=${encodeURIComponent(x.lastSearchId || x.searchId)}` },
      h('img', { src: x.image || '', alt: '', width: 40, height: 40, loading: 'lazy' }),
      h('span', { class: 'mini-text' }, h('strong', { text: x.name }), h('span', { class: 'sub', text: x.watch ? 'Watching' : 'Not watched' })),
      n ? h('span', { class: 'new-badge', text: `${n} new` }) : null));
  }));
  $('#home-saved-empty').hidden = list.length > 0;
}

async function loadRecent() {
  const data = await api.get('/api/searches?limit=5');
  const list = Array.isArray(data.searches) ? data.searches : [];
  $('#home-recent-list').replaceChildren(...list.map((x) => h('li', {}, h('a', { href: `/search.html?id=${encodeURIComponent(x.id)}` },
    h('img', { src: x.image || '', alt: '', width: 40, height: 40, loading: 'lazy' }),
    h('span', { class: 'mini-text' },
      h('strong', { text: labels.get(x.category)?.label || x.category }),
      h('span', { class: 'sub', text: x.status === 'done' ? `${x.exactMatch ? 'exact match · ' : ''}${x.alternatives ?? 0} alternatives` : x.status }),
    ),
    h('time', { datetime: x.createdAt, title: formatDateTime(x.createdAt), text: relativeTime(x.createdAt) })))));
  $('#home-recent-empty').hidden = list.length > 0;
}

async function loadWorkspace() {
  // One card that cannot load says so; the rest of the home page stands.
  const quiet = (slot) => (err) => {
    if (err instanceof ApiError && err.code === 'not_verified') return;
    slot.replaceChildren(h('p', { class: 'hint', text: `Could not load this just now: ${err.message}` }));
  };
  await Promise.all([
    loadCartSummary().catch(quiet($('#home-cart-body'))),
    loadSavedSummary().catch(quiet($('#home-saved-list'))),
    loadRecent().catch(quiet($('#home-recent-list'))),
  ]);
}

mountPage({
  auth: 'buyer',
  topics: (user) => (user.verified ? [`buyer:${user.id}`, 'buyers'] : []),
  async load({ user, realtime }) {
    renderAccount(user);
    if (!user.verified) showVerifyBanner(user);
    realtime.on('event', (msg) => {
      if (msg.event !== 'notice') return;
      const data = msg.data || {};
      if (addNotice({ seq: msg.seq, title: data.title, body: data.body, at: msg.at }, { fresh: true })) {
        toast(data.title || 'New notice', data.body);
      }
    });
    realtime.on('resync', () => loadNotifications({ reset: true }));
    setInterval(() => {
      for (const t of list.querySelectorAll('time[datetime]')) t.textContent = relativeTime(t.getAttribute('datetime'));
    }, 60000);
    try {
      labels = await categoryMap();
    } catch (err) {
      labels = new Map();
    }
    if (user.verified) {
      onCartChanged(() => loadCartSummary().catch(() => {}));
      realtime.on('event', (msg) => {
        if (msg.event === 'saved-search.match') loadSavedSummary().catch(() => {});
      });
      await loadWorkspace();
    } else {
      $('#home-cart-body').replaceChildren(h('p', { class: 'hint', text: 'Verify your e-mail to start a cart.' }));
      $('#home-saved-empty').hidden = false;
      $('#home-recent-empty').hidden = false;
    }
    await loadNotifications();
  },
});
