// Operations panel: buyers, notices, markups, marketplace sourcing, and the live "admin" feed.
import { api } from '../api.js';
import { addMarketAlert, loadMarketplace, mountMarketplace } from '../admin/marketplace.js';
import { loadMarkups, mountMarkups } from '../admin/markups.js';
import { bindForm, withBusy } from '../forms.js';
import { mountPage } from '../page.js';
import { table } from '../table.js';
import { $, h, showAlert, formatDateShort, formatDateTime, BUSINESS_TYPES, ORDER_VOLUMES } from '../ui.js';

const topicSelect = $('#notice-topic');

function renderBuyers(buyers) {
  const sorted = [...buyers].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
  $('#buyers-table').replaceChildren(table({
    caption: 'Registered buyers',
    columns: [
      { label: 'Company', cell: (b) => [h('strong', { text: b.companyName || '—' }), h('span', { class: 'sub', text: b.businessLicense || '' })] },
      { label: 'Contact', cell: (b) => [b.contactName || '—', h('span', { class: 'sub nowrap', text: b.email }), h('span', { class: 'sub', text: b.phone || '' })] },
      { label: 'Country', class: 'hide-sm', cell: (b) => b.country },
      { label: 'Type / volume', class: 'hide-sm', cell: (b) => [BUSINESS_TYPES[b.businessType] || b.businessType || '—', h('span', { class: 'sub', text: ORDER_VOLUMES[b.typicalOrderVolume] || b.typicalOrderVolume || '' })] },
      { label: 'Status', cell: (b) => h('span', { class: b.verified ? 'tag tag-ok' : 'tag tag-warn', text: b.verified ? 'Verified' : 'Unverified' }) },
      { label: 'Joined', class: 'hide-sm nowrap', cell: (b) => formatDateShort(b.createdAt) },
    ],
    rows: sorted,
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
      const res = await api.post('/api/admin/notices', { topic, title: f.elements.title.value.trim(), body: f.elements.body.value.trim() });
      const label = topicSelect.selectedOptions[0]?.textContent || topic;
      showAlert(alertBox, 'success', `Sent to ${label} (sequence ${res.seq ?? '?'}).`, 'Notice sent');
      f.elements.title.value = '';
      f.elements.body.value = '';
    },
  });
}

function addFeedItem(msg) {
  const data = msg.data && typeof msg.data === 'object' ? msg.data : {};
  let summary = data.title || data.companyName || data.email || '';
  if (msg.event === 'notice.sent') summary = `“${data.title}” to ${data.topic}${data.by ? ` by ${data.by}` : ''}`;
  if (msg.event === 'buyer.registered') summary = `${data.companyName || 'New buyer'}${data.country ? `, ${data.country}` : ''}`;
  const feed = $('#feed');
  feed.prepend(h('li', {},
    h('div', { class: 'feed-head' },
      h('span', { class: 'feed-event', text: msg.event || 'event' }),
      h('span', { class: 'feed-meta', text: `${msg.topic} #${msg.seq} · ${formatDateTime(msg.at)}` })),
    summary ? h('div', { text: summary }) : null,
    h('pre', { text: JSON.stringify(data, null, 2) })));
  while (feed.children.length > 100) feed.lastElementChild.remove();
  $('#feed-empty').hidden = true;
}

mountPage({
  auth: 'staff',
  topics: ['admin'],
  catalog: true,
  async load(page) {
    page.realtime.on('event', (msg) => {
      addFeedItem(msg);
      if (/buyer|register|verif/i.test(msg.event || '')) loadBuyers();
      if (msg.event === 'markup.changed') loadMarkups();
      if (msg.event === 'marketplace.alert') {
        addMarketAlert(msg.data || {}, msg.at);
        loadMarketplace(page);
      }
    });
    page.realtime.on('resync', () => loadBuyers());
    $('#buyers-refresh').addEventListener('click', (ev) => withBusy(ev.currentTarget, loadBuyers));
    bindNotices();
    const cards = [
      [loadBuyers(), 'Could not load buyers'],
      [mountMarkups(), 'Could not load markups'],
      [mountMarketplace(page), 'Could not load marketplace status'],
    ];
    for (const [done, title] of cards) await done.catch((err) => page.error(err, title));
  },
});
