// Photos and PDFs on a message or an issue: picked, uploaded one by one (POST /api/attachments,
// field `file`), shown as chips that can be removed, and sent as their ids.
import { api } from '../api.js';
import { h, icon } from '../ui.js';

const TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];
const MAX_BYTES = 10 * 1024 * 1024;

export function sizeText(bytes) {
  if (!Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// The attachments of a message or an issue, as links (photos with a small preview).
export function attachmentList(attachments) {
  const list = (attachments || []).filter((a) => a && a.url);
  if (!list.length) return null;
  return h('ul', { class: 'att-list' }, list.map((a) => {
    const image = /^image\//.test(a.contentType || '');
    return h('li', { class: 'att', dataset: { attachmentId: a.id } },
      h('a', { href: a.url, target: '_blank', rel: 'noopener' },
        image ? h('img', { src: a.url, alt: '', width: 56, height: 56, loading: 'lazy' }) : icon('bookmark'),
        h('span', { class: 'att-name', text: a.name || 'Attachment' }),
        a.bytes ? h('span', { class: 'att-size', text: sizeText(a.bytes) }) : null));
  }));
}

// { el, ids(), busy(), clear() }: a file button and the chips of what is uploaded.
export function attachmentPicker({ id, label = 'Attach photos or a PDF', onChange = () => {} }) {
  const uploaded = [];
  let pending = 0;
  const input = h('input', { type: 'file', id, class: 'visually-hidden', multiple: true, accept: TYPES.join(',') });
  const chips = h('ul', { class: 'att-chips', 'aria-live': 'polite' });
  const status = h('p', { class: 'hint att-status', 'aria-live': 'polite' });
  const error = h('p', { class: 'field-error', 'aria-live': 'polite' });
  const changed = () => {
    status.textContent = pending ? `Uploading ${pending} ${pending === 1 ? 'file' : 'files'}…` : '';
    onChange();
  };
  const render = () => {
    chips.replaceChildren(...uploaded.map((a) => {
      const remove = h('button', { type: 'button', class: 'att-remove', 'aria-label': `Remove ${a.name}`, text: '×' });
      remove.addEventListener('click', () => {
        uploaded.splice(uploaded.indexOf(a), 1);
        render();
        changed();
      });
      return h('li', { class: 'att-chip', dataset: { attachmentId: a.id } }, h('span', { text: a.name }), h('span', { class: 'att-size', text: sizeText(a.bytes) }), remove);
    }));
  };
  const upload = async (file) => {
    if (!TYPES.includes(file.type)) {
      error.textContent = `${file.name}: only JPEG, PNG, WebP or PDF files can be attached.`;
      return;
    }
    if (file.size > MAX_BYTES) {
      error.textContent = `${file.name} is larger than 10 MB.`;
      return;
    }
    pending += 1;
    changed();
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const res = await api.upload('/api/attachments', form);
      if (res.attachment) uploaded.push(res.attachment);
      render();
    } catch (err) {
      error.textContent = `${file.name}: ${err.message}`;
    } finally {
      pending -= 1;
      changed();
    }
  };
  input.addEventListener('change', () => {
    error.textContent = '';
    const files = [...input.files];
    input.value = '';
    files.forEach(upload);
  });
  const el = h('div', { class: 'att-picker' }, input,
    h('label', { for: id, class: 'btn btn-ghost btn-small att-button' }, icon('upload'), h('span', { text: label })),
    chips, status, error);
  return {
    el,
    input,
    ids: () => uploaded.map((a) => a.id),
    busy: () => pending > 0,
    clear() {
      uploaded.length = 0;
      error.textContent = '';
      render();
      changed();
    },
  };
}
