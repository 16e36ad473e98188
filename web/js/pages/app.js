// Buyer home: greeting, verification state and notifications, kept live over the WebSocket.
import { api, ApiError } from '../api.js';
import { initLayout } from '../layout.js';
import { RealtimeClient } from '../realtime.js';
import {
  $, h, icon, toast, showAlert, withBusy, formatDateTime, relativeTime, setLivePill, markSubscribed, BUSINESS_TYPES,
} from '../ui.js';

const user = await initLayout({ auth: 'buyer' });

function greetingWord() {
  const hour = new Date().getHours();
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}

const firstName = (user.contactName || '').trim().split(/\s+/)[0];
$('#greeting-title').textContent = firstName ? `${greetingWord()}, ${firstName}` : greetingWord();
$('#company-name').textContent = user.companyName || '';
document.title = `${user.companyName || 'Home'} — Facet`;
$('#fact-contact').textContent = user.contactName || '—';
$('#fact-email').textContent = user.email;
$('#fact-business').textContent = [BUSINESS_TYPES[user.businessType], user.country].filter(Boolean).join(', ') || '—';
$('#fact-status').append(h('span', {
  class: user.verified ? 'tag tag-ok' : 'tag tag-warn',
  text: user.verified ? 'Verified' : 'Awaiting e-mail verification',
}));

// ---- verification banner ----
if (!user.verified) {
  $('#live-pill').hidden = true;
  $('#banner-email').textContent = user.email;
  $('#verify-banner').hidden = false;
  $('#banner-resend').addEventListener('click', async (ev) => {
    await withBusy(ev.currentTarget, async () => {
      try {
        await api.post('/api/auth/resend-verification', { email: user.email });
        showAlert($('#banner-alert'), 'success', `A new verification link is on its way to ${user.email}.`);
      } catch (err) {
        showAlert($('#banner-alert'), 'error', err.message);
      }
    });
  });
}

// ---- notifications ----
const list = $('#notice-list');
const empty = $('#notices-empty');
const seen = new Set();

function keyOf(n) {
  return `${n.at}|${n.title}|${n.body}`;
}

function noticeItem(n, fresh) {
  const time = h('time', { class: 'notice-time', datetime: n.at || '', title: formatDateTime(n.at), text: relativeTime(n.at) });
  const li = h('li', { class: fresh ? 'notice fresh' : 'notice', dataset: { seq: n.seq ?? '' } },
    h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, icon('bell')),
    h('p', { class: 'notice-title', text: n.title || 'Notice' }),
    n.body ? h('p', { class: 'notice-body', text: n.body }) : null,
    time,
  );
  return li;
}

function updateEmpty() {
  empty.hidden = list.children.length > 0;
}

function addNotice(n, { fresh = false, prepend = true } = {}) {
  const key = keyOf(n);
  if (seen.has(key)) return false;
  seen.add(key);
  const li = noticeItem(n, fresh);
  if (prepend) list.prepend(li);
  else list.append(li);
  updateEmpty();
  return true;
}

async function loadNotifications({ reset = false } = {}) {
  try {
    const data = await api.get('/api/notifications');
    const items = Array.isArray(data.notifications) ? data.notifications : [];
    if (reset) {
      list.replaceChildren();
      seen.clear();
    }
    // Newest first from the server. Anything that arrived live meanwhile is newer and
    // already at the top; duplicates are skipped.
    for (const n of items) addNotice(n, { prepend: false });
    updateEmpty();
  } catch (err) {
    if (err instanceof ApiError && err.code === 'not_verified') {
      $('#notices-empty-text').textContent = 'Verify your e-mail to start receiving notifications.';
      updateEmpty();
    } else {
      showAlert($('#notices-alert'), 'error', err.message, 'Could not load notifications');
    }
  }
}

// Refresh the relative times once a minute.
setInterval(() => {
  for (const t of list.querySelectorAll('time[datetime]')) t.textContent = relativeTime(t.getAttribute('datetime'));
}, 60000);

if (user.verified) {
  const rt = new RealtimeClient({
    onStatus: setLivePill,
    onSubscribed: (msg) => markSubscribed(msg.topic),
    onEvent(msg) {
      if (msg.event !== 'notice') return;
      const data = msg.data || {};
      const n = { seq: msg.seq, title: data.title, body: data.body, at: msg.at };
      if (addNotice(n, { fresh: true })) toast(data.title || 'New notice', data.body);
    },
    onResync() {
      loadNotifications({ reset: true });
    },
    onError(msg) {
      console.warn('realtime:', msg.code, msg.message || '');
      $('#live-pill').dataset.resumeFailures = String(rt.resumeFailures);
    },
  });
  rt.subscribe(`buyer:${user.id}`);
  rt.subscribe('buyers');
  rt.start();
  window.addEventListener('pagehide', () => rt.stop());
}
await loadNotifications();
