// The operations dashboard: the work waiting, health tiles, the live activity feed in sentences,
// notices, and the newest buyers. Pushed, not polled: every event on the staff "admin" topic
// refetches GET /api/admin/dashboard (once per burst). Markups and marketplace sourcing live on
// admin-marketplace.html.
import { api } from '../api.js';
import { renderHealth, renderWork } from '../admin/dashboard.js';
import { createMemory, describe, rememberBrands, rememberQuote } from '../admin/feed.js';
import { bindForm, withBusy } from '../forms.js';
import { mountPage } from '../page.js';
import { table } from '../table.js';
import { $, h, showAlert, formatDateShort, formatDateTime, BUSINESS_TYPES, ORDER_VOLUMES } from '../ui.js';

const topicSelect = $('#notice-topic');
const memory = createMemory();
const NEWEST_BUYERS = 8;
let page = null;
let dashboard = null;

// ---------- dashboard ----------

function renderDashboard() {
  if (!dashboard) return;
  renderWork($('#work'), $('#work-orders'), dashboard.work);
  renderHealth($('#health'), $('#health-overall'), dashboard.health, dashboard.thresholds || {});
  $('#dash-at').textContent = dashboard.at ? `As of ${new Date(dashboard.at).toLocaleTimeString(undefined, { timeStyle: 'short' })}` : '';
}

async function loadDashboard() {
  dashboard = await api.get('/api/admin/dashboard');
  renderDashboard();
  document.body.dataset.dashboardLoads = String(Number(document.body.dataset.dashboardLoads || 0) + 1);
}

// Events come in bursts (a quote submitted is a quote, a cart and an approval change): one
// refetch per burst.
let timer = null;
function refreshSoon() {
  clearTimeout(timer);
  timer = setTimeout(() => loadDashboard().catch((err) => page.error(err, 'Could not refresh the dashboard')), 300);
}

// ---------- the feed ----------

function feedItem({ text, href, tone }, { at, event, past = false }) {
  const when = at ? new Date(at) : null;
  const time = when && !Number.isNaN(when.getTime())
    ? h('time', { datetime: when.toISOString(), title: formatDateTime(at),
      text: when.toDateString() === new Date().toDateString() ? when.toLocaleTimeString(undefined, { timeStyle: 'short' }) : formatDateShort(at) })
    : null;
  return h('li', { class: [tone ? `feed-${tone}` : '', past ? 'feed-past' : ''].filter(Boolean).join(' ') || null, dataset: { event: event || '' } },
    href ? h('a', { href, class: 'feed-text', text }) : h('span', { class: 'feed-text', text }),
    time);
}

function addFeedItem(msg) {
  const sentence = describe(msg, memory);
  if (!sentence) return;
  const feed = $('#feed');
  const item = feedItem(sentence, { at: msg.at, event: msg.event });
  feed.prepend(item);
  while (feed.children.length > 100) feed.lastElementChild.remove();
  $('#feed-empty').hidden = true;
  // A message names its quote by id only: once the number is known, the sentence says it.
  const quoteId = msg.event === 'quote.message' ? msg.data?.quoteId : null;
  if (quoteId && !memory.quotes.has(quoteId)) {
    api.get(`/api/admin/quotes/${encodeURIComponent(quoteId)}`).then((d) => {
      rememberQuote(memory, d.quote);
      const again = describe(msg, memory);
      if (again && item.isConnected) item.replaceWith(feedItem(again, { at: msg.at, event: msg.event }));
    }).catch(() => {});
  }
}

// What staff did before the page opened, from the audit log, so the feed starts with context.
async function loadEarlier() {
  const data = await api.get('/api/admin/audit?limit=6');
  const entries = Array.isArray(data.entries) ? data.entries : [];
  const feed = $('#feed');
  for (const e of entries) {
    const sentence = describe({ event: 'staff.action', data: e }, memory);
    if (sentence) feed.append(feedItem(sentence, { at: e.at, event: 'staff.action', past: true }));
  }
  if (feed.children.length) $('#feed-empty').hidden = true;
}

// ---------- buyers and notices ----------

function renderBuyers(buyers) {
  const sorted = [...buyers].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
  for (const b of sorted) memory.buyers.set(b.id, b.companyName || b.email);
  $('#buyers-table').replaceChildren(table({
    caption: 'Newest buyers',
    columns: [
      { label: 'Company', cell: (b) => [h('a', { href: `/admin-buyer.html?id=${encodeURIComponent(b.id)}` }, h('strong', { text: b.companyName || '—' })), h('span', { class: 'sub', text: b.businessLicense || '' })] },
      { label: 'Contact', cell: (b) => [b.contactName || '—', h('span', { class: 'sub nowrap', text: b.email }), h('span', { class: 'sub', text: b.phone || '' })] },
      { label: 'Country', class: 'hide-sm', cell: (b) => b.country },
      { label: 'Type / volume', class: 'hide-sm', cell: (b) => [BUSINESS_TYPES[b.businessType] || b.businessType || '—', h('span', { class: 'sub', text: ORDER_VOLUMES[b.typicalOrderVolume] || b.typicalOrderVolume || '' })] },
      { label: 'Status', cell: (b) => h('span', { class: b.verified ? 'tag tag-ok' : 'tag tag-warn', text: b.verified ? 'Verified' : 'Unverified' }) },
      { label: 'Joined', class: 'hide-sm nowrap', cell: (b) => formatDateShort(b.createdAt) },
    ],
    rows: sorted.slice(0, NEWEST_BUYERS),
    rowAttrs: (b) => ({ dataset: { id: b.id } }),
    empty: 'No buyers have registered yet.',
  }));

  const verified = buyers.filter((b) => b.verified).length;
  $('#buyer-stats').replaceChildren(...[[buyers.length, 'registered'], [verified, 'verified'], [buyers.length - verified, 'awaiting verification']]
    .map(([n, what]) => h('div', { class: 'stat' }, h('b', { text: String(n) }), h('span', { text: what }))));

  const current = topicSelect.value;
  topicSelect.replaceChildren(h('option', { value: 'buyers', text: 'All verified buyers' }));
  if (sorted.length) {
    topicSelect.append(h('optgroup', { label: 'A single buyer' },
      sorted.map((b) => h('option', { value: `buyer:${b.id}`, text: `${b.companyName || b.email} — ${b.email}` }))));
  }
  if ([...topicSelect.options].some((o) => o.value === current)) topicSelect.value = current;
}

async function loadBuyers() {
  const data = await api.get('/api/admin/buyers');
  renderBuyers(Array.isArray(data.buyers) ? data.buyers : []);
}

function bindNotices() {
  const alertBox = $('#notice-alert');
  bindForm($('#notice-form'), {
    alert: alertBox,
    check(f) {
      if (!f.elements.title.value.trim()) return [['title', 'Give the notice a title.']];
      if (!f.elements.body.value.trim()) return [['body', 'Write a message.']];
      return [];
    },
    async submit(f) {
      const topic = f.elements.topic.value;
      await api.post('/api/admin/notices', { topic, title: f.elements.title.value.trim(), body: f.elements.body.value.trim() });
      const label = topicSelect.selectedOptions[0]?.textContent || topic;
      showAlert(alertBox, 'success', `Sent to ${label}.`, 'Notice sent');
      f.elements.title.value = '';
      f.elements.body.value = '';
    },
  });
}

mountPage({
  auth: 'staff',
  topics: ['admin'],
  catalog: true,
  async load(p) {
    page = p;
    page.realtime.on('event', (msg) => {
      if (msg.topic !== 'admin') return;
      addFeedItem(msg);
      refreshSoon();
      if (msg.event === 'buyer.registered' || (msg.event === 'staff.action' && String(msg.data?.kind || '').startsWith('buyer'))) loadBuyers();
    });
    page.realtime.on('resync', refreshSoon);
    $('#buyers-refresh').addEventListener('click', (ev) => withBusy(ev.currentTarget, loadBuyers));
    bindNotices();
    // Relative times ("last sync 3 min ago") age on screen without asking the server again.
    setInterval(renderDashboard, 30000);
    const parts = [
      [loadDashboard(), 'Could not load the dashboard'],
      [api.get('/api/admin/sync').then((d) => rememberBrands(memory, d.brands)), 'Could not load brand sync'],
      [loadBuyers(), 'Could not load buyers'],
      [loadEarlier(), 'Could not load recent activity'],
    ];
    for (const [done, title] of parts) await done.catch((err) => page.error(err, title));
  },
});
