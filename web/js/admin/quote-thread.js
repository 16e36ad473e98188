// The message thread of one quote, as staff see it (each staff member by name). Files are uploaded
// first (POST /api/attachments, field "file"), then the message names them. Live messages arrive
// as events that carry the buyer's view of the author, so the thread is fetched again instead.
import { api } from '../api.js';
import { bindForm } from '../forms.js';
import { $, h, formatDateTime, showAlert } from '../ui.js';
import { attachmentLink } from './quote-format.js';

const MAX_FILES = 8;
const MAX_BYTES = 10 * 1024 * 1024;
const TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];

export function threadPath(quoteId) {
  return `/api/quotes/${encodeURIComponent(quoteId)}/messages`;
}

function render(messages) {
  const list = $('#thread');
  list.replaceChildren(...messages.map((m) => h('li', { class: `st-msg st-msg-${m.author}`, dataset: { id: m.id, author: m.author } },
    h('div', { class: 'st-msg-head' }, h('strong', { text: m.authorName || (m.author === 'buyer' ? 'Buyer' : 'Staff') }),
      h('span', { class: 'feed-meta', text: formatDateTime(m.at) })),
    m.body ? h('p', { class: 'st-msg-body', text: m.body }) : null,
    m.attachments?.length ? h('ul', { class: 'st-msg-files' }, m.attachments.map((a) => h('li', {}, attachmentLink(a)))) : null)));
  $('#thread-empty').hidden = messages.length > 0;
  list.lastElementChild?.scrollIntoView?.({ block: 'nearest' });
}

export async function loadThread(quoteId) {
  const data = await api.get(threadPath(quoteId));
  render(Array.isArray(data.messages) ? data.messages : []);
}

export function mountThread(quoteId) {
  const form = $('#thread-form');
  const alertBox = $('#thread-alert');
  bindForm(form, {
    alert: alertBox,
    check(f) {
      const files = [...f.elements.file.files];
      if (!f.elements.body.value.trim() && !files.length) return [['body', 'Write a message or attach a file.']];
      if (files.length > MAX_FILES) return [['file', `At most ${MAX_FILES} files.`]];
      const bad = files.find((file) => !TYPES.includes(file.type) || file.size > MAX_BYTES);
      if (bad) return [['file', `${bad.name}: JPEG, PNG, WebP or PDF up to 10 MB.`]];
      return [];
    },
    async submit(f) {
      const ids = [];
      for (const file of f.elements.file.files) {
        const data = new FormData();
        data.append('file', file, file.name);
        const res = await api.upload('/api/attachments', data);
        ids.push(res.attachment.id);
      }
      const body = { body: f.elements.body.value.trim() };
      if (ids.length) body.attachments = ids;
      await api.post(threadPath(quoteId), body);
      f.reset();
      showAlert(alertBox, 'info', '');
      await loadThread(quoteId);
    },
  });
  return loadThread(quoteId);
}
