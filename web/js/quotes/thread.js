// The message thread of a quote: the messages oldest first, and a composer with attachments.
// Messages arrive from the page (a fetch after a live event) and from this composer; each is
// shown once (by id), and the list stays scrolled to the newest unless the reader scrolled up.
import { api } from '../api.js';
import { h, formatDateTime, relativeTime } from '../ui.js';
import { attachmentList, attachmentPicker } from './attachments.js';

function messageItem(m) {
  const mine = m.author === 'buyer';
  return h('li', { class: `msg ${mine ? 'msg-mine' : 'msg-theirs'}`, dataset: { messageId: m.id, author: m.author } },
    h('div', { class: 'msg-head' },
      h('strong', { text: mine ? 'You' : (m.authorName || 'Facet sales') }),
      h('time', { datetime: m.at, title: formatDateTime(m.at), text: relativeTime(m.at) || formatDateTime(m.at) })),
    m.body ? h('p', { class: 'msg-body', text: m.body }) : null,
    attachmentList(m.attachments));
}

// { el, set(messages), add(message), setOpen(bool) }
export function mountThread(root, { quoteId, onSent = () => {} }) {
  const seen = new Map();
  const list = h('ol', { class: 'msg-list', id: 'thread-list', 'aria-live': 'polite', 'aria-label': 'Messages' });
  const empty = h('p', { class: 'hint', id: 'thread-empty', text: 'No messages yet. Ask our sales team anything about this quote.' });
  const body = h('textarea', { id: 'thread-body', name: 'body', rows: 3, maxlength: 5000, placeholder: 'Write a message to our sales team…' });
  const error = h('p', { class: 'field-error', dataset: { errorFor: 'body' }, 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'btn btn-primary btn-small', id: 'thread-send', text: 'Send' });
  const picker = attachmentPicker({ id: 'thread-files', label: 'Attach', onChange: () => { send.disabled = picker.busy() || sending; } });
  let sending = false;
  const form = h('form', { class: 'thread-form no-print', id: 'thread-form', novalidate: true },
    h('label', { for: 'thread-body', class: 'visually-hidden', text: 'Message' }), body, error,
    h('div', { class: 'thread-form-row' }, picker.el, send));

  const atBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const add = (m, { scroll = true } = {}) => {
    if (!m || !m.id) return;
    // What is shown, not how it arrived: the live event and the fetched list spell it alike.
    const sig = JSON.stringify([m.author, m.authorName, m.body, Math.floor(Date.parse(m.at) / 1000), (m.attachments || []).map((a) => [a.id, a.name, a.url, a.bytes])]);
    if (seen.get(m.id) === sig) return;
    const stick = atBottom();
    const item = messageItem(m);
    const old = list.querySelector(`[data-message-id="${CSS.escape(m.id)}"]`);
    if (old) old.replaceWith(item);
    else list.append(item);
    seen.set(m.id, sig);
    empty.hidden = true;
    if (scroll && stick) list.scrollTop = list.scrollHeight;
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (sending || picker.busy()) return;
    error.textContent = '';
    body.removeAttribute('aria-invalid');
    const text = body.value.trim();
    if (!text) {
      error.textContent = 'Write a message first.';
      body.setAttribute('aria-invalid', 'true');
      body.focus();
      return;
    }
    sending = true;
    send.disabled = true;
    send.textContent = 'Sending…';
    try {
      const payload = { body: text };
      const ids = picker.ids();
      if (ids.length) payload.attachments = ids;
      const res = await api.post(`/api/quotes/${encodeURIComponent(quoteId)}/messages`, payload);
      body.value = '';
      picker.clear();
      list.scrollTop = list.scrollHeight;
      add(res.message);
      list.scrollTop = list.scrollHeight;
      onSent(res.message);
    } catch (err) {
      error.textContent = err.message;
      if (err.field === 'body') body.setAttribute('aria-invalid', 'true');
    } finally {
      sending = false;
      send.disabled = picker.busy();
      send.textContent = 'Send';
    }
  });
  body.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) form.requestSubmit();
  });

  root.replaceChildren(list, empty, form);
  return {
    form,
    set(messages) {
      const stick = atBottom() || !seen.size;
      for (const m of messages || []) add(m, { scroll: false });
      if (stick) list.scrollTop = list.scrollHeight;
      empty.hidden = seen.size > 0;
    },
    add,
  };
}
