// Buyer home: greeting, verification state and notifications, kept live over the WebSocket.
import { api, ApiError } from '../api.js';
import { withBusy } from '../forms.js';
import { mountPage } from '../page.js';
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
    await loadNotifications();
  },
});
