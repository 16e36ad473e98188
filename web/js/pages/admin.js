// Operations panel: buyers list, send a notice, live feed of the "admin" topic.
import { api } from '../api.js';
import { initLayout } from '../layout.js';
import { RealtimeClient } from '../realtime.js';
import {
  $, h, toast, showAlert, clearAlert, showFormError, setFieldError, clearFieldErrors, withBusy,
  formatDateShort, formatDateTime, setLivePill, markSubscribed, BUSINESS_TYPES, ORDER_VOLUMES,
} from '../ui.js';

await initLayout({ auth: 'staff' });

// ---- buyers ----
const tbody = $('#buyers-body');
const topicSelect = $('#notice-topic');

function renderBuyers(buyers) {
  tbody.replaceChildren();
  const sorted = [...buyers].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
  for (const b of sorted) {
    tbody.append(h('tr', { dataset: { id: b.id } },
      h('td', {}, h('strong', { text: b.companyName || '—' }), h('span', { class: 'sub', text: b.businessLicense || '' })),
      h('td', {}, b.contactName || '—', h('span', { class: 'sub nowrap', text: b.email }), h('span', { class: 'sub', text: b.phone || '' })),
      h('td', { class: 'hide-sm', text: b.country || '—' }),
      h('td', { class: 'hide-sm' }, BUSINESS_TYPES[b.businessType] || b.businessType || '—',
        h('span', { class: 'sub', text: ORDER_VOLUMES[b.typicalOrderVolume] || b.typicalOrderVolume || '' })),
      h('td', {}, h('span', { class: b.verified ? 'tag tag-ok' : 'tag tag-warn', text: b.verified ? 'Verified' : 'Unverified' })),
      h('td', { class: 'hide-sm nowrap', text: formatDateShort(b.createdAt) }),
    ));
  }
  $('#buyers-empty').hidden = buyers.length > 0;

  const verified = buyers.filter((b) => b.verified).length;
  $('#buyer-stats').replaceChildren(
    h('div', { class: 'stat' }, h('b', { text: String(buyers.length) }), h('span', { text: 'registered' })),
    h('div', { class: 'stat' }, h('b', { text: String(verified) }), h('span', { text: 'verified' })),
    h('div', { class: 'stat' }, h('b', { text: String(buyers.length - verified) }), h('span', { text: 'awaiting verification' })),
  );

  const current = topicSelect.value;
  topicSelect.replaceChildren(h('option', { value: 'buyers', text: 'All verified buyers' }));
  const group = h('optgroup', { label: 'A single buyer' });
  for (const b of sorted) {
    group.append(h('option', { value: `buyer:${b.id}`, text: `${b.companyName || b.email} — ${b.email}` }));
  }
  if (sorted.length) topicSelect.append(group);
  if ([...topicSelect.options].some((o) => o.value === current)) topicSelect.value = current;
}

async function loadBuyers() {
  clearAlert($('#buyers-alert'));
  try {
    const data = await api.get('/api/admin/buyers');
    renderBuyers(Array.isArray(data.buyers) ? data.buyers : []);
  } catch (err) {
    showAlert($('#buyers-alert'), 'error', err.message, 'Could not load buyers');
  }
}

$('#buyers-refresh').addEventListener('click', (ev) => withBusy(ev.currentTarget, loadBuyers));

// ---- notices ----
const form = $('#notice-form');
const noticeAlert = $('#notice-alert');
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  clearAlert(noticeAlert);
  const topic = form.elements.topic.value;
  const title = form.elements.title.value.trim();
  const body = form.elements.body.value.trim();
  if (!title) { setFieldError(form, 'title', 'Give the notice a title.'); form.elements.title.focus(); return; }
  if (!body) { setFieldError(form, 'body', 'Write a message.'); form.elements.body.focus(); return; }
  await withBusy($('#notice-submit'), async () => {
    try {
      const res = await api.post('/api/admin/notices', { topic, title, body });
      const label = topicSelect.selectedOptions[0]?.textContent || topic;
      showAlert(noticeAlert, 'success', `Sent to ${label} (sequence ${res.seq ?? '?'}).`, 'Notice sent');
      form.elements.title.value = '';
      form.elements.body.value = '';
    } catch (err) {
      showFormError(form, noticeAlert, err);
    }
  });
});

// ---- live feed ----
const feed = $('#feed');
function addFeedItem(msg) {
  const data = msg.data && typeof msg.data === 'object' ? msg.data : {};
  let summary = data.title || data.companyName || data.email || '';
  if (msg.event === 'notice.sent') summary = `“${data.title}” to ${data.topic}${data.by ? ` by ${data.by}` : ''}`;
  if (msg.event === 'buyer.registered') summary = `${data.companyName || 'New buyer'}${data.country ? `, ${data.country}` : ''}`;
  feed.prepend(h('li', {},
    h('div', { class: 'feed-head' },
      h('span', { class: 'feed-event', text: msg.event || 'event' }),
      h('span', { class: 'feed-meta', text: `${msg.topic} #${msg.seq} · ${formatDateTime(msg.at)}` }),
    ),
    summary ? h('div', { text: summary }) : null,
    h('pre', { text: JSON.stringify(data, null, 2) }),
  ));
  while (feed.children.length > 100) feed.lastElementChild.remove();
  $('#feed-empty').hidden = true;
}

const rt = new RealtimeClient({
  onStatus: setLivePill,
  onSubscribed: (msg) => markSubscribed(msg.topic),
  onEvent(msg) {
    addFeedItem(msg);
    if (/buyer|register|verif/i.test(msg.event || '')) loadBuyers();
  },
  onResync() {
    loadBuyers();
  },
  onError(msg) {
    toast('Live updates', msg.message || msg.code);
  },
});
rt.subscribe('admin');
rt.start();
window.addEventListener('pagehide', () => rt.stop());

await loadBuyers();
